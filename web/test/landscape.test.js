import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionBoundaries, cellPosition, defaultAxes, defaultRange, featureValue, landscapeBody, observedRange, rankingAt, niceTicks,
  sweepableAt, sweepableFeatures, trajectory, valueRange,
} from '../src/landscape.js';
import { flattenObservation } from '../src/spaces.js';
import { sequentialColour } from '../src/scenes/colour-scale.js';

const CARTPOLE = {
  type: 'Box', dtype: 'float32', shape: [4],
  low: [-4.8, '-Infinity', -0.41887903, '-Infinity'], high: [4.8, 'Infinity', 0.41887903, 'Infinity'],
};
const CARTPOLE_FEATURES = ['cart position', 'cart velocity', 'pole angle', 'pole angular velocity']
  .map((label, i) => ({ label, unit: ['m', 'm/s', 'rad', 'rad/s'][i] }));
const GRID = {
  type: 'Dict', subspaces: {
    position: { type: 'MultiDiscrete', nvec: [8, 8] },
    board: { type: 'Box', dtype: 'uint8', shape: [2, 2], low: [[0, 0], [0, 0]], high: [[4, 4], [4, 4]] },
  },
};
const GRID_FEATURES = [
  ...['board[0,0]', 'board[0,1]', 'board[1,0]', 'board[1,1]'].map((label) => ({ label })),
  ...Array.from({ length: 8 }, (_, k) => ({ label: `position[0]=${k}` })),
  ...Array.from({ length: 8 }, (_, k) => ({ label: `position[1]=${k}` })),
];

test('a Box sweeps each element within its bounds; unbounded ones are marked infinite', () => {
  const f = sweepableFeatures(CARTPOLE, CARTPOLE_FEATURES);
  assert.equal(f.length, 4);
  assert.deepEqual(f[2], { index: 2, label: 'pole angle', unit: 'rad', kind: 'range', low: -0.41887903, high: 0.41887903, size: 1 });
  assert.equal(f[1].low, -Infinity);
  assert.equal(f[1].high, Infinity);
});

test('a Dict sweeps by sorted key; a MultiDiscrete part is one axis of its values, named without "=value"', () => {
  const f = sweepableFeatures(GRID, GRID_FEATURES);
  assert.deepEqual(f.map((x) => x.label), ['board[0,0]', 'board[0,1]', 'board[1,0]', 'board[1,1]', 'position[0]', 'position[1]']);
  assert.equal(f[0].kind, 'integers');
  assert.deepEqual(f[5], { index: 12, label: 'position[1]', unit: '', kind: 'values', low: 0, high: 7, size: 8 });
  assert.equal(sweepableAt(f, 15), f[5], 'any element of a block names the block');
  const obs = flattenObservation(GRID, { board: [[1, 2], [3, 0]], position: [5, 2] });
  assert.equal(featureValue(f[4], obs), 5);
  assert.equal(featureValue(f[5], obs), 2);
  assert.equal(featureValue(f[1], obs), 2);
});

test('default axes are the two most attributed features (blocks counted once), else the first two', () => {
  const f = sweepableFeatures(GRID, GRID_FEATURES);
  assert.deepEqual(defaultAxes(f, [13, 14, 6]), { x: 12, y: 4 }, 'two elements of position[1] name it once');
  assert.deepEqual(defaultAxes(f, []), { x: 0, y: 1 });
  assert.equal(defaultAxes(f.slice(0, 1), []), null);
});

test('ranges: the observed range a quarter wider each side within the bounds; bounds for blocks and integers', () => {
  const f = sweepableFeatures(CARTPOLE, CARTPOLE_FEATURES);
  assert.deepEqual(defaultRange(f[0], { min: 0, max: 1 }), { from: -0.25, to: 1.25 });
  assert.deepEqual(defaultRange(f[0], { min: -4.5, max: 4 }), { from: -4.8, to: 4.8 }, 'clipped to the bounds');
  assert.deepEqual(defaultRange(f[0], null), { from: -4.8, to: 4.8 }, 'nothing observed: the bounds');
  assert.deepEqual(defaultRange(f[1], { min: -1, max: 3 }), { from: -2, to: 4 });
  assert.deepEqual(defaultRange(f[1], { min: 2, max: 2 }), { from: 1, to: 3 });
  assert.deepEqual(defaultRange(f[3], null), { from: -1, to: 1 });
  const grid = sweepableFeatures(GRID, GRID_FEATURES);
  assert.deepEqual(defaultRange(grid[0], { min: 1, max: 2 }), { from: 0, to: 4 }, 'an integer Box: every value');
  assert.deepEqual(niceTicks(-0.44, 0.31, 5), [-0.4, -0.2, 0, 0.2]);
  assert.deepEqual(niceTicks(0, 7, 5), [0, 2, 4, 6]);
  assert.deepEqual(niceTicks(-4.8, 4.8, 5), [-4, -2, 0, 2, 4]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  const rows = [{ observation: [0, -0.5, 0, 0] }, { observation: null }, { observation: [0, 2, 0, 0] }];
  assert.deepEqual(observedRange(f[1], rows), { min: -0.5, max: 2 });
});

test('the request body: ranges for Box axes, none for a block (all its values); a target only when chosen', () => {
  const f = sweepableFeatures(GRID, GRID_FEATURES);
  const body = landscapeBody({ observation: [1], x: { feature: f[5] }, y: { feature: f[0], from: 0, to: 4 }, resolution: 32, target: '' });
  assert.deepEqual(body, { observation: [1], x: { feature: 12 }, y: { feature: 0, from: 0, to: 4 }, resolution: [32, 32] });
  assert.equal(landscapeBody({ observation: [1], x: { feature: f[5] }, y: { feature: f[4] }, resolution: 8, target: 'value' }).target, 'value');
  assert.equal(landscapeBody({ observation: [1], x: { feature: f[5] }, y: { feature: f[4] }, resolution: 8, target: 0 }).target, 0);
});

test('boundaries lie where the greedy action changes between neighbouring cells', () => {
  const b = actionBoundaries([[0, 0, 1], [0, 1, 1]]);
  assert.deepEqual(b.vertical, [[2, 0], [1, 1]]);
  assert.deepEqual(b.horizontal, [[1, 1]]);
  assert.deepEqual(actionBoundaries(null), { vertical: [], horizontal: [] });
});

test('cell positions map values onto the grid; the trajectory follows the rows', () => {
  assert.equal(cellPosition([-1, -0.5, 0, 0.5, 1], 0.25), 2.5);
  assert.ok(Number.isNaN(cellPosition([-1, 1], 2)));
  assert.equal(cellPosition([0, 1, 2, 3], 3), 3);
  const f = sweepableFeatures(CARTPOLE, CARTPOLE_FEATURES);
  const rows = [{ observation: [0, 0, 0.1, 0.2] }, {}, { observation: [0, 0, 0.2, -0.1] }];
  rows[4] = { observation: [0, 0, 0.3, 0] }; // a hole at 3: a chunk not loaded yet
  assert.deepEqual(trajectory(f[2], f[3], rows), [[0.1, 0.2], [NaN, NaN], [0.2, -0.1], [NaN, NaN], [0.3, 0]]);
});

test('value ranges: probabilities keep [0, 1]; others span their finite values', () => {
  assert.deepEqual(valueRange([[5, 7]], 'probability'), [0, 1]);
  assert.deepEqual(valueRange([[5, NaN], [-2, 3]], 'value'), [-2, 5]);
  assert.deepEqual(valueRange([[4, 4]], 'logit'), [3, 5]);
});

test('the sequential scale runs from viridis purple to yellow', () => {
  assert.deepEqual(sequentialColour(0), [68, 1, 84]);
  assert.deepEqual(sequentialColour(1), [253, 231, 37]);
  assert.deepEqual(sequentialColour(2), [253, 231, 37]);
  assert.deepEqual(sequentialColour(0.0625), [70, 23, 103]);
});

test('the ranking at a step orders element features by |attribution| of the first target', () => {
  const answer = { features: ['a', 'group', 'b', 'c'], steps: [
    { step: 3, targets: [{ raw: [0.1, 5, -0.7, 0.3] }, { raw: [9, 9, 9, 9] }] },
    { step: 4, targets: [] },
  ] };
  assert.deepEqual(rankingAt(answer, 3, ['c', 'b', 'a']), [1, 0, 2]);
  assert.deepEqual(rankingAt(answer, 4, ['c', 'b', 'a']), []);
  assert.deepEqual(rankingAt(null, 4, []), []);
});
