import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cartpoleContinuous from '../src/scenes/cartpole-continuous.js';
import { toCartPole } from '../src/scenes/cartpole-continuous.js';
import { sceneFor } from '../src/scenes/index.js';

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('the angle comes from cos θ and sin θ over the whole turn', () => {
  const [x, xDot, up, omega] = toCartPole([0.5, -1, 1, 0, 2]);
  assert.deepEqual([x, xDot, omega], [0.5, -1, 2]);
  close(up, 0);
  close(toCartPole([0, 0, 0, 1, 0])[2], Math.PI / 2); // leaning right, as CartPole's positive θ
  close(Math.abs(toCartPole([0, 0, -1, 0, 0])[2]), Math.PI); // hanging
  close(toCartPole([0, 0, Math.cos(-2.5), Math.sin(-2.5), 0])[2], -2.5);
});

test('both continuous cart-pole tasks get the scene; CartPole-v1 keeps its own', () => {
  assert.equal(sceneFor('CartPoleBalance-v0'), cartpoleContinuous);
  assert.equal(sceneFor('CartPoleSwingUp-v0'), cartpoleContinuous);
  assert.notEqual(sceneFor('CartPole-v1'), cartpoleContinuous);
});
