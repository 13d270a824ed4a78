// Pure helpers of the line plots: the columns of the action probability and attribution plots.

/**
 * One column per action from each row's action_probabilities (null or an array; rows not loaded
 * yet are null): columns[k][row] is action k's probability, null where unknown. No data: [].
 */
export function probabilityColumns(probs) {
  let count = 0;
  for (const p of probs) if (Array.isArray(p)) count = Math.max(count, p.length);
  const columns = [];
  for (let k = 0; k < count; k++) {
    columns.push(probs.map((p) => (Array.isArray(p) && Number.isFinite(p[k]) ? p[k] : null)));
  }
  return columns;
}

/** At most this many features are plotted: the strongest over the window when there are more. */
export const MAX_PLOTTED_FEATURES = 12;

/**
 * The attribution of each feature over the rows [from, to) of an attributions answer, for its
 * first target (the picked or most probable action): {x, labels, columns, total} with columns[i][j]
 * the raw attribution of plotted feature i at row from + j, null where the row has no target, and
 * total the number of features. Beyond maxSeries features only the maxSeries with the largest
 * sum of |attribution| over the window are plotted, in feature order. No data: no columns.
 */
export function attributionColumns(answer, from, to, maxSeries = MAX_PLOTTED_FEATURES) {
  const x = [];
  for (let s = from; s < to; s++) x.push(s);
  if (!answer || !Array.isArray(answer.features)) return { x, labels: [], columns: [], total: 0 };
  const byStep = new Map(answer.steps.map((e) => [e.step, e.targets && e.targets[0]]));
  const column = (i) => x.map((s) => {
    const v = byStep.get(s)?.raw?.[i];
    return Number.isFinite(v) ? v : null;
  });
  const total = answer.features.length;
  let chosen = answer.features.map((_, i) => i);
  if (total > maxSeries) {
    // an image has thousands of features: plot the ones with the most |attribution| over the window
    const weight = new Float64Array(total);
    for (const s of x) {
      const raw = byStep.get(s)?.raw;
      if (raw) for (let i = 0; i < total; i++) if (Number.isFinite(raw[i])) weight[i] += Math.abs(raw[i]);
    }
    chosen = chosen.sort((a, b) => weight[b] - weight[a] || a - b).slice(0, maxSeries).sort((a, b) => a - b);
  }
  const columns = chosen.map(column);
  const any = columns.some((col) => col.some((v) => v !== null));
  return { x, labels: any ? chosen.map((i) => answer.features[i]) : [], columns: any ? columns : [], total };
}

/** The value of `pick(row)` per row as a plot column: finite numbers, null where unknown. */
export function column(rows, pick) {
  return rows.map((r) => {
    const v = r ? pick(r) : null;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  });
}

/** The return so far where every earlier reward is known, else null (the final row has no reward). */
export function returnsSoFar(rewards) {
  const out = new Array(rewards.length).fill(null);
  let sum = 0;
  for (let i = 0; i < rewards.length; i++) {
    if (rewards[i] === null && i < rewards.length - 1) break;
    sum += rewards[i] ?? 0;
    out[i] = sum;
  }
  return out;
}

/** The recorded value estimate per row, or null when no loaded row has one (no plot). */
export function valueColumn(rows) {
  const col = column(rows, (r) => r.value);
  return col.some((v) => v !== null) ? col : null;
}

/** Named scalars (each row's `scalars` object): {names (sorted), columns}; none: empty arrays. */
export function scalarColumns(rows) {
  const names = new Set();
  for (const r of rows) if (r && r.scalars && typeof r.scalars === 'object') Object.keys(r.scalars).forEach((k) => names.add(k));
  const sorted = [...names].sort();
  return { names: sorted, columns: sorted.map((n) => column(rows, (r) => r.scalars?.[n])) };
}

const finiteOr = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The action plots of an action space from each row's action: a Discrete action one plot of the
 * action taken; a Box one plot per dimension (at most `max`) with its low and high bounds when
 * finite; a MultiDiscrete one plot per sub-action; a MultiBinary one plot of its bits.
 * Each: {id, title, labels, columns, bounds: [low, high] | null}. `labels` name dimensions
 * (the space's labels, else index).
 */
export function actionPlots(space, rows, max = 8) {
  const actions = rows.map((r) => (r ? r.action : null));
  const at = (i) => actions.map((a) => finiteOr(Array.isArray(a) ? a[i] : i === 0 ? a : null));
  const type = space?.type;
  if (type === 'Discrete') {
    return [{ id: 'action', title: 'Action taken', labels: ['action'], columns: [at(0)], bounds: null, discrete: true }];
  }
  const width = type === 'MultiDiscrete' ? (space.nvec || []).length
    : Array.isArray(space?.shape) ? space.shape.reduce((a, b) => a * b, 1) : 0;
  if (!(width > 0)) return [];
  const names = Array.isArray(space.labels) ? space.labels : [];
  const name = (i) => names[i] || (width === 1 ? 'action' : `action[${i}]`);
  if (type === 'Box') {
    const low = [].concat(space.low ?? []).flat(Infinity); // nested in the Box's shape
    const high = [].concat(space.high ?? []).flat(Infinity);
    const bound = (list, i) => {
      const v = Number(list.length === 1 ? list[0] : list[i]);
      return Number.isFinite(v) ? v : null;
    };
    return Array.from({ length: Math.min(width, max) }, (_, i) => {
      const lo = bound(low, i);
      const hi = bound(high, i);
      const unit = Array.isArray(space.units) ? space.units[i] || '' : '';
      return { id: `action-${i}`, title: name(i), unit, labels: [name(i)], columns: [at(i)], bounds: lo !== null && hi !== null ? [lo, hi] : null };
    });
  }
  if (type === 'MultiDiscrete') {
    const start = space.start || [];
    return space.nvec.slice(0, max).map((n, i) => ({
      id: `action-${i}`, title: `${name(i)} (${n} choices)`, labels: [name(i)], columns: [at(i)],
      bounds: [Number(start[i] ?? 0), Number(start[i] ?? 0) + Number(n) - 1], discrete: true,
    }));
  }
  if (type === 'MultiBinary') {
    const n = Math.min(width, max);
    return [{ id: 'action', title: 'Action bits', labels: Array.from({ length: n }, (_, i) => name(i)), columns: Array.from({ length: n }, (_, i) => at(i)), bounds: [0, 1], discrete: true }];
  }
  return [];
}
