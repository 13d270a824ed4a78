// Pure logic of the policy landscape (POST …/landscape, docs/api.md): which features can be
// swept (each Box element, each Discrete or MultiDiscrete part as one axis of its values), the
// default axes and ranges, the request body, where the greedy action changes between cells, and
// an episode's trajectory through the two features. The panel (panels/landscape.js) draws it.
import { discreteValue, editControls } from './edits.js';

/**
 * The sweepable features of an observation space, in flattened order: {index, label, unit, kind,
 * low, high, size}, from the same walk of the space as the edit controls (edits.js). A Box element
 * is one ('range', or 'integers' for integer dtypes) with its bounds; a MultiBinary element
 * 'values' 0..1; a Discrete or a MultiDiscrete part is one 'values' axis (index: its one-hot's
 * first element, size: its length, low: start).
 */
export function sweepableFeatures(space, features = []) {
  return editControls(space, features, Infinity).map((c) => {
    if (c.kind === 'discrete') return { index: c.index, label: c.label, unit: '', kind: 'values', low: c.start, high: c.start + c.n - 1, size: c.n };
    if (c.kind === 'binary') return { index: c.index, label: c.label, unit: '', kind: 'values', low: 0, high: 1, size: 1 };
    return { index: c.index, label: c.label, unit: c.unit, kind: c.integer ? 'integers' : 'range', low: c.low, high: c.high, size: 1 };
  });
}

/** The sweepable feature holding flat element `index` (a block's any element), or null. */
export function sweepableAt(sweepable, index) {
  return sweepable.find((f) => index >= f.index && index < f.index + f.size) || null;
}

/**
 * The value of a sweepable feature in a flat observation: a block's value (start + hot element),
 * else the element itself.
 */
export function featureValue(f, observation) {
  if (!observation) return NaN;
  return f.size === 1 ? Number(observation[f.index]) : discreteValue(observation, { index: f.index, n: f.size, start: f.low });
}

/**
 * Default axes: the two features most attributed at the step (`ranking`: flat indexes, strongest
 * first), else the first two sweepable features; two different features, x before y.
 */
export function defaultAxes(sweepable, ranking = []) {
  const chosen = [];
  for (const i of [...ranking, ...sweepable.map((f) => f.index)]) {
    const f = sweepableAt(sweepable, i);
    if (f && !chosen.includes(f)) chosen.push(f);
    if (chosen.length === 2) break;
  }
  return chosen.length === 2 ? { x: chosen[0].index, y: chosen[1].index } : null;
}

/**
 * The range an axis sweeps: around what the episode visited (`observed`: {min, max}), a quarter
 * of its span wider on each side (±1 around a single value) and clipped to the space's bounds;
 * the bounds themselves when nothing was observed (and ±1 where they are infinite). A 'values'
 * axis (a block, MultiBinary) and an integer Box keep their bounds: every value is a cell.
 */
export function defaultRange(f, observed) {
  const bounded = Number.isFinite(f.low) && Number.isFinite(f.high);
  if (f.kind !== 'range' || !observed || !Number.isFinite(observed.min) || !Number.isFinite(observed.max)) {
    return bounded ? { from: f.low, to: f.high } : { from: Number.isFinite(f.low) ? f.low : -1, to: Number.isFinite(f.high) ? f.high : 1 };
  }
  let { min: lo, max: hi } = observed;
  const pad = hi - lo < 1e-9 ? 1 : (hi - lo) / 4;
  lo = Math.max(lo - pad, f.low);
  hi = Math.min(hi + pad, f.high);
  return { from: lo, to: hi };
}

/** Evenly spaced round values within [lo, hi] for an axis: about `count` of them (1, 2 or 5 × 10^k apart). */
export function niceTicks(lo, hi, count = 5) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999) ?? 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return out;
}

/** {min, max} of a feature over rows' flat observations (null observations skipped). */
export function observedRange(f, rows) {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const v = featureValue(f, r?.observation);
    if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  }
  return min <= max ? { min, max } : null;
}

/** The body of POST …/landscape; a 'values' axis sends no range (all the block's values). */
export function landscapeBody({ observation, x, y, resolution, target }) {
  const axis = (a) => (a.feature.kind === 'values' ? { feature: a.feature.index } : { feature: a.feature.index, from: a.from, to: a.to });
  const body = { observation, x: axis(x), y: axis(y), resolution: [resolution, resolution] };
  if (target !== null && target !== undefined && target !== '') body.target = target;
  return body;
}

/**
 * Cell edges where the greedy action changes: {vertical: [[i, j]] (between cells (i-1, j) and
 * (i, j)), horizontal: [[i, j]] (between (i, j-1) and (i, j))}; none without actions.
 */
export function actionBoundaries(actions) {
  const vertical = [];
  const horizontal = [];
  if (!Array.isArray(actions)) return { vertical, horizontal };
  for (let j = 0; j < actions.length; j++) {
    for (let i = 0; i < actions[j].length; i++) {
      if (i > 0 && actions[j][i] !== actions[j][i - 1]) vertical.push([i, j]);
      if (j > 0 && actions[j][i] !== actions[j - 1][i]) horizontal.push([i, j]);
    }
  }
  return { vertical, horizontal };
}

/** Where a value falls on an axis of swept values, in cells (0 at the first cell's centre); NaN outside. */
export function cellPosition(values, v) {
  const n = values.length;
  if (!Number.isFinite(v) || n === 0) return NaN;
  if (n === 1) return v === values[0] ? 0 : NaN;
  const lo = values[0];
  const hi = values[n - 1];
  if (v < Math.min(lo, hi) - 1e-9 || v > Math.max(lo, hi) + 1e-9) return NaN;
  // evenly spaced ranges map linearly; a block's values are consecutive integers, likewise
  return ((v - lo) / (hi - lo)) * (n - 1);
}

/** The episode's trajectory through the two features: [x, y] per row, [NaN, NaN] where a row is not loaded. */
export function trajectory(fx, fy, rows) {
  return Array.from(rows, (r) => (r?.observation ? [featureValue(fx, r.observation), featureValue(fy, r.observation)] : [NaN, NaN]));
}

/** [min, max] of a grid's finite values (probabilities keep [0, 1]). */
export function valueRange(values, output) {
  if (output === 'probability') return [0, 1];
  let min = Infinity;
  let max = -Infinity;
  for (const row of values || []) for (const v of row) if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  if (!(min <= max)) return [0, 1];
  return min === max ? [min - 1, max + 1] : [min, max];
}

/**
 * Flat feature indexes by the |attribution| of the first target at `step` in an attributions
 * answer (strongest first); features the answer names that are not elements (groups, patches)
 * are left out.
 */
export function rankingAt(answer, step, labels) {
  const entry = answer?.steps?.find((s) => s.step === step);
  const raw = entry?.targets?.[0]?.raw;
  if (!raw) return [];
  const index = new Map(labels.map((l, i) => [l, i]));
  return answer.features
    .map((label, k) => [index.get(label), Math.abs(raw[k])])
    .filter(([i, v]) => i !== undefined && Number.isFinite(v))
    .sort((a, b) => b[1] - a[1])
    .map(([i]) => i);
}
