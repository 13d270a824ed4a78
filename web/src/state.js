// The shared view state of a page: one small observable store that the scene, the panels and the
// timeline read and write, instead of callbacks threaded through the page. A change is a patch;
// subscribers hear the new state and the keys that changed, so each redraws only what it shows.

/**
 * A store over `initial` (e.g. {recording, episode, step, playing, selection, edits}).
 * set(patch) merges the keys whose values differ and tells every subscriber (state, changed keys);
 * subscribe(fn) returns the unsubscribe function.
 */
export function createStore(initial = {}) {
  let state = Object.freeze({ ...initial });
  const listeners = new Set();
  return {
    get: () => state,
    set(patch) {
      const changed = Object.keys(patch).filter((k) => !Object.is(state[k], patch[k]));
      if (changed.length === 0) return state;
      state = Object.freeze({ ...state, ...patch });
      for (const fn of [...listeners]) fn(state, changed);
      return state;
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/**
 * The episode page's view state: what is shown and how the step got there (`how`: play, step,
 * scrub, seek, init); `recorded` ({step, row}) the step's recorded row once loaded. Observation
 * surgery: `edits` (edits.js; null when not editing), `attributionQuery` (the attribution panel's
 * options), `probe` and `probeTiming` (probe.js: the policy's answer for the edited observation).
 * `hotspots` ({list, detectors}; panels/hotspots.js) the episode's hotspots and notes once found.
 */
export function createViewState({ recording, episode, step = 0, edits = null }) {
  return createStore({
    recording, episode, step, how: 'init', playing: false, selection: null, recorded: null,
    edits, attributionQuery: null, probe: null, probeTiming: null, hotspots: null,
  });
}

/** Calls fn(state) now and whenever one of `keys` changes; returns the unsubscribe function. */
export function watch(store, keys, fn) {
  fn(store.get());
  return store.subscribe((state, changed) => {
    if (changed.some((k) => keys.includes(k))) fn(state);
  });
}
