// The attribution heatmaps' one colour scale (image and grid-world scenes): diverging, negative
// red and positive blue as the table's bars, opacity growing with |attribution|; the landscape's
// sequential scale (viridis) for values that are not signed; and the small
// control every heatmap shows on its scene: the legend with its numeric ends, an on/off toggle
// and an opacity slider.

export const POSITIVE = [0x2f, 0x6d, 0xb5];
export const NEGATIVE = [0xd0, 0x45, 0x3b];

/** A value in [-1, 1] (clamped) as [r, g, b, alpha in 0..1] at full opacity `maxAlpha`. */
export function divergingColour(v, maxAlpha = 1) {
  const c = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return [...(c < 0 ? NEGATIVE : POSITIVE), Math.abs(c) * maxAlpha];
}

/** Viridis at nine stops: a sequential scale readable in grey and by colour-blind readers. */
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129],
  [92, 200, 99], [170, 220, 50], [253, 231, 37]];

/** A value in [0, 1] (clamped) on the sequential scale (the landscape's heatmap): [r, g, b]. */
export function sequentialColour(t) {
  const c = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(c));
  const f = c - i;
  return VIRIDIS[i].map((v, k) => Math.round(v + (VIRIDIS[i + 1][k] - v) * f));
}

/** The sequential scale as a CSS gradient, for legends. */
export const SEQUENTIAL_GRADIENT = `linear-gradient(to top, ${VIRIDIS.map((c, i) => `rgb(${c}) ${(i / (VIRIDIS.length - 1)) * 100}%`).join(', ')})`;

/** The largest |value| (the scale's end), 0 for none. */
export function scaleEnd(values) {
  let m = 0;
  for (const v of values || []) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** The legend's numeric end as text: 3 significant digits. */
export function fmtEnd(v) {
  if (!Number.isFinite(v) || v === 0) return '0';
  return Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/**
 * The heatmap control on a scene's container (absolutely placed in its top-left corner, clear of
 * the centred board or frame): legend bar −end … 0 … +end, "heatmap" toggle and opacity slider.
 * onChange({on, opacity}) when the user changes either. setScale(end, what) labels the ends;
 * show(bool) hides the whole control while there is no heatmap.
 */
export function createHeatControl(container, onChange, { opacity = 0.75 } = {}) {
  const el = document.createElement('div');
  el.className = 'heat-control';
  el.dataset.testid = 'heat-control';
  el.innerHTML = `<label><input type="checkbox" data-testid="heat-toggle" checked> heatmap</label>
    <input type="range" min="0" max="100" value="${Math.round(opacity * 100)}" data-testid="heat-opacity" title="heatmap opacity">
    <div class="heat-legend" data-testid="heat-legend"><span class="heat-bar"></span>
      <span class="heat-ends"><span class="lo"></span><span>0</span><span class="hi"></span></span><span class="heat-what"></span></div>`;
  container.appendChild(el);
  const toggle = el.querySelector('[data-testid=heat-toggle]');
  const slider = el.querySelector('[data-testid=heat-opacity]');
  const state = { on: true, opacity };
  const changed = () => {
    state.on = toggle.checked;
    state.opacity = Number(slider.value) / 100;
    onChange({ ...state });
  };
  toggle.addEventListener('change', changed);
  slider.addEventListener('input', changed);
  el.hidden = true;
  return {
    state,
    setScale(end, what = 'attribution') {
      el.querySelector('.lo').textContent = `−${fmtEnd(end)}`;
      el.querySelector('.hi').textContent = `+${fmtEnd(end)}`;
      el.querySelector('.heat-what').textContent = what;
      el.dataset.end = String(end);
    },
    show(visible) {
      el.hidden = !visible;
    },
  };
}
