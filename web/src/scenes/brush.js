// The image scene's brush (observation surgery on images): the flat elements a square brush
// covers, and what each mode writes there — paint (a chosen grey), erase (the attribution
// baseline), copy (the patch under the press, following the pointer) and restore (the recorded
// values) — plus the brush's small toolbar on the scene. Pure but for the toolbar.

/** Brush sides offered, in pixels. */
export const BRUSH_SIZES = [1, 2, 4, 6, 8, 12, 16];
export const MODES = ['paint', 'erase', 'copy', 'restore'];

/**
 * Flat indices of the square of side `size` centred on pixel (row, col), clipped to the image,
 * for every channel (or stacked frame), or only the latest frame of a stack with `latestOnly`.
 * Each index comes with its pixel's offset from the square's corner: [[index, dr, dc], …].
 */
export function brushElements(layout, row, col, size, latestOnly = false) {
  const { height, width, channels, channelFirst, mode } = layout;
  const r0 = row - Math.floor((size - 1) / 2);
  const c0 = col - Math.floor((size - 1) / 2);
  const frames = latestOnly && (channelFirst || mode === 'stack') ? [channels - 1] : Array.from({ length: channels }, (_, c) => c);
  const out = [];
  for (let dr = 0; dr < size; dr++) {
    for (let dc = 0; dc < size; dc++) {
      const r = r0 + dr;
      const c = c0 + dc;
      if (r < 0 || r >= height || c < 0 || c >= width) continue;
      for (const ch of frames) out.push([channelFirst ? ch * height * width + r * width + c : (r * width + c) * channels + ch, dr, dc]);
    }
  }
  return out;
}

/**
 * The changes of one dab of the brush at (row, col): `value` for paint, `baseline(index)` for
 * erase, null (the recorded value) for restore. Copy uses copyPairs.
 */
export function dabPairs(layout, { row, col }, { mode, size, value, latestOnly, baseline = () => 0 }) {
  return brushElements(layout, row, col, size, latestOnly).map(([i]) => [i, mode === 'paint' ? value : mode === 'erase' ? baseline(i) : null]);
}

/** The changes that copy the patch at `from` (as `observation` holds it) to `to`: the same pixels, moved. */
export function copyPairs(layout, observation, from, to, { size, latestOnly }) {
  const source = brushElements(layout, from.row, from.col, size, latestOnly);
  const target = new Map(brushElements(layout, to.row, to.col, size, latestOnly).map(([i, dr, dc]) => [`${dr},${dc},${frameOf(layout, i)}`, i]));
  const out = [];
  for (const [i, dr, dc] of source) {
    const j = target.get(`${dr},${dc},${frameOf(layout, i)}`);
    if (j !== undefined) out.push([j, observation[i]]);
  }
  return out;
}

/** The channel (or stacked frame) of flat index i. */
function frameOf({ height, width, channels, channelFirst }, i) {
  return channelFirst ? Math.floor(i / (height * width)) : i % channels;
}

/**
 * The brush toolbar on the scene's container (top right, clear of the heatmap control): mode,
 * size, grey and, for stacked frames, whether only the latest frame is painted. `range` is the
 * pixel values' [low, high]. Returns {element, state} (state: {mode, size, value, latestOnly}).
 */
export function createBrushTools(container, layout, [low, high]) {
  const el = document.createElement('div');
  el.className = 'brush-tools';
  el.dataset.testid = 'brush-tools';
  el.hidden = true;
  const stack = layout.channelFirst || layout.mode === 'stack';
  const integer = Number.isInteger(low) && Number.isInteger(high);
  el.innerHTML = `<div class="modes">${MODES.map((m) => `<label title="${TITLES[m]}"><input type="radio" name="brush-mode" value="${m}" data-testid="brush-${m}"${m === 'paint' ? ' checked' : ''}> ${m}</label>`).join('')}</div>
    <label>size <select data-testid="brush-size">${BRUSH_SIZES.map((s) => `<option value="${s}"${s === 8 ? ' selected' : ''}>${s} px</option>`).join('')}</select></label>
    <label title="the value paint writes into every channel">grey <input type="number" data-testid="brush-grey" min="${low}" max="${high}" step="${integer ? 1 : 'any'}" value="${low}"></label>
    <span class="swatch" data-testid="brush-swatch"></span>
    ${stack ? '<label title="paint the latest frame only, or every stacked frame"><input type="checkbox" data-testid="brush-latest"> latest frame only</label>' : ''}
    <div class="hint">drag on the image · copy: drag from the patch to its new place</div>`;
  container.appendChild(el);
  const state = { mode: 'paint', size: 8, value: low, latestOnly: false };
  const swatch = el.querySelector('.swatch');
  const sync = () => {
    state.mode = el.querySelector('input[name=brush-mode]:checked')?.value || 'paint';
    state.size = Number(el.querySelector('[data-testid=brush-size]').value);
    const grey = Number(el.querySelector('[data-testid=brush-grey]').value);
    if (Number.isFinite(grey)) state.value = Math.min(high, Math.max(low, grey));
    state.latestOnly = Boolean(el.querySelector('[data-testid=brush-latest]')?.checked);
    const g = Math.round(((state.value - low) / (high - low || 1)) * 255);
    swatch.style.background = `rgb(${g}, ${g}, ${g})`;
  };
  el.addEventListener('input', sync);
  el.addEventListener('change', sync);
  el.addEventListener('keydown', (e) => e.stopPropagation()); // typing a grey is not the timeline's
  sync();
  return { element: el, state };
}

const TITLES = {
  paint: 'paint the grey below',
  erase: 'set to the attribution baseline (zero, or the custom values)',
  copy: 'drag from a patch to copy it there',
  restore: 'back to the recorded pixels',
};
