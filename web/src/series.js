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
