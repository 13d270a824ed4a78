// Pure logic of comparing two episodes, A and B, on one time axis: steps line up by index; an
// episode that ended holds its last row (its scene keeps its last frame, its return its final
// value), so B − A stays defined while the longer one goes on.
import { returnsSoFar } from './series.js';

/** The row an episode of `rows` rows shows at timeline step `step`: its own, or its last once it ended. */
export const heldRow = (step, rows) => Math.max(0, Math.min(step, rows - 1));

/**
 * `values` (one per row of an episode, null where unknown) stretched to `length` steps: past its
 * end the episode holds its last value (null stays null while rows are still loading).
 */
export function heldColumn(values, length) {
  const out = new Array(length).fill(null);
  const n = Math.min(values.length, length);
  for (let i = 0; i < n; i++) out[i] = values[i] ?? null;
  const last = values.length > 0 ? values[values.length - 1] ?? null : null;
  for (let i = n; i < length; i++) out[i] = last;
  return out;
}

/** B − A per step, null where either is unknown. */
export function differenceColumn(a, b) {
  return a.map((x, i) => (x === null || b[i] === null || b[i] === undefined ? null : b[i] - x));
}

/** {a, b, diff} columns over `length` steps from two value columns of different lengths. */
export function comparedColumns(valuesA, valuesB, length) {
  const a = heldColumn(valuesA, length);
  const b = heldColumn(valuesB, length);
  return { a, b, diff: differenceColumn(a, b) };
}

/** The return after each row of an episode's rows (null until its earlier rewards are known). */
export const returnColumn = (rows) => returnsSoFar(rows.map((r) => (r && Number.isFinite(r.reward) ? r.reward : null)));

/** Feature `index`'s value per row (null for rows not loaded yet). */
export function featureColumn(rows, index) {
  return rows.map((r) => {
    const v = r?.observation?.[index];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  });
}

/**
 * The observation features A and B share, matched by label (two recordings of one env label
 * their features alike; a feature only one side has cannot be compared): [{label, unit, a, b}]
 * with a and b the feature's flat index on each side, in A's order; `onlyA` and `onlyB` count the rest.
 */
export function sharedFeatures(featuresA = [], featuresB = []) {
  const inB = new Map();
  featuresB.forEach((f, i) => { if (!inB.has(f.label)) inB.set(f.label, i); });
  const shared = [];
  featuresA.forEach((f, i) => {
    if (inB.has(f.label)) shared.push({ label: f.label, unit: f.unit || featuresB[inB.get(f.label)].unit || '', a: i, b: inB.get(f.label) });
  });
  return { shared, onlyA: featuresA.length - shared.length, onlyB: featuresB.length - shared.length };
}

/** Past this many shared features (an image's pixels) only the ones that differ most get a plot. */
export const MAX_FEATURE_PLOTS = 100;
export const TOP_FEATURES = 24;

/**
 * Which shared features to plot: all of them up to `max`; beyond, the `top` with the largest sum
 * of |B − A| over the steps both have loaded, in feature order (ties: the earlier feature).
 */
export function featuresToPlot(shared, rowsA, rowsB, { max = MAX_FEATURE_PLOTS, top = TOP_FEATURES } = {}) {
  if (shared.length <= max) return shared;
  const n = Math.max(rowsA.length, rowsB.length);
  const weight = new Float64Array(shared.length);
  for (let s = 0; s < n; s++) {
    const oa = rowsA[heldRow(s, rowsA.length)]?.observation;
    const ob = rowsB[heldRow(s, rowsB.length)]?.observation;
    if (!oa || !ob) continue;
    shared.forEach((f, k) => {
      const d = ob[f.b] - oa[f.a];
      if (Number.isFinite(d)) weight[k] += Math.abs(d);
    });
  }
  return shared.map((f, k) => k).sort((x, y) => weight[y] - weight[x] || x - y).slice(0, top).sort((x, y) => x - y)
    .map((k) => shared[k]);
}

/** The mean |B − A| over the shared features per step (an image's "how different are the frames"). */
export function meanAbsDifference(shared, rowsA, rowsB, length) {
  const out = new Array(length).fill(null);
  for (let s = 0; s < length; s++) {
    const oa = rowsA[heldRow(s, rowsA.length)]?.observation;
    const ob = rowsB[heldRow(s, rowsB.length)]?.observation;
    if (!oa || !ob || shared.length === 0) continue;
    let sum = 0;
    for (const f of shared) sum += Math.abs((ob[f.b] ?? 0) - (oa[f.a] ?? 0));
    out[s] = sum / shared.length;
  }
  return out;
}

/** What a side's step label says at timeline step `step`: its step, or when and how it ended. */
export function sideStepText(step, rows, end) {
  const last = rows - 1;
  return step <= last ? `step ${step} / ${last}` : `ended at step ${last} (${end})`;
}
