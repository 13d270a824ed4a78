// What the built-in scenes share: a WebGLRenderer into a canvas that follows its container's size,
// and the world point under the pointer (scenes that let the user drag objects when editing).
import * as THREE from 'three';

export function createStage(container, camera) {
  const canvas = document.createElement('canvas');
  canvas.dataset.testid = 'scene-canvas';
  canvas.className = 'scene-canvas';
  container.appendChild(canvas);
  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  } catch (e) {
    const note = document.createElement('div');
    note.className = 'scene-error';
    note.textContent = `WebGL is not available: ${e.message}`;
    container.appendChild(note);
    renderer = null;
  }
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf4f6f8);
  const stage = {
    THREE, scene, camera, canvas, renderer,
    onResize: () => {},
    render() {
      if (renderer) renderer.render(scene, camera);
    },
    /** The point of the plane z = 0 under a pointer event ({x, y} in world units), or null. */
    worldAt(event) {
      const rect = canvas.getBoundingClientRect();
      const ndc = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
      const ray = new THREE.Raycaster();
      ray.setFromCamera(ndc, camera);
      const hit = ray.ray.intersectPlane(new THREE.Plane(new THREE.Vector3(0, 0, 1), 0), new THREE.Vector3());
      return hit ? { x: hit.x, y: hit.y } : null;
    },
    resize() {
      const w = Math.max(1, container.clientWidth);
      const h = Math.max(1, container.clientHeight);
      if (renderer) {
        renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
        renderer.setSize(w, h, false);
      }
      stage.onResize(w, h);
      stage.render();
    },
    dispose() {
      observer.disconnect();
      scene.traverse((o) => {
        if (o.geometry) o.geometry.dispose();
        if (o.material) o.material.dispose();
      });
      if (renderer) renderer.dispose();
      container.replaceChildren();
    },
  };
  const observer = new ResizeObserver(() => stage.resize());
  observer.observe(container);
  return stage;
}
