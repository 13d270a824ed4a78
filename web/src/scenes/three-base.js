// What both built-in scenes share: a WebGLRenderer into a canvas that follows its container's size.
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
