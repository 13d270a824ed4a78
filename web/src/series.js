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

/**
 * The attribution of each feature over the rows [from, to) of an attributions answer, for its
 * first target (the picked or most probable action): {x, labels, columns} with columns[i][j] the
 * raw attribution of feature i at row from + j, null where the row has no target. No data: no columns.
 */
export function attributionColumns(answer, from, to) {
  const x = [];
  for (let s = from; s < to; s++) x.push(s);
  if (!answer || !Array.isArray(answer.features)) return { x, labels: [], columns: [] };
  const byStep = new Map(answer.steps.map((e) => [e.step, e.targets && e.targets[0]]));
  const columns = answer.features.map((_, i) => x.map((s) => {
    const v = byStep.get(s)?.raw?.[i];
    return Number.isFinite(v) ? v : null;
  }));
  const any = columns.some((col) => col.some((v) => v !== null));
  return { x, labels: any ? answer.features.slice() : [], columns: any ? columns : [] };
}
