import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPEEDS, advance, baseFps, moveStep, stepInterval } from '../src/playback.js';

test('speeds from 0.25x to 8x', () => {
  assert.equal(SPEEDS[0], 0.25);
  assert.equal(SPEEDS[SPEEDS.length - 1], 8);
});

test('the base rate is the recorded render_fps, else 30', () => {
  assert.equal(baseFps({ metadata: { extra: { env_metadata: { render_fps: 50 } } } }), 50);
  assert.equal(baseFps({ metadata: { extra: {} } }), 30);
  assert.equal(baseFps(null), 30);
});

test('interval per step at each speed', () => {
  assert.equal(stepInterval(50, 1), 20);
  assert.equal(stepInterval(50, 0.25), 80);
  assert.equal(stepInterval(50, 8), 2.5);
  assert.throws(() => stepInterval(50, 0));
});

test('advance carries the remainder between frames', () => {
  let carry = 0;
  let total = 0;
  for (let frame = 0; frame < 60; frame++) { // one second of 60 Hz frames
    const r = advance(carry, 1000 / 60, 50, 1);
    carry = r.carry;
    total += r.steps;
  }
  assert.ok(total === 50 || total === 49, `50 steps per second at 1x, got ${total}`);
  assert.equal(advance(0, 1000 / 60, 50, 8).steps, 6); // 16.7 ms / 2.5 ms
  assert.equal(advance(0, 1000 / 60, 50, 0.25).steps, 0);
  assert.equal(advance(70, 20, 50, 0.25).steps, 1);
  assert.equal(advance(0, -5, 50, 1).steps, 0);
});

test('moving past the end stops, or wraps with loop', () => {
  assert.deepEqual(moveStep(5, 1, 21, false), { step: 6, stop: false });
  assert.deepEqual(moveStep(20, 3, 21, false), { step: 21, stop: true });
  assert.deepEqual(moveStep(20, 3, 21, true), { step: 1, stop: false });
  assert.deepEqual(moveStep(0, -1, 21, false), { step: 0, stop: false });
  assert.deepEqual(moveStep(0, 1, 0, true), { step: 0, stop: false });
});
