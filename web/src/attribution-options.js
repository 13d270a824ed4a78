// Pure logic of the attribution controls: which methods, targets and options apply to a
// recording's spaces (so no picker offers a choice the server refuses), the query sent for the
// chosen options, the policy evaluations a request will cost (shown before it is sent), and the
// fix to offer when the server refuses one (docs/api.md, "Limits").
import { imageLayout } from './scenes/pixels.js';

/** Perturbed values one step may build on the server (Attributor.MAX_BATCH_VALUES). */
export const MAX_STEP_VALUES = 2 ** 24;
/** Shapley values are exact by default up to this many features (2^12 coalitions). */
export const AUTO_EXACT_FEATURES = 12;
/** The server's default occlusion window and stride. */
export const DEFAULT_WINDOW = '8,8';
export const DEFAULT_STRIDE = '4,4';

/** What kind of observation and action a recording has: {obs: image|dict|vector, action: discrete|continuous, d}. */
export function spaceKinds(metadata) {
  const space = metadata?.observationSpace;
  const obs = imageLayout(space) ? 'image' : space?.type === 'Dict' || space?.type === 'Tuple' ? 'dict' : 'vector';
  const action = metadata?.actionSpace?.type === 'Box' ? 'continuous' : 'discrete';
  return { obs, action, d: (metadata?.features?.observations || []).length };
}

/** The top-level keys of a Dict (sorted, as flattened) or Tuple observation; [] otherwise. */
export function observationKeys(space) {
  if (space?.type === 'Dict') return Object.keys(space.subspaces || {}).sort();
  if (space?.type === 'Tuple') return (space.subspaces || []).map((_, i) => String(i));
  return [];
}

/** Features the request attributes: keys with groups=keys, the groups and the ungrouped elements with custom groups, else every element. */
export function featureCount(params, metadata) {
  const { d } = spaceKinds(metadata);
  if (params.groups === 'keys') return Math.max(1, observationKeys(metadata?.observationSpace).length);
  if (params.groups === 'custom') {
    const g = parseGroups(params.groupsJson, featureLabels(metadata));
    if (!g.error) return g.count;
  }
  return d;
}

const featureLabels = (metadata) => (metadata?.features?.observations || []).map((f) => f.label);

/** The groups choices of the space: features, keys (Dict/Tuple observations), custom (a JSON object of groups). */
export function groupChoices(metadata) {
  return spaceKinds(metadata).obs === 'dict' ? ['features', 'keys', 'custom'] : ['features', 'custom'];
}

/**
 * User groups typed as JSON, {"name": ["feature label", …], …}, checked against the features'
 * labels before sending: {groups, count} (count: the groups plus the elements in none), or {error}.
 */
export function parseGroups(text, labels) {
  let groups;
  try {
    groups = JSON.parse(String(text ?? ''));
  } catch {
    return { error: 'groups must be a JSON object such as {"name": ["feature", …]}' };
  }
  if (!groups || typeof groups !== 'object' || Array.isArray(groups) || Object.keys(groups).length === 0) {
    return { error: 'groups must be a JSON object with at least one group' };
  }
  const known = new Set(labels);
  const seen = new Set();
  for (const [name, members] of Object.entries(groups)) {
    if (!Array.isArray(members) || members.length === 0) return { error: `group '${name}' must list at least one feature` };
    for (const m of members) {
      if (!known.has(m)) return { error: `group '${name}' names unknown feature '${m}'` };
      if (seen.has(m)) return { error: `feature '${m}' is in two groups` };
      seen.add(m);
    }
  }
  return { groups, count: Object.keys(groups).length + labels.length - seen.size };
}

/** Occlusion windows over an image of the layout for "h,w" window and stride (the server's corners). */
export function occlusionWindows(layout, window = DEFAULT_WINDOW, stride = DEFAULT_STRIDE) {
  const [wh, ww] = parsePair(window);
  const [sh, sw] = parsePair(stride);
  if (!layout || !wh || !ww || !sh || !sw || wh > layout.height || ww > layout.width) return 0;
  return (Math.floor((layout.height - wh) / sh) + 1) * (Math.floor((layout.width - ww) / sw) + 1);
}

/** "h,w" as two positive integers, or [] when it is not that. */
export function parsePair(text) {
  const parts = String(text ?? '').split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts.every((s) => /^\d+$/.test(s) && Number(s) > 0)) return [];
  return parts.map(Number);
}

/** Whether Shapley values of these options are enumerated (as the server decides when exact is auto). */
export function shapleyExact(params, m) {
  if (params.exact === 'exact') return true;
  if (params.exact === 'sampled') return false;
  return m <= AUTO_EXACT_FEATURES;
}

/** Perturbed observations one step of the request needs (the server's rowsPerStep), plus its own row. */
export function evaluationsPerStep(params, metadata) {
  const m = featureCount(params, metadata);
  switch (params.method) {
    case 'occlusion':
      return occlusionWindows(imageLayout(metadata?.observationSpace), params.window, params.stride) + 1;
    case 'shapley': {
      if (shapleyExact(params, m)) return 2 ** m + 1;
      const p = Math.max(1, Number(params.permutations) || 25);
      const passes = params.sampling === 'plain' ? p : 2 * Math.ceil(p / 2);
      return passes * m + 1;
    }
    default:
      return m + 1;
  }
}

/** The request's cost before it is sent: {perStep, steps, total, text}. */
export function estimateCost(params, metadata, steps) {
  const perStep = evaluationsPerStep(params, metadata);
  const total = perStep * steps;
  return { perStep, steps, total, text: `≈ ${total.toLocaleString('en')} policy evaluations (${perStep.toLocaleString('en')} per step × ${steps} steps)` };
}

/** The methods that apply: occlusion to images only; ablation and Shapley when a step fits the server's bounds. */
export function methodsFor(metadata) {
  const { obs, d } = spaceKinds(metadata);
  const fits = (method) => ['features', 'keys'].some((groups) => {
    // keys stand for any grouping: a Dict's keys, or the user's own groups of a vector
    if (groups === 'keys' && obs !== 'dict') return false;
    return evaluationsPerStep({ method, groups, exact: 'auto' }, metadata) * d <= MAX_STEP_VALUES;
  });
  const methods = ['ablation', 'shapley'].filter(fits);
  return obs === 'image' ? ['occlusion', ...methods] : methods;
}

/** The targets that apply: top-K and all only for discrete actions; value when the policy has a value head. */
export function targetsFor(metadata) {
  const { action } = spaceKinds(metadata);
  const base = action === 'discrete' ? ['picked', 'top-1', 'all'] : ['picked'];
  return (metadata?.policy?.targets || []).includes('value') ? [...base, 'value'] : base;
}

/**
 * Which options rows apply to the current choice: output (discrete actions, not the value),
 * groups (not for images: occlusion ignores them), window and stride (occlusion), the Shapley
 * estimator, and sampling and permutations (when Shapley values are sampled).
 */
export function optionsFor(params, metadata) {
  const { obs, action } = spaceKinds(metadata);
  const m = featureCount(params, metadata);
  const shapley = params.method === 'shapley';
  return {
    output: action === 'discrete' && params.target !== 'value',
    groups: params.method !== 'occlusion' && obs !== 'image',
    window: params.method === 'occlusion',
    exact: shapley,
    sampling: shapley && !shapleyExact(params, m),
  };
}

/**
 * The pickers' first values: occlusion for images (patches explain an image), else ablation;
 * policy A (`policy`: 'a' or 'b', which of two compared policies is explained).
 */
export function defaultParams(metadata) {
  return {
    policy: 'a', method: methodsFor(metadata)[0] || 'ablation', target: 'picked', baseline: 'zero', normalize: 'all',
    output: 'probability', groups: 'features', window: DEFAULT_WINDOW, stride: DEFAULT_STRIDE,
    exact: 'auto', sampling: 'antithetic', permutations: '25', custom: '', groupsJson: '',
  };
}

/**
 * A custom baseline typed by the user: d comma- or space-separated finite numbers.
 * {values: "a,b,…"} when it is, else {error} saying what is wrong.
 */
export function parseBaseline(text, d) {
  const parts = String(text ?? '').split(/[\s,]+/).filter((s) => s !== '');
  if (parts.length !== d) return { error: `a custom baseline needs ${d} numbers, got ${parts.length}` };
  const bad = parts.findIndex((s) => !Number.isFinite(Number(s)));
  if (bad >= 0) return { error: `baseline element ${bad} ('${parts[bad]}') is not a number` };
  return { values: parts.map(Number).join(',') };
}

/**
 * The query parameters for the options (only those that apply, defaults left out so the server's
 * defaults and cache keys stay as they were), or {error} when an option is not valid.
 */
export function attributionQuery(params, metadata) {
  const { d } = spaceKinds(metadata);
  const applies = optionsFor(params, metadata);
  const q = { method: params.method, target: params.target, baseline: params.baseline, normalize: params.normalize };
  // only B is named: A's requests (and the server's cache keys) stay as they were
  if (params.policy === 'b' && metadata?.comparePolicy) q.policy = 'b';
  if (params.baseline === 'custom') {
    const b = parseBaseline(params.custom, d);
    if (b.error) return { error: b.error };
    q.baseline = b.values;
  }
  if (applies.output && params.output === 'logit') q.output = 'logit';
  if (applies.groups && params.groups === 'keys') q.groups = 'keys';
  if (applies.groups && params.groups === 'custom') {
    const g = parseGroups(params.groupsJson, featureLabels(metadata));
    if (g.error) return { error: g.error };
    q.groups = JSON.stringify(g.groups);
  }
  if (applies.window) {
    if (!parsePair(params.window).length || !parsePair(params.stride).length) {
      return { error: 'window and stride must be two positive integers "h,w"' };
    }
    if (params.window !== DEFAULT_WINDOW) q.window = params.window;
    if (params.stride !== DEFAULT_STRIDE) q.stride = params.stride;
  }
  if (applies.exact && params.exact === 'exact') q.exact = 'true';
  if (applies.sampling && params.exact === 'sampled') q.exact = 'false';
  if (applies.sampling && (params.exact === 'sampled' || params.permutations !== '25' || params.sampling !== 'antithetic')) {
    const p = Number(params.permutations);
    if (!Number.isInteger(p) || p < 1 || p > 1000) return { error: 'permutations must be an integer from 1 to 1000' };
    q.sampling = params.sampling;
    q.permutations = String(p);
  }
  return { query: q };
}

/**
 * What to say and offer when the server refuses: {text, fix: {label, ...change}} where the
 * change is either new params or `steps` (fetch that many steps at a time); fix null when
 * there is nothing to offer. `error` is data.js's ApiError (status, message, details).
 */
export function fixFor(error, params, metadata) {
  const status = error?.status;
  const details = error?.details || {};
  if (status === 429) {
    return { text: 'The server is busy computing other attributions.', fix: { label: 'retry', retry: true } };
  }
  if (status === 503) {
    return { text: 'The computation took longer than the server allows.', fix: { label: 'compute 4 steps at a time', steps: 4 } };
  }
  if (status === 413) {
    const over = Number.isFinite(details.cost) ? `needs ${details.cost.toLocaleString('en')} ${details.unit || 'policy evaluations'}, over the server's ${Number(details.limit).toLocaleString('en')}` : 'is over the server\'s budget';
    if (details.maxSteps >= 1) {
      return { text: `This request ${over}.`, fix: { label: `compute ${details.maxSteps} steps at a time`, steps: details.maxSteps } };
    }
    return { text: `Even one step ${over}.`, fix: cheaper(params, metadata) };
  }
  if (status === 400) return { text: `The server refused these options: ${error.message}`, fix: cheaper(params, metadata) };
  return { text: error?.message || String(error), fix: null };
}

/** The cheaper options to try: larger occlusion windows, fewer permutations, keys, else the defaults. */
function cheaper(params, metadata) {
  if (params.method === 'occlusion') {
    // double window and stride until one step fits the server's per-step bound
    let [h, w] = parsePair(params.window);
    const layout = imageLayout(metadata?.observationSpace);
    const { d } = spaceKinds(metadata);
    while (h && layout && 2 * h <= layout.height && 2 * w <= layout.width) {
      h *= 2;
      w *= 2;
      const next = { window: `${h},${w}`, stride: `${h},${w}` };
      if (evaluationsPerStep({ ...params, ...next }, metadata) * d <= MAX_STEP_VALUES) return { label: `use larger windows (${h}×${w})`, params: next };
    }
  }
  if (params.method === 'shapley' && params.exact !== 'auto') return { label: 'let the server choose exact or sampled', params: { exact: 'auto', permutations: '25' } };
  if (optionsFor(params, metadata).groups && params.groups !== 'keys' && groupChoices(metadata).includes('keys')) return { label: 'attribute whole keys', params: { groups: 'keys' } };
  // the defaults of the options, not of which policy is explained
  const { policy, ...d } = defaultParams(metadata);
  return { label: `use ${d.method} with the defaults`, params: d };
}
