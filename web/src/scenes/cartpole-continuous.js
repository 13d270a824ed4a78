// The continuous cart-pole (CartPoleBalance-v0, CartPoleSwingUp-v0) from its observation
// [x, x_dot, cos theta, sin theta, theta_dot]: the CartPole scene drawn at theta = atan2(sin, cos),
// which covers the whole turn a swing-up makes. Editing is left out: the CartPole scene's drags
// write theta into element 2, which here is cos theta.
import * as cartpole from './cartpole.js';

/** [x, x_dot, cos, sin, theta_dot] -> [x, x_dot, theta, theta_dot], the CartPole scene's observation. */
export function toCartPole(observation) {
  const [x = 0, xDot = 0, cos = 1, sin = 0, thetaDot = 0] = observation || [];
  return [x, xDot, Math.atan2(sin, cos), thetaDot];
}

export function create(container, metadata, libs) {
  const scene = cartpole.create(container, null, libs);
  return {
    update(observation) {
      scene.update(toCartPole(observation));
    },
    dispose() {
      scene.dispose();
    },
  };
}
