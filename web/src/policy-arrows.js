// Feeds a scene that draws the policy over the agent's position (the grid world's arrows): when
// the scene names the two features to sweep (scene.policySweep) and wants them drawn, the
// landscape over them with target "greedy" (each cell's own greedy move and its probability) at
// the observation shown (recorded, or edited: a tree put on a cell turns the arrows around it)
// goes to scene.showPolicy. One small request per change (8×8 cells for the grid world), debounced.
import { getLandscape } from './data.js';
import { shownObservation } from './edits.js';
import { unflattenObservation } from './spaces.js';
import { watch } from './state.js';

/** The feeder for `scene` following the view state (a no-op without policySweep or a policy); refresh() loads now. */
export function createPolicyFeed(scene, store, { rollout, metadata }) {
  const sweep = scene.policySweep;
  if (!sweep || !metadata?.hasPolicy || typeof scene.showPolicy !== 'function') return { refresh() {}, dispose() {} };
  let timer = 0;
  let controller = null;
  let last = null;
  async function load() {
    if (!last || !sweep.wanted()) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    try {
      const answer = await getLandscape(rollout, { observation: last, x: { feature: sweep.x }, y: { feature: sweep.y }, target: 'greedy' }, signal);
      scene.showPolicy(answer);
    } catch (e) {
      if (!signal.aborted) scene.showPolicy(null);
    }
  }
  const stop = watch(store, ['recorded', 'edits'], (s) => {
    const shown = shownObservation(s, metadata.observationSpace, unflattenObservation);
    if (!shown) return;
    last = shown.raw;
    clearTimeout(timer);
    timer = setTimeout(load, s.how === 'play' ? 200 : 40);
  });
  return {
    /** Loads now (the scene's toggle was switched on). */
    refresh: () => load(),
    dispose() {
      stop();
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
