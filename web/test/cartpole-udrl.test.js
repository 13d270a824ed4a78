import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cartpoleUdrl from '../src/scenes/cartpole-udrl.js';
import { udrlParts } from '../src/scenes/cartpole-udrl.js';
import { sceneFor } from '../src/scenes/index.js';

test("a UDRL observation's state draws the cart and pole; its command is read apart", () => {
  const parts = udrlParts(Float32Array.of(291.5, 281, 0.1, -0.2, 0.03, 0.4)); // flattened: command, then state
  assert.equal(parts.desiredReturn, 291.5);
  assert.equal(parts.desiredHorizon, 281);
  assert.deepEqual(parts.state.map((v) => Number(v.toFixed(4))), [0.1, -0.2, 0.03, 0.4]);
  assert.deepEqual(udrlParts(null), { state: [0, 0, 0, 0], desiredReturn: 0, desiredHorizon: 0 });
});

test('CartPoleUDRL-v1 gets the UDRL scene; CartPole-v1 keeps its own', () => {
  assert.equal(sceneFor('CartPoleUDRL-v1'), cartpoleUdrl);
  assert.notEqual(sceneFor('CartPole-v1'), cartpoleUdrl);
});
