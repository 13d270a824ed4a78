// Pure helpers of the tables: sorting the episode list, the attribution rows.

/** How an episode ended: terminated, truncated, complete (neither flag) or cut off (no final row). */
export function episodeEnd(ep) {
  if (ep.terminated) return 'terminated';
  if (ep.truncated) return 'truncated';
  return ep.complete === false ? 'cut off' : 'complete';
}

/** A sorted copy of rows by key (numbers numerically, the rest as text); ties keep their order. */
export function sortRows(rows, key, ascending = true) {
  const sign = ascending ? 1 : -1;
  return rows.map((r, i) => [r, i]).sort(([a, i], [b, j]) => {
    const x = a[key], y = b[key];
    let c;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else if (x == null || y == null) c = x == null ? (y == null ? 0 : 1) : -1;
    else c = String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : i - j;
  }).map(([r]) => r);
}

/** Next sort state after clicking `key`: the same key flips, another starts ascending. */
export function toggleSort(state, key) {
  return state && state.key === key ? { key, ascending: !state.ascending } : { key, ascending: true };
}

/**
 * The attribution table's rows for one step: one per feature, with its label, observed value and
 * per target the raw and normalized attribution; sorted by the largest |raw| over targets, descending.
 */
export function attributionRows(features, targets, observation = []) {
  const rows = features.map((label, i) => ({
    index: i,
    label,
    value: observation[i],
    raw: targets.map((t) => t.raw[i]),
    normalized: targets.map((t) => (t.normalized ? t.normalized[i] : undefined)),
    stderr: targets.map((t) => (t.stderr ? t.stderr[i] : null)),
  }));
  rows.forEach((r) => {
    r.normalized = r.normalized.some((v) => v === undefined || v === null)
      ? normalizeSigned(targets.map((t) => t.raw)).map((col) => col[r.index])
      : r.normalized;
    r.magnitude = Math.max(0, ...r.raw.map((v) => Math.abs(v ?? 0)));
  });
  return rows.sort((a, b) => b.magnitude - a.magnitude || a.index - b.index);
}

/** Each column of values scaled by the largest |value| over all columns, into [-1, 1]. */
export function normalizeSigned(columns) {
  let max = 0;
  for (const col of columns) for (const v of col) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return columns.map((col) => col.map((v) => (max > 0 && Number.isFinite(v) ? v / max : 0)));
}

/** A signed bar: {left, width} in percent of a cell whose middle is zero; v is clamped to [-1, 1]. */
export function signedBar(v) {
  const c = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const width = Math.abs(c) * 50;
  return { left: c < 0 ? 50 - width : 50, width, sign: c < 0 ? -1 : c > 0 ? 1 : 0 };
}

/** The attribution window to fetch around `step`: [from, to) of `2*half+1` rows clipped to the episode. */
export function attributionWindow(step, rows, half = 32) {
  const from = Math.max(0, step - half);
  return { from, to: Math.min(rows, Math.max(step + 1, from + 2 * half + 1)) };
}

/** The steps [from, to) of `count` rows around `step`, clipped to the episode, `step` inside (a refusal's "N steps at a time"). */
export function windowOf(step, rows, count) {
  const from = Math.max(0, Math.min(step - Math.floor((count - 1) / 2), rows - count));
  return { from, to: Math.min(rows, Math.max(step + 1, from + count)) };
}

/**
 * An attribution as shown: the value, with ± its standard error when it was sampled and the
 * samples disagree (a zero error, every pass giving the same value, would only add noise).
 */
export function fmtAttribution(raw, stderr) {
  return Number.isFinite(stderr) && stderr > 0 ? `${fmt(raw)} ± ${fmt(stderr)}` : fmt(raw);
}

/**
 * What the table's status line says of how an answer was computed: the method, whether Shapley
 * values are exact or sampled (and how), and the efficiency gap of the first target.
 */
export function describeEstimate(answer, target) {
  let how = answer.method;
  if (answer.estimator === 'exact') how += ' (exact)';
  if (answer.estimator === 'sampled') {
    how += ` (sampled: ${answer.permutations} ${answer.sampling} permutations; ± one standard error)`;
  }
  const gap = target && Number.isFinite(target.gap) ? `; efficiency gap ${fmt(target.gap)}` : '';
  // output (probability or logit) applies to discrete actions only
  const of = target && target.action === 'value' ? 'value estimate'
    : target && target.probability === null ? 'action mean' : answer.output;
  return `${how}, baseline ${answer.baseline}, ${of}${gap}`;
}

/** Formats a number for the tables: up to 4 significant decimals, integers as they are. */
export function fmt(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toFixed(4);
}
