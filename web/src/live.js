// What the viewer shows of a recording still being written: its /live events turned into the
// badge and the counts, and when a chart may be drawn again (pure, so node tests it).

/** The badge of a recording: "live" while it may grow, "finished" once it cannot. */
export function liveBadge(state) {
  return state && state.finished === false ? { text: 'live', className: 'live-state live' }
    : { text: 'finished', className: 'live-state finished' };
}

/** The recording summary `r` (from /api/rollouts) updated by a /live event's state. */
export function withLiveState(r, state) {
  return { ...r, episodes: state.episodes, steps: state.totalSteps, finished: state.finished };
}

/** Whether a chart last drawn at `lastMs` may be drawn again at `nowMs` (at most every `gapMs`). */
export function mayRedraw(lastMs, nowMs, gapMs = 2000) {
  return lastMs === null || nowMs - lastMs >= gapMs;
}

/**
 * What the episode page does with a /live event `live`, given what it shows — `shown`:
 * {episode, complete, atEnd} (atEnd: stopped at its last step) — and whether it follows the
 * live edge: {kind: 'refresh'} when the shown episode was still being recorded (its summary may
 * have grown or ended), {kind: 'jump', episode} when following and a newer episode exists once
 * the shown one is played to its end, else {kind: 'none'}.
 */
export function episodeLiveAction(shown, live, follow) {
  if (shown.complete === false) return { kind: 'refresh' };
  const newest = live.episodes - 1;
  if (follow && newest > shown.episode && shown.atEnd) return { kind: 'jump', episode: newest };
  return { kind: 'none' };
}

/** Rows the episode page shows of an episode summary: its steps, plus the final observation once complete. */
export function episodeRows(ep) {
  return ep.complete === false ? ep.length : ep.length + 1;
}
