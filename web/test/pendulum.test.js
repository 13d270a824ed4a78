import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pendulumPose, velocityArc } from '../src/scenes/pendulum.js';
import { sceneFor } from '../src/scenes/index.js';

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('the rod is upright at θ = 0 and turns counter-clockwise with θ', () => {
  const up = pendulumPose([1, 0, 0]);
  close(up.angle, 0);
  close(up.tip.x, 0);
  close(up.tip.y, 1);
  const left = pendulumPose([0, 1, 0]); // θ = π/2
  close(left.angle, Math.PI / 2);
  close(left.tip.x, -1);
  close(left.tip.y, 0);
  const down = pendulumPose([-1, 0, 2.5], 2);
  close(Math.abs(down.angle), Math.PI);
  close(down.tip.y, -2);
  assert.equal(down.omega, 2.5);
});

test('the angle comes from atan2(sin, cos), whatever their scale; bad values give upright', () => {
  close(pendulumPose([0.5, -0.5, 0]).angle, -Math.PI / 4);
  close(pendulumPose([NaN, 1, 0]).angle, 0);
  close(pendulumPose(null).angle, 0);
});

test('the velocity arc starts at the rod and sweeps with the sign of θ̇', () => {
  const a = velocityArc(0, 8, 1, 8, 4);
  close(a.points[0].x, 0);
  close(a.points[0].y, 1);
  close(a.sweep, Math.PI / 2);
  close(a.points[4].x, -1); // a quarter turn counter-clockwise
  close(a.head, Math.PI);   // the arrow points down (the motion at θ = π/2)
  const b = velocityArc(0, -16, 1, 8, 4); // clamped
  close(b.sweep, -Math.PI / 2);
  close(b.points[4].x, 1);
  close(velocityArc(0, 0).sweep, 0);
});

test('Pendulum-v* gets the pendulum scene', () => {
  assert.equal(sceneFor('Pendulum-v1').pendulumPose, pendulumPose);
  assert.equal(sceneFor('gymnasium/Pendulum-v1').pendulumPose, pendulumPose);
  assert.notEqual(sceneFor('Pendulum').pendulumPose, pendulumPose);
});
