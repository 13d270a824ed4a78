// Pure grouping of attributions for reading: an image's pixels as patches (a 84×84 frame is not
// read pixel by pixel), a Dict observation's features under their key with the key's total, and
// answers regrouped so the over-time plot shows patches rather than near-identical pixels.
import { normalizeSigned } from './tables.js';

/** Side of the image patches the table and plot list. */
export const PATCH = 8;

/** Elements of a space once flattened (gymnasium.spaces.flatdim). */
export function flatSize(space) {
  switch (space?.type) {
    case 'Discrete': return Number(space.n);
    case 'MultiDiscrete': return [].concat(space.nvec || []).flat(Infinity).reduce((a, n) => a + Number(n), 0);
    case 'MultiBinary': return [].concat(space.n).reduce((a, n) => a * Number(n), 1);
    case 'Dict': return Object.keys(space.subspaces || {}).reduce((a, k) => a + flatSize(space.subspaces[k]), 0);
    case 'Tuple': return (space.subspaces || []).reduce((a, s) => a + flatSize(s), 0);
    default: return (space?.shape || []).reduce((a, n) => a * Number(n), 1);
  }
}

/** Per flat element its top-level key ("board", "position"), for Dict/Tuple spaces; null otherwise. */
export function elementKeys(space) {
  if (space?.type !== 'Dict' && space?.type !== 'Tuple') return null;
  const keys = space.type === 'Dict' ? Object.keys(space.subspaces || {}).sort() : (space.subspaces || []).map((_, i) => String(i));
  const out = [];
  for (const k of keys) {
    const sub = space.type === 'Dict' ? space.subspaces[k] : space.subspaces[Number(k)];
    for (let i = 0; i < flatSize(sub); i++) out.push(k);
  }
  return out;
}

/**
 * The patches of an image layout: [{label, elements}] in row-major patch order, `elements` the
 * flat indices of every channel (or stacked frame) of the patch's pixels; edge patches are smaller.
 */
export function imagePatches(layout, size = PATCH) {
  const { height, width, channels, channelFirst } = layout;
  const at = channelFirst ? (p, c) => c * height * width + p : (p, c) => p * channels + c;
  const patches = [];
  for (let r0 = 0; r0 < height; r0 += size) {
    for (let c0 = 0; c0 < width; c0 += size) {
      const r1 = Math.min(height, r0 + size) - 1;
      const c1 = Math.min(width, c0 + size) - 1;
      const elements = [];
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) for (let ch = 0; ch < channels; ch++) elements.push(at(r * width + c, ch));
      patches.push({ label: `rows ${r0}–${r1}, cols ${c0}–${c1}`, elements });
    }
  }
  return patches;
}

/** Sums of `values` over each group's elements (non-finite values count as 0). */
export function groupSums(values, groups) {
  return groups.map((g) => g.elements.reduce((s, i) => s + (Number.isFinite(values?.[i]) ? values[i] : 0), 0));
}

/**
 * The table rows of an image's patches: the rows attributionRows gives (label, value = the mean
 * observed value of the patch, raw per target = the sum of its pixels' attributions, normalized,
 * stderr null), strongest first.
 */
export function patchRows(patches, targets, observation = []) {
  const raws = targets.map((t) => groupSums(t.raw, patches));
  const normalized = normalizeSigned(raws);
  const rows = patches.map((p, i) => ({
    index: i,
    label: p.label,
    value: p.elements.length ? groupSums(observation, [p])[0] / p.elements.length : null,
    raw: raws.map((col) => col[i]),
    normalized: normalized.map((col) => col[i]),
    stderr: targets.map(() => null),
  }));
  rows.forEach((r) => { r.magnitude = Math.max(0, ...r.raw.map((v) => Math.abs(v))); });
  return rows.sort((a, b) => b.magnitude - a.magnitude || a.index - b.index);
}

/**
 * Rows (from attributionRows, each with its `index`) grouped under their Dict key:
 * [{key, total: per target the sum of the key's raw attributions, rows}], keys in flattening
 * order, each key's rows in the order given (strongest first).
 */
export function groupByKey(rows, keys) {
  const groups = new Map();
  for (const k of keys) if (!groups.has(k)) groups.set(k, { key: k, total: null, rows: [] });
  for (const r of rows) {
    const g = groups.get(keys[r.index]);
    if (!g) continue;
    g.rows.push(r);
    g.total = g.total ? g.total.map((v, j) => v + (r.raw[j] ?? 0)) : r.raw.map((v) => v ?? 0);
  }
  return [...groups.values()].filter((g) => g.rows.length > 0);
}

/**
 * An attributions answer with its features replaced by groups (an image's patches): features
 * are the groups' labels, each target's raw the groups' sums; the rest kept. For the plot.
 */
export function groupAnswer(answer, groups) {
  if (!answer) return answer;
  return {
    ...answer,
    features: groups.map((g) => g.label),
    steps: answer.steps.map((s) => ({
      ...s,
      targets: (s.targets || []).map((t) => ({ ...t, raw: groupSums(t.raw, groups), normalized: undefined, stderr: null })),
    })),
  };
}

/**
 * One answer for the whole episode from the windows fetched so far (same options): features of
 * the first, steps of every window by step (later windows win). Null when there is none.
 */
export function mergeWindows(windows) {
  if (!windows || windows.length === 0) return null;
  const byStep = new Map();
  for (const w of windows) for (const s of w.answer.steps) byStep.set(s.step, s);
  return { ...windows[0].answer, steps: [...byStep.values()].sort((a, b) => a.step - b.step) };
}
