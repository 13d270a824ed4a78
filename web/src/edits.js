// Observation surgery, pure: an edit is a set of changed elements of one step's flat observation
// (gymnasium.spaces.flatten order, as the panels and scenes see it), each with its new value.
// Only elements that differ from the recording are kept, so "reset" is an empty edit and a link
// stays short. In the URL an edit is a list of runs of flat indices with their values
// (encodeEdits): a painted image patch is a few "from-to:value" runs, not thousands of numbers.
import { imageLayout } from './scenes/pixels.js';

/** Groups with more elements than this get no per-element controls (images, long vectors). */
export const MAX_CONTROLS = 200;
/** Runs of at least this many equal values are written as a range "from-to:value". */
const MIN_RANGE = 3;

/** An edit of step `step` with no change yet: edit mode on a recorded observation. */
export function emptyEdits(step) {
  return { step, changes: new Map() };
}

/** The number of changed elements (0 for none or no edit). */
export const changeCount = (edits) => (edits ? edits.changes.size : 0);

/** The recorded flat observation with the edit's changes applied (a copy; the recording is untouched). */
export function applyEdits(observation, edits) {
  const out = Array.from(observation ?? []);
  if (edits) for (const [i, v] of edits.changes) if (i < out.length) out[i] = v;
  return out;
}

/**
 * The edit with `pairs` ([index, value]) applied: a value equal to the recorded one, or null,
 * drops the change (back to the recording). Returns a new edit; `edits` is not modified.
 */
export function withChanges(edits, recorded, pairs) {
  const changes = new Map(edits.changes);
  for (const [i, v] of pairs) {
    if (v === null || v === undefined || Number(v) === recorded?.[i]) changes.delete(i);
    else changes.set(i, Number(v));
  }
  return { step: edits.step, changes };
}

/** A number in the URL: shortest form, no '+' (a '+' in a query reads as a space). */
function num(v) {
  return String(v).replace('e+', 'e');
}

/**
 * The edit as URL text: comma-separated runs of consecutive indices, "i-j:v" when i..j all hold v
 * and "i:v1_v2_…" otherwise ("" for an edit without changes).
 */
export function encodeEdits(edits) {
  const entries = [...(edits?.changes ?? [])].sort((a, b) => a[0] - b[0]);
  const runs = [];
  let k = 0;
  while (k < entries.length) {
    // a run of equal values at consecutive indices
    let end = k;
    while (end + 1 < entries.length && entries[end + 1][0] === entries[end][0] + 1 && entries[end + 1][1] === entries[k][1]) end++;
    const last = runs[runs.length - 1];
    if (end - k + 1 >= MIN_RANGE) {
      runs.push({ from: entries[k][0], to: entries[end][0], values: [entries[k][1]] });
    } else if (last && last.to === undefined && last.from + last.values.length === entries[k][0]) {
      for (let j = k; j <= end; j++) last.values.push(entries[j][1]);
    } else {
      runs.push({ from: entries[k][0], values: entries.slice(k, end + 1).map((e) => e[1]) });
    }
    k = end + 1;
  }
  return runs.map((r) => (r.to === undefined ? `${r.from}:${r.values.map(num).join('_')}` : `${r.from}-${r.to}:${num(r.values[0])}`)).join(',');
}

/**
 * The edit of step `step` in URL text (encodeEdits), checked against the observation's `size`
 * (flat elements): {edits} or {error} naming the run that is not valid.
 */
export function decodeEdits(text, step, size = Infinity) {
  const edits = emptyEdits(step);
  const body = String(text ?? '').trim();
  if (body === '') return { edits };
  for (const run of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?:(.+)$/.exec(run);
    const values = m ? m[3].split('_').map(Number) : [];
    if (!m || values.some((v) => !Number.isFinite(v)) || (m[2] !== undefined && values.length !== 1)) {
      return { error: `the edit in the URL has an unreadable part '${run}'` };
    }
    const from = Number(m[1]);
    const to = m[2] === undefined ? from + values.length - 1 : Number(m[2]);
    if (to < from || to >= size) return { error: `the edit in the URL changes element ${to}, but the observation has ${size}` };
    for (let i = from; i <= to; i++) edits.changes.set(i, m[2] === undefined ? values[i - from] : values[0]);
  }
  return { edits };
}

/** Bounds as per-element numbers: a scalar or nested array of numbers or "Infinity"-like strings. */
export function flatBounds(bound, size) {
  const parse = (b) => {
    if (typeof b === 'number') return b;
    const s = String(b ?? '').trim().toLowerCase();
    if (['infinity', 'inf', '+inf', '+infinity'].includes(s)) return Infinity;
    if (['-infinity', '-inf'].includes(s)) return -Infinity;
    return b === null || b === undefined || s === '' ? NaN : Number(b);
  };
  const flat = Array.isArray(bound) ? bound.flat(Infinity).map(parse) : [];
  return Array.from({ length: size }, (_, i) => (flat.length > 1 ? flat[i] : flat.length === 1 ? flat[0] : parse(bound)));
}

/** A bound a slider can use: finite and not float32's "unbounded" maximum. */
const usable = (b) => Number.isFinite(b) && Math.abs(b) < 1e30;

/**
 * The slider's range of one Box element: its bounds where usable, else the range observed in the
 * recording ({min, max}, or null) widened by half its span each way (an edit may go beyond what
 * the agent saw), else ±1 around 0. `step` is a thousandth of the span (1 for integer dtypes).
 */
export function sliderRange(low, high, observed, integer = false) {
  let min = usable(low) ? low : null;
  let max = usable(high) ? high : null;
  if (min === null || max === null) {
    const lo = observed && Number.isFinite(observed.min) ? observed.min : 0;
    const hi = observed && Number.isFinite(observed.max) ? observed.max : 0;
    const pad = Math.max((hi - lo) / 2, Math.abs(hi - lo) === 0 ? 1 : 0);
    if (min === null) min = Math.min(lo - pad, max ?? Infinity);
    if (max === null) max = Math.max(hi + pad, min);
  }
  if (integer) return { min: Math.ceil(min), max: Math.floor(max), step: 1 };
  const step = Number(((max - min) / 1000 || 0.001).toPrecision(1));
  return { min, max, step };
}

/** Per element {min, max} of the rows' flat observations, merged into `ranges` (an array, grown as needed). */
export function observeRanges(ranges, rows, limit = MAX_CONTROLS * 8) {
  for (const row of rows) {
    const obs = row?.observation || [];
    for (let i = 0; i < Math.min(obs.length, limit); i++) {
      const v = obs[i];
      if (!Number.isFinite(v)) continue;
      const r = ranges[i] || (ranges[i] = { min: v, max: v });
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
  }
  return ranges;
}

const dictKeys = (space) => Object.keys(space.subspaces || {}).sort();
const isInteger = (dtype) => /^u?int/.test(String(dtype || ''));
const product = (shape) => [].concat(shape ?? []).flat(Infinity).reduce((a, n) => a * Number(n), 1);

/**
 * The edit controls of an observation space, in flat order: per Box element {kind: 'box', index,
 * label, unit, low, high, integer}; per Discrete (and each MultiDiscrete part) {kind: 'discrete',
 * index (its one-hot's first element), n, start, names}; per MultiBinary element {kind: 'binary',
 * index}; a Box of more than MAX_CONTROLS elements {kind: 'block', index, size, layout (its image
 * layout, or null: edited with the scene's brush)}; `maxControls` (default MAX_CONTROLS) sets that size.
 * Each carries `group`: its top-level Dict key or Tuple position ('' for none).
 */
export function editControls(space, features = [], maxControls = MAX_CONTROLS) {
  const out = [];
  const label = (i, fallback) => features[i]?.label ?? fallback;
  const unit = (i) => features[i]?.unit ?? '';
  const walk = (s, at, group, name) => {
    switch (s?.type) {
      case 'Discrete':
        out.push({ kind: 'discrete', index: at, n: Number(s.n), start: Number(s.start ?? 0), names: s.labels || null, label: name, group });
        return at + Number(s.n);
      case 'MultiDiscrete': {
        const nvec = [].concat(s.nvec).flat(Infinity).map(Number);
        const start = [].concat(s.start ?? []).flat(Infinity).map(Number);
        nvec.forEach((n, k) => {
          out.push({ kind: 'discrete', index: at, n, start: start[k] ?? 0, names: null, label: `${name}[${k}]`, group });
          at += n;
        });
        return at;
      }
      case 'MultiBinary': {
        const size = product(s.n);
        for (let k = 0; k < size; k++) out.push({ kind: 'binary', index: at + k, label: label(at + k, `${name}[${k}]`), group });
        return at + size;
      }
      case 'Dict':
        for (const k of dictKeys(s)) at = walk(s.subspaces[k], at, group === null ? k : group, group === null ? k : `${name}.${k}`);
        return at;
      case 'Tuple':
        s.subspaces.forEach((sub, k) => { at = walk(sub, at, group === null ? String(k) : group, group === null ? String(k) : `${name}[${k}]`); });
        return at;
      default: {
        const size = product(s?.shape ?? [features.length - at]);
        // a small 2-D Box (a grid world's board) gets a control per cell; only large ones a brush
        if (size > maxControls) {
          out.push({ kind: 'block', index: at, size, layout: imageLayout(s), dtype: s?.dtype, low: flatBounds(s?.low, 1)[0], high: flatBounds(s?.high, 1)[0], label: name, group });
          return at + size;
        }
        const low = flatBounds(s?.low, size);
        const high = flatBounds(s?.high, size);
        for (let k = 0; k < size; k++) {
          out.push({ kind: 'box', index: at + k, label: label(at + k, `${name}[${k}]`), unit: unit(at + k), low: low[k], high: high[k], integer: isInteger(s?.dtype), group });
        }
        return at + size;
      }
    }
  };
  const top = space?.type === 'Dict' || space?.type === 'Tuple';
  walk(space, 0, top ? null : '', 'observation');
  return out;
}

/** The value a Discrete control shows: the hot element of its one-hot plus start (start when none is hot). */
export function discreteValue(observation, control) {
  let best = 0;
  for (let k = 1; k < control.n; k++) if (observation[control.index + k] > observation[control.index + best]) best = k;
  return control.start + best;
}

/** The changes that make a Discrete control hold `value`: its one-hot rewritten. */
export function discretePairs(control, value) {
  return Array.from({ length: control.n }, (_, k) => [control.index + k, control.start + k === Number(value) ? 1 : 0]);
}

/**
 * The observation the view shows at its step: the edited one while an edit of that step changes
 * something, else the recorded row's; {step, flat, raw, edited} (raw: as the server takes it), or
 * null before the step's row is loaded. `unflatten` is spaces.js's unflattenObservation.
 */
export function shownObservation(s, space, unflatten) {
  const rec = s.recorded;
  if (!rec?.row?.observation) return null;
  const edited = changeCount(s.edits) > 0 && s.edits.step === rec.step;
  if (!edited) return { step: rec.step, flat: rec.row.observation, raw: rec.row.rawObservation, edited };
  const flat = applyEdits(rec.row.observation, s.edits);
  return { step: rec.step, flat, raw: unflatten(space, flat), edited };
}
