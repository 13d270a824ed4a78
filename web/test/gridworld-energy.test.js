import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGrid, peterPairs, CELLS } from '../src/scenes/gridworld.js';
import { sceneFor, SCENES } from '../src/scenes/index.js';

// PeterAndTheWolfEnergy-v0 flattens {board, energy, fatigue, position} in sorted key order
const board = Array.from({ length: CELLS }, (_, i) => [0, 1, 2, 3, 4][i % 5]);
const oneHot = (k) => Array.from({ length: 8 }, (_, i) => (i === k ? 1 : 0));

test('the harder world decodes board, energy, fatigue and the position after them', () => {
  const flat = [...board, 7, 3, ...oneHot(5), ...oneHot(1)];
  assert.equal(flat.length, 82);
  assert.deepEqual(decodeGrid(flat), { board, position: [5, 1], energy: 7, fatigue: 3, positionAt: CELLS + 2 });
  assert.deepEqual(decodeGrid([...board, 10, 0, 2, 6]), { board, position: [2, 6], energy: 10, fatigue: 0, positionAt: CELLS + 2 });
});

test('dragging Peter in the harder world edits the one-hots after energy and fatigue', () => {
  const pairs = new Map(peterPairs(5, 1, CELLS + 2));
  assert.equal(pairs.size, 16);
  assert.equal(pairs.get(CELLS + 2 + 5), 1);
  assert.equal(pairs.get(CELLS + 2 + 8 + 1), 1);
  assert.equal(pairs.has(CELLS), false, 'energy is left alone');
  assert.equal(new Map(peterPairs(0, 0)).get(CELLS), 1, 'the plain grid world is unchanged');
});

test('PeterAndTheWolfEnergy-v* gets the grid world scene', () => {
  assert.equal(sceneFor('PeterAndTheWolfEnergy-v0'), SCENES.gridworld);
  assert.equal(sceneFor('PeterAndTheWolf-v0'), SCENES.gridworld);
});
