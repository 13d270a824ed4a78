// Observations flattened by their space as gymnasium.spaces.flatten does, the viewer's one
// flattening: the server labels features (metadata.features.observations) and feeds the policy
// and the attributions in this order, so panels, scenes and attribution tables line up with it.
//
// Spaces are the space JSON of GET /api/rollouts/{id} (docs/format.md, section 6); values are
// what data.js reads from the Arrow stream (plain JS: numbers, arrays, objects).

/** Dict keys in the order Gymnasium (and the recorder) flattens them: sorted. */
function dictKeys(space) {
  // Object.keys would put integer-like keys first; Gymnasium sorts all keys as strings.
  return Object.keys(space.subspaces || {}).sort();
}

/**
 * `value`, a member of `space`, as a flat array of numbers in gymnasium.spaces.flatten order:
 * Box and MultiBinary raveled row-major, Discrete one-hot (`n` entries, value - start set),
 * MultiDiscrete the one-hots concatenated, Dict by sorted key, Tuple by position. Without a
 * known space the value is raveled (arrays in order, objects by key), which is right for a Box.
 * A Discrete value outside the space gives an all-zero one-hot rather than failing the page.
 */
export function flattenObservation(space, value, out = []) {
  if (value === null || value === undefined) return out;
  switch (space?.type) {
    case 'Discrete': {
      oneHot(Number(space.n), Number(value) - Number(space.start ?? 0), out);
      return out;
    }
    case 'MultiDiscrete': {
      const v = ravel(value);
      // a MultiDiscrete of more than one dimension has nested nvec and start: raveled alike
      const start = ravel(space.start ?? []);
      ravel(space.nvec).forEach((n, i) => oneHot(Number(n), Number(v[i]) - Number(start[i] ?? 0), out));
      return out;
    }
    case 'Dict':
      for (const k of dictKeys(space)) flattenObservation(space.subspaces[k], value[k], out);
      return out;
    case 'Tuple':
      // Arrow stores a Tuple as a struct with fields "0", "1", …: value[i] reads both forms
      space.subspaces.forEach((s, i) => flattenObservation(s, value[i], out));
      return out;
    default:
      return ravel(value, out);
  }
}

function oneHot(n, index, out) {
  const at = out.length;
  for (let i = 0; i < n; i++) out.push(0);
  if (Number.isInteger(index) && index >= 0 && index < n) out[at + index] = 1;
}

/** Numbers of a nested value in order: arrays element by element, objects by key, booleans as 0/1. */
function ravel(v, out = []) {
  if (v === null || v === undefined) return out;
  if (typeof v === 'number') out.push(v);
  else if (typeof v === 'bigint') out.push(Number(v));
  else if (typeof v === 'boolean') out.push(v ? 1 : 0);
  else if (Array.isArray(v) || ArrayBuffer.isView(v)) for (const x of v) ravel(x, out);
  else if (typeof v === 'object') Object.keys(v).forEach((k) => ravel(v[k], out));
  return out;
}

/**
 * The inverse of flattenObservation: a flat array in gymnasium.spaces.flatten order as a value
 * of `space` in the form POST /evaluate takes (a Box nested by its shape, a Discrete the argmax
 * of its one-hot plus start, MultiDiscrete the argmaxes, Dict by sorted key, Tuple an array).
 * Without a known space the flat array is returned as it is (a flat Box is accepted as well).
 */
export function unflattenObservation(space, flat) {
  return unflattenAt(space, Array.from(flat ?? [], Number), { i: 0 });
}

function unflattenAt(space, flat, at) {
  const take = (n) => flat.slice(at.i, (at.i += n));
  switch (space?.type) {
    case 'Discrete':
      return argmax(take(Number(space.n))) + Number(space.start ?? 0);
    case 'MultiDiscrete': {
      const nvec = ravel(space.nvec);
      const start = ravel(space.start ?? []);
      const values = nvec.map((n, i) => argmax(take(Number(n))) + Number(start[i] ?? 0));
      return reshape(values, shapeOf(space.nvec));
    }
    case 'MultiBinary': {
      const shape = [].concat(space.n).map(Number);
      return reshape(take(shape.reduce((a, n) => a * n, 1)), shape.length > 1 ? shape : [shape[0]]);
    }
    case 'Dict': {
      const out = {};
      for (const k of dictKeys(space)) out[k] = unflattenAt(space.subspaces[k], flat, at);
      return out;
    }
    case 'Tuple':
      return space.subspaces.map((s) => unflattenAt(s, flat, at));
    case 'Box': {
      const shape = (space.shape || []).map(Number);
      const values = take(shape.reduce((a, n) => a * n, 1));
      return shape.length === 0 ? values[0] : reshape(values, shape);
    }
    default:
      return take(flat.length - at.i);
  }
}

/** The index of the largest value (the first on ties): a one-hot's hot element. */
function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The shape of a nested array ([[a, b], [c, d]] -> [2, 2]); a number has shape []. */
function shapeOf(v) {
  const shape = [];
  for (let x = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  return shape;
}

/** Row-major values nested by `shape` (one dimension: the values themselves). */
function reshape(values, shape) {
  if (shape.length <= 1) return values;
  const inner = shape.slice(1).reduce((a, n) => a * n, 1);
  return Array.from({ length: shape[0] }, (_, i) => reshape(values.slice(i * inner, (i + 1) * inner), shape.slice(1)));
}
