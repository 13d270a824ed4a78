import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGrid, CELLS } from '../src/scenes/gridworld.js';
import { cellSums, describeFeature } from '../src/scenes/gridworld.js';
import { sceneFor, SCENES } from '../src/scenes/index.js';

const board = Array.from({ length: CELLS }, (_, i) => [0, 1, 2, 3, 4][i % 5]);

test('the stored layout (board then [row, col]) decodes to codes and position', () => {
  const flat = [...board, 3, 6];
  assert.deepEqual(decodeGrid(flat), { board, position: [3, 6] });
});

test('the gymnasium.spaces.flatten layout (position as two one-hots of 8, what the viewer passes) decodes', () => {
  const oneHot = (k) => Array.from({ length: 8 }, (_, i) => (i === k ? 1 : 0));
  const flat = [...board, ...oneHot(7), ...oneHot(2)];
  assert.equal(flat.length, 80);
  assert.deepEqual(decodeGrid(flat), { board, position: [7, 2] });
  // a typed array, as some callers pass
  assert.deepEqual(decodeGrid(Float64Array.from(flat)).position, [7, 2]);
});

test('unknown codes draw as empty, a position off the board is dropped, short input is null', () => {
  const odd = [...board];
  odd[0] = 9;
  odd[1] = 2.5;
  const grid = decodeGrid([...odd, 8, 0]);
  assert.equal(grid.board[0], 0);
  assert.equal(grid.board[1], 0);
  assert.equal(grid.position, null);
  assert.equal(decodeGrid([1, 2, 3]), null);
  assert.equal(decodeGrid(null), null);
  assert.equal(decodeGrid([...board, 1, 2, 3]), null);
});

test('PeterAndTheWolf-v* gets the grid world scene', () => {
  assert.equal(sceneFor('PeterAndTheWolf-v0'), SCENES.gridworld);
  assert.equal(sceneFor('me/PeterAndTheWolf-v3'), SCENES.gridworld);
  assert.equal(sceneFor('PeterAndTheWolf'), SCENES.generic);
  assert.equal(sceneFor('CartPole-v1', 'gridworld'), SCENES.gridworld);
});

test('grid cells sum their features: the board cell, and Peter\'s position on his cell', () => {
  const features = ['board[0,1]', 'board[7,7]', 'position[0]=3', 'position[1]=2', 'other'];
  const sums = cellSums(features, [0.5, -0.25, 0.1, 0.2, 9], [3, 2]);
  assert.equal(sums[1], 0.5);
  assert.equal(sums[63], -0.25);
  assert.ok(Math.abs(sums[3 * 8 + 2] - 0.3) < 1e-12);
  assert.equal(sums.reduce((a, v) => a + v, 0).toFixed(2), '0.55', 'unknown features shade nothing');
  assert.equal(cellSums(['position'], [1], null).reduce((a, v) => a + v, 0), 0, 'no Peter, no position cell');
  const observation = [...new Array(64).fill(0), ...new Array(16).fill(0)];
  observation[9] = 1;
  assert.equal(describeFeature('board[1,1]', observation), 'cell (1, 1): water');
  assert.equal(describeFeature('board[0,0]', observation), 'cell (0, 0): meadow');
  assert.equal(describeFeature('position[1]=4', observation), 'Peter in column 4');
});

test('policy arrows: one angle per move (0 up, 1 down, 2 left, 3 right; y up) and a length growing with probability', async () => {
  const { ARROW_ANGLES, arrowLength } = await import('../src/scenes/grid-arrows.js');
  assert.deepEqual(ARROW_ANGLES, [Math.PI / 2, -Math.PI / 2, Math.PI, 0]);
  assert.equal(arrowLength(0), 0.25);
  assert.equal(arrowLength(1), 0.85);
  assert.equal(arrowLength(2), 0.85);
  assert.ok(arrowLength(0.5) > arrowLength(0.3));
  assert.equal(arrowLength(NaN), 0.25);
});

test('the board keeps clear of the legends while it can stay three quarters of the height', async () => {
  const { boardSide, LEGEND_ROOM } = await import('../src/scenes/gridworld.js');
  assert.equal(boardSide(1400, 560), 560, 'wide: the height');
  assert.equal(boardSide(960, 560), 960 - 2 * LEGEND_ROOM, 'narrower: between the legends');
  assert.equal(boardSide(700, 560), 560, 'too narrow for both: the legends float over the corners');
  assert.equal(boardSide(400, 560), 400);
});
