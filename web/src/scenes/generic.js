// Any Box observation: one bar per feature (up from zero when positive, down when negative),
// labelled with the feature labels of GET /api/rollouts/{id}. Bars are scaled by the space's
// finite bounds, or by the largest |value| seen so far when a bound is infinite.
import { createStage } from './three-base.js';
import * as THREE from 'three';

const MAX_BARS = 256;

export function create(container, metadata) {
  const features = (metadata?.features?.observations || []).slice(0, MAX_BARS);
  const space = metadata?.observationSpace || {};
  const camera = new THREE.OrthographicCamera(0, 1, 1.1, -1.1, -10, 10);
  container.classList.add('generic-scene');
  const stage = createStage(container, camera);
  const { scene } = stage;
  const labels = document.createElement('div');
  labels.className = 'generic-labels';
  container.appendChild(labels);

  let bars = [];
  let scales = [];
  const zero = new THREE.Mesh(new THREE.BoxGeometry(1, 0.006, 0.01), new THREE.MeshBasicMaterial({ color: 0x56606b }));
  scene.add(zero);
  const geometry = new THREE.BoxGeometry(1, 1, 0.01);
  geometry.translate(0, 0.5, 0); // grows up from y = 0

  function build(n) {
    bars.forEach((b) => { scene.remove(b); b.material.dispose(); });
    bars = [];
    scales = [];
    labels.replaceChildren();
    for (let i = 0; i < n; i++) {
      const bar = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ color: 0x2f6db5, side: THREE.DoubleSide }));
      bar.position.x = i + 0.5;
      bar.scale.set(0.7, 0.0001, 1);
      scene.add(bar);
      bars.push(bar);
      scales.push(bound(space, i));
      const label = document.createElement('div');
      label.className = 'generic-label';
      const f = features[i];
      label.textContent = f ? f.label : String(i);
      label.title = f ? `${f.label}${f.unit ? ` (${f.unit})` : ''}` : String(i);
      labels.appendChild(label);
    }
    camera.left = 0;
    camera.right = Math.max(1, n);
    camera.updateProjectionMatrix();
    zero.scale.x = Math.max(1, n);
    zero.position.x = Math.max(1, n) / 2;
  }
  build(features.length);

  stage.resize();
  return {
    update(observation) {
      const values = (observation || []).slice(0, MAX_BARS);
      if (values.length !== bars.length) build(values.length);
      values.forEach((v, i) => {
        const value = Number.isFinite(v) ? v : 0;
        if (!scales[i].fixed) scales[i].scale = Math.max(scales[i].scale, Math.abs(value));
        const h = Math.max(-1, Math.min(1, scales[i].scale > 0 ? value / scales[i].scale : 0));
        bars[i].scale.y = Math.abs(h) < 1e-4 ? 1e-4 : h;
        bars[i].material.color.set(h < 0 ? 0xd0453b : 0x2f6db5);
      });
      stage.render();
    },
    dispose() {
      geometry.dispose();
      stage.dispose();
    },
  };
}

/** The scale of element i: max(|low|, |high|) when both are finite, else grows with the values seen. */
function bound(space, i) {
  const at = (b) => Number(Array.isArray(b) ? b.flat(Infinity)[i] : b);
  const low = at(space.low);
  const high = at(space.high);
  if (Number.isFinite(low) && Number.isFinite(high)) return { fixed: true, scale: Math.max(Math.abs(low), Math.abs(high)) };
  return { fixed: false, scale: 0 };
}
