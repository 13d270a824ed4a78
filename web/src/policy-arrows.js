// Feeds a scene that draws the policy over the agent's position (the grid world's arrows): when
// the scene names the two features to sweep (scene.policySweep) and wants them drawn, each step's
// landscape over them with target "greedy" (each cell's own greedy move and its probability) goes
// to scene.showPolicy. One small request per step (8×8 cells for the grid world), debounced.
import { getLandscape } from './data.js';

/** The feeder for `scene` (a no-op without policySweep or a policy); update(observation as stored, playing). */
export function createPolicyFeed(scene, { rollout, metadata }) {
  const sweep = scene.policySweep;
  if (!sweep || !metadata?.hasPolicy || typeof scene.showPolicy !== 'function') return { update() {}, dispose() {} };
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
  return {
    update(observation, playing) {
      last = observation;
      clearTimeout(timer);
      timer = setTimeout(load, playing ? 200 : 40);
    },
    /** Loads now (the scene's toggle was switched on). */
    refresh: () => load(),
    dispose() {
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
