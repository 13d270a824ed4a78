// Image observations (a Box of shape [H, W], [H, W, C] with C in {1, 3, 4}, or K stacked grey
// frames [H, W, K] or [K, H, W]; see pixels.js): the frame as a texture on a plane, pixels kept sharp
// (nearest filtering). overlay(values) blends a heatmap of per-pixel attributions over it,
// overlay({values, raw, what}) also labels the colour scale's ends with the raw attribution at
// full colour; overlay(null) clears it. The heatmap control (colour-scale.js) toggles it and sets
// its opacity. While editing (enableEditing), a brush paints, erases, copies or restores pixels
// (brush.js; its toolbar sits on the scene).
import { createStage } from './three-base.js';
import { copyPairs, createBrushTools, dabPairs } from './brush.js';
import { dragToEdit } from './scene-edit.js';
import { watch } from '../state.js';
import { createHeatControl, scaleEnd } from './colour-scale.js';
import { frameRGBA, heatmapRGBA, imageLayout, pixelSums, valueScale } from './pixels.js';
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
  const heatMaterial = new THREE.MeshBasicMaterial({ map: heat, transparent: true, depthWrite: false });
  const overlayPlane = new THREE.Mesh(geometry, heatMaterial);
  overlayPlane.position.z = 0.01;
  overlayPlane.visible = false;
  scene.add(overlayPlane);
  let hasHeat = false;
  const control = createHeatControl(container, ({ on, opacity }) => {
    overlayPlane.visible = hasHeat && on;
    heatMaterial.opacity = opacity;
    stage.render();
  });
  heatMaterial.opacity = control.state.opacity;

  /** The frame's pixel under a pointer event, or null off the frame. */
  function pixelAt(event) {
    const p = stage.worldAt(event);
    if (!p) return null;
    const col = Math.floor((p.x / aspect + 0.5) * width);
    const row = Math.floor((0.5 - p.y) * height);
    return row >= 0 && row < height && col >= 0 && col < width ? { row, col } : null;
  }

  let brush = null; // the toolbar, made when editing is first enabled
  let baseline = null; // erase's value of an element, from the attribution panel's baseline (null: not known here)

  function grab(event, observation) {
    const from = pixelAt(event);
    if (!from || !brush) return null;
    const options = { ...brush.state, baseline };
    if (options.mode === 'erase' && !baseline) return null;
    if (options.mode === 'copy') {
      const source = observation.slice(); // the patch as it was at the press, wherever the pointer goes
      return { stamp: true, move: (e) => { const to = pixelAt(e); return to && copyPairs(layout, source, from, to, options); } };
    }
    return { move: (e) => { const at = pixelAt(e); return at && dabPairs(layout, at, options); } };
  }

  stage.resize();
  return {
    /** The brush edits the image while the view state holds an edit; its toolbar shows meanwhile. */
    enableEditing(store) {
      const range = String(space.dtype || '') === 'uint8' ? [0, 255] : bounds(space);
      brush = brush || createBrushTools(container, layout, range);
      const stopDrag = dragToEdit(store, stage.canvas, grab);
      const unwatch = watch(store, ['edits', 'attributionQuery'], (s) => {
        brush.element.hidden = !s.edits;
        baseline = baselineOf(s.attributionQuery?.query?.baseline);
        const erase = brush.element.querySelector('[data-testid=brush-erase]');
        erase.disabled = !baseline;
        erase.parentElement.title = baseline ? 'set to the attribution baseline'
          : 'the mean baseline is the server\'s: pick the zero or a custom baseline to erase to it';
      });
      return () => {
        stopDrag();
        unwatch();
        brush.element.hidden = true;
      };
    },
    update(observation) {
      const values = observation || [];
      frame.image.data.set(frameRGBA(values, layout, valueScale(space, values)));
      frame.needsUpdate = true;
      stage.render();
    },
    /**
     * Per-pixel attributions in [-1, 1] (length H*W*C, H*W*K or H*W) as a heatmap over the frame,
     * or {values, raw, what}: raw (the same length, unscaled) labels the legend's ends; null clears it.
     */
    overlay(arg) {
      const { values, raw, what } = Array.isArray(arg) || ArrayBuffer.isView(arg) ? { values: arg } : (arg || {});
      const bytes = values ? heatmapRGBA(values, layout, 1) : null;
      hasHeat = Boolean(bytes);
      overlayPlane.visible = hasHeat && control.state.on;
      control.show(hasHeat);
      if (bytes) {
        heat.image.data.set(bytes);
        heat.needsUpdate = true;
        // Full colour is where the pixel sums of the display values reach max(1, their largest);
        // the raw sums there give the legend's numeric end.
        const shown = Math.max(1, scaleEnd(pixelSums(values, layout)));
        const rawEnd = raw ? rawAtFullColour(pixelSums(values, layout), pixelSums(raw, layout), shown) : shown;
        control.setScale(rawEnd, raw ? `${what || 'attribution'} per pixel` : 'normalized attribution per pixel');
      }
      stage.render();
    },
    /** overlay() takes {values, raw, features, what} as well as bare values. */
    overlayTakesObject: true,
    dispose() {
      frame.dispose();
      heat.dispose();
      stage.dispose();
    },
  };
}

/**
 * The raw per-pixel sum drawn at full colour: the ratio raw/shown of the pixel whose display sum is
 * largest below full colour (clipped outliers excluded), times the full-colour display sum.
 */
export function rawAtFullColour(shown, raw, full) {
  let best = -1;
  let ratio = 0;
  for (let p = 0; p < shown.length; p++) {
    const a = Math.abs(shown[p]);
    if (a > best && a < full && a > 0 && Number.isFinite(raw[p])) {
      best = a;
      ratio = Math.abs(raw[p]) / a;
    }
  }
  return best > 0 ? ratio * full : scaleEnd(raw);
}

/** The attribution baseline as a value per element: zero, or custom comma-separated values; null for mean (the server's). */
function baselineOf(baseline) {
  if (!baseline || baseline === 'zero') return () => 0;
  if (baseline === 'mean') return null;
  const values = String(baseline).split(',').map(Number);
  return (i) => values[i] ?? 0;
}

/** The pixel values' [low, high]: the Box bounds where finite, else 0–1. */
function bounds(space) {
  const low = Number([].concat(space.low ?? 0).flat(Infinity)[0]);
  const high = Number([].concat(space.high ?? 1).flat(Infinity)[0]);
  return Number.isFinite(low) && Number.isFinite(high) && high > low ? [low, high] : [0, 1];
}
