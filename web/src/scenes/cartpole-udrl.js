// Upside-down RL's CartPole (CartPoleUDRL-v1), whose observation is {command: [desired return,
// desired horizon], state: CartPole's four}, flattened command first: the CartPole scene drawn from the state, and the
// command the agent was given, counting down, in a corner label.
import * as cartpole from './cartpole.js';

/**
 * The parts of a UDRL observation as the viewer passes it, flattened with the Dict's keys sorted:
 * [desired return, desired horizon, x, ẋ, θ, θ̇] (absent values as zeros).
 */
export function udrlParts(observation) {
  const [desiredReturn = 0, desiredHorizon = 0, ...rest] = Array.from(observation || [], Number);
  const state = [0, 1, 2, 3].map((i) => rest[i] ?? 0);
  return { state, desiredReturn, desiredHorizon };
}

export function create(container, metadata, libs) {
  const scene = cartpole.create(container, null, libs);
  const label = document.createElement('div');
  label.className = 'scene-caption';
  label.dataset.testid = 'udrl-command';
  label.style.cssText = 'position:absolute;left:12px;top:10px;padding:4px 8px;background:rgba(255,255,255,.85);'
    + 'border:1px solid #d0d7de;border-radius:4px;font:13px system-ui,sans-serif;font-variant-numeric:tabular-nums';
  container.appendChild(label);
  return {
    update(observation) {
      const { state, desiredReturn, desiredHorizon } = udrlParts(observation);
      scene.update(state);
      label.textContent = `command: return ${desiredReturn.toFixed(1)} in ${desiredHorizon.toFixed(0)} steps`;
    },
    dispose() {
      label.remove();
      scene.dispose();
    },
  };
}
