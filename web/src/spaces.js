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
      const start = space.start || [];
      space.nvec.forEach((n, i) => oneHot(Number(n), Number(v[i]) - Number(start[i] ?? 0), out));
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
