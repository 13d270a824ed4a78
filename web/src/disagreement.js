// Pure logic of the disagreement strip (panels/disagreement-strip.js): the windows an episode's
// disagreement is fetched in (docs/api.md, GET …/disagreement), the answers merged, the runs of
// steps where the two policies' greedy actions differ (one mark each), where a mark sits on the
// stack's step axis, and what the strip's label says.

/** Most rows one disagreement request may ask for (the server's cap, as the steps route's). */
export const ROUTE_MAX_STEPS = 20000;
/** Episodes longer than this get no strip: the plots switch to server-side buckets there too. */
export const STRIP_MAX_ROWS = 50000;

/** Windows [from, to) of at most `size` rows covering rows [0, rows). */
export function windows(rows, size = ROUTE_MAX_STEPS) {
  const out = [];
  for (let from = 0; from < rows; from += size) out.push({ from, to: Math.min(rows, from + size) });
  return out;
}

/** Answers of consecutive windows as one: {a, b, measure, from, to, steps, disagreeing}. */
export function mergeAnswers(answers) {
  if (answers.length === 0) return null;
  const steps = answers.flatMap((x) => x.steps);
  const { a, b, measure, episode } = answers[0];
  return {
    episode, a, b, measure, from: answers[0].from, to: answers[answers.length - 1].to, steps,
    disagreeing: answers.reduce((n, x) => n + x.disagreeing, 0),
  };
}

/** Runs of consecutive steps whose greedy actions differ: [{from, to}], `to` excluded, in step order. */
export function differingRuns(steps) {
  const runs = [];
  for (const s of steps) {
    if (!s.differs) continue;
    const last = runs[runs.length - 1];
    if (last && last.to === s.step) last.to = s.step + 1;
    else runs.push({ from: s.step, to: s.step + 1 });
  }
  return runs;
}

/** The distance per row of an episode of `rows` rows (null where no step was answered): the bars. */
export function distanceColumn(steps, rows) {
  const column = new Array(rows).fill(null);
  for (const s of steps) if (s.step >= 0 && s.step < rows) column[s.step] = s.distance;
  return column;
}

/**
 * Where a run's mark sits, in percent of the plot area's width, on the stack's axis of steps
 * 0..rows−1 (step-plot.js): step k's bar spans k ± ½, so a run covers from − ½ to to − ½.
 */
export function markBox(run, rows) {
  const span = Math.max(1, rows - 1);
  const at = (x) => Math.min(100, Math.max(0, (100 * x) / span));
  const left = at(run.from - 0.5);
  return { left, width: Math.max(0, at(run.to - 0.5) - left) };
}

/** The name of what the bars measure. */
export function measureName(measure) {
  return measure === 'euclidean' ? 'distance between the action means' : 'total variation';
}

/** The strip's label: which policy is A and which B, where they differ, what a bar is. */
export function describe(answer) {
  const n = answer.disagreeing;
  const of = answer.steps.length;
  return `policy A (${answer.a}) vs B (${answer.b}): greedy actions differ at ${n} of ${of} step${of === 1 ? '' : 's'}; `
    + `bar = ${measureName(answer.measure)}`;
}

/** What the legend says of one step: both greedy actions (Box: their means), or null. */
export function stepText(step) {
  if (!step) return null;
  const show = (v) => (Array.isArray(v) ? `[${v.map((x) => (Number.isInteger(x) ? x : Number(x).toPrecision(3))).join(', ')}]` : String(v));
  return `A ${show(step.greedyA)} · B ${show(step.greedyB)}${step.differs ? ' (differ)' : ''}`;
}
