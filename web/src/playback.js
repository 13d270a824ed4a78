// Playback timing: how many steps to advance for the time elapsed, at a speed.

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

/** Frames per second at 1x: the environment's render_fps when recorded, else 30. */
export function baseFps(metadata) {
  const fps = metadata?.metadata?.extra?.env_metadata?.render_fps;
  return typeof fps === 'number' && fps > 0 && fps <= 1000 ? fps : 30;
}

/** Milliseconds per step at `speed`. */
export function stepInterval(fps, speed) {
  if (!(fps > 0) || !(speed > 0)) throw new RangeError('fps and speed must be positive');
  return 1000 / (fps * speed);
}

/**
 * Steps to advance after `elapsedMs` more milliseconds, carrying the remainder:
 * returns {steps, carry}; pass carry back in with the next frame's elapsed time.
 */
export function advance(carryMs, elapsedMs, fps, speed) {
  const interval = stepInterval(fps, speed);
  const total = carryMs + Math.max(0, elapsedMs);
  const steps = Math.floor(total / interval);
  return { steps, carry: total - steps * interval };
}

/** The step after moving `delta` from `step` within [0, last]: {step, stop} (loop wraps around). */
export function moveStep(step, delta, last, loop) {
  const next = step + delta;
  if (next > last) return loop ? { step: last === 0 ? 0 : next % (last + 1), stop: false } : { step: last, stop: true };
  if (next < 0) return { step: 0, stop: false };
  return { step: next, stop: false };
}
