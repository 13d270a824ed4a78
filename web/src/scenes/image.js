// Image observations (a Box of shape [H, W], [H, W, C] with C in {1, 3, 4}, or K stacked grey
// frames [H, W, K] or [K, H, W]; see pixels.js): the frame as a texture on a plane, pixels kept sharp
// (nearest filtering). overlay(values) blends a heatmap of per-pixel attributions over it;
// overlay(null) clears it.
import { createStage } from './three-base.js';
import { frameRGBA, heatmapRGBA, imageLayout, valueScale } from './pixels.js';
import * as generic from './generic.js';
import * as THREE from 'three';

export { imageLayout };

export function create(container, metadata) {
  const space = metadata?.observationSpace || {};
  const layout = imageLayout(space);
  if (!layout) return generic.create(container, metadata); // not an image (e.g. --viewer image on a vector)
  const { width, height } = layout;
  const camera = new THREE.OrthographicCamera(-0.5, 0.5, 0.5, -0.5, -10, 10);
  const stage = createStage(container, camera);
  const { scene } = stage;
  const aspect = width / height;
  stage.onResize = (w, h) => {
    // the whole frame in view, centred, pixels square
    const view = w / h;
    const halfW = Math.max(aspect, view) / 2;
    const halfH = Math.max(1, aspect / view) / 2;
    camera.left = -halfW;
    camera.right = halfW;
    camera.top = halfH;
    camera.bottom = -halfH;
    camera.updateProjectionMatrix();
  };

  const texture = (data) => {
    const t = new THREE.DataTexture(data, width, height, THREE.RGBAFormat);
    t.magFilter = THREE.NearestFilter;
    t.minFilter = THREE.NearestFilter;
    t.colorSpace = THREE.SRGBColorSpace;
    t.repeat.set(1, -1); // row 0 of the observation at the top
    t.offset.set(0, 1);
    t.needsUpdate = true;
    return t;
  };
  const frame = texture(new Uint8Array(width * height * 4));
  const heat = texture(new Uint8Array(width * height * 4));
  const geometry = new THREE.PlaneGeometry(aspect, 1);
  const plane = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ map: frame }));
  scene.add(plane);
  const overlayPlane = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ map: heat, transparent: true, depthWrite: false }));
  overlayPlane.position.z = 0.01;
  overlayPlane.visible = false;
  scene.add(overlayPlane);

  stage.resize();
  return {
    update(observation) {
      const values = observation || [];
      frame.image.data.set(frameRGBA(values, layout, valueScale(space, values)));
      frame.needsUpdate = true;
      stage.render();
    },
    /** Per-pixel attributions in [-1, 1] (length H*W*C, H*W*K or H*W) as a heatmap over the frame; null clears it. */
    overlay(values) {
      const bytes = values ? heatmapRGBA(values, layout) : null;
      overlayPlane.visible = Boolean(bytes);
      if (bytes) {
        heat.image.data.set(bytes);
        heat.needsUpdate = true;
      }
      stage.render();
    },
    dispose() {
      frame.dispose();
      heat.dispose();
      stage.dispose();
    },
  };
}
