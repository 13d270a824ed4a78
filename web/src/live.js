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
