import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEdits, changeCount, decodeEdits, discretePairs, discreteValue, editControls, emptyEdits, encodeEdits,
  flatBounds, observeRanges, sliderRange, withChanges,
} from '../src/edits.js';

const CARTPOLE = {
  type: 'Box', dtype: 'float32', shape: [4],
  low: [-4.8, '-Infinity', -0.41887903, '-Infinity'], high: [4.8, 'Infinity', 0.41887903, 'Infinity'],
};
const CARTPOLE_FEATURES = [['cart position', 'm'], ['cart velocity', 'm/s'], ['pole angle', 'rad'], ['pole angular velocity', 'rad/s']]
  .map(([label, unit]) => ({ label, unit, group: '' }));
const GRID = {
  type: 'Dict',
  subspaces: {
    position: { type: 'MultiDiscrete', dtype: 'int64', nvec: [8, 8], start: [0, 0] },
    board: { type: 'Box', dtype: 'uint8', shape: [8, 8], low: 0, high: 4 },
  },
};

test('an edit keeps only what differs from the recording, applied to a copy', () => {
  const recorded = [0.1, 0.2, 0.3, 0.4];
  let edits = emptyEdits(12);
  edits = withChanges(edits, recorded, [[2, -0.3], [0, 0.1]]);
  assert.deepEqual([...edits.changes], [[2, -0.3]], 'setting the recorded value is no change');
  assert.deepEqual(applyEdits(recorded, edits), [0.1, 0.2, -0.3, 0.4]);
  assert.deepEqual(recorded, [0.1, 0.2, 0.3, 0.4], 'the recording is untouched');
  const back = withChanges(edits, recorded, [[2, 0.3]]);
  assert.equal(changeCount(back), 0, 'back to the recorded value drops the change');
  assert.equal(changeCount(edits), 1, 'the earlier edit is not modified');
  assert.equal(changeCount(withChanges(edits, recorded, [[2, null]])), 0, 'null restores');
  assert.equal(edits.step, 12);
});

test('URL text: runs of equal values as ranges, short runs as lists, round trip', () => {
  const edits = withChanges(emptyEdits(3), [], [
    [2, -0.25], [3, 1e21], [4, 7],
    ...Array.from({ length: 5 }, (_, k) => [100 + k, 40]), [105, 41],
    [7056 + 200, 0], [7056 + 201, 0], [7056 + 202, 0],
  ]);
  const text = encodeEdits(edits);
  assert.equal(text, '2:-0.25_1e21_7,100-104:40,105:41,7256-7258:0');
  assert.ok(!text.includes('+'), 'no "+" (a query reads it as a space)');
  const { edits: back } = decodeEdits(text, 3, 14112);
  assert.deepEqual([...back.changes].sort((a, b) => a[0] - b[0]), [...edits.changes].sort((a, b) => a[0] - b[0]));
  assert.equal(back.step, 3);
});

test('a painted 8x8 patch of an 84x84 frame stays short in the URL', () => {
  const pairs = [];
  for (let r = 10; r < 18; r++) for (let c = 30; c < 38; c++) for (const f of [0, 1]) pairs.push([f * 7056 + r * 84 + c, 0]);
  const text = encodeEdits(withChanges(emptyEdits(0), [], pairs));
  assert.equal(text.split(',').length, 16, 'one run per painted row of each frame');
  assert.ok(text.length < 250, `${text.length} characters`);
});

test('decoding refuses unreadable or out-of-range runs, and an empty text is edit mode without changes', () => {
  assert.equal(changeCount(decodeEdits('', 5).edits), 0);
  assert.match(decodeEdits('1:x', 0, 4).error, /unreadable part '1:x'/);
  assert.match(decodeEdits('1-3:1_2', 0, 4).error, /unreadable/);
  assert.match(decodeEdits('3:1_2', 0, 4).error, /element 4, but the observation has 4/);
  assert.match(decodeEdits('a', 0, 4).error, /unreadable/);
  assert.deepEqual([...decodeEdits('0:-1e-7', 0, 4).edits.changes], [[0, -1e-7]]);
});

test('bounds: nested, scalar, "Infinity" strings', () => {
  assert.deepEqual(flatBounds(CARTPOLE.low, 4), [-4.8, -Infinity, -0.41887903, -Infinity]);
  assert.deepEqual(flatBounds(255, 3), [255, 255, 255]);
  assert.deepEqual(flatBounds([[0, 1], ['inf', '-inf']], 4), [0, 1, Infinity, -Infinity]);
  assert.deepEqual(flatBounds([2], 2), [2, 2]);
});

test('slider ranges: the bounds, else the observed range widened, integers in whole steps', () => {
  assert.deepEqual(sliderRange(-4.8, 4.8, null), { min: -4.8, max: 4.8, step: 0.01 });
  const v = sliderRange(-Infinity, Infinity, { min: -1, max: 2 });
  assert.deepEqual([v.min, v.max], [-2.5, 3.5]);
  assert.deepEqual(sliderRange(-3.4e38, 3.4e38, { min: 0, max: 0 }), { min: -1, max: 1, step: 0.002 });
  assert.deepEqual(sliderRange(0, 4, null, true), { min: 0, max: 4, step: 1 });
  const half = sliderRange(0, Infinity, { min: 1, max: 3 });
  assert.deepEqual([half.min, half.max], [0, 4]);
  const ranges = observeRanges([], [{ observation: [1, 5] }, { observation: [-2, 6] }, null]);
  assert.deepEqual(ranges, [{ min: -2, max: 1 }, { min: 5, max: 6 }]);
});

test('controls of a Box: one per element with its label, unit and bounds', () => {
  const controls = editControls(CARTPOLE, CARTPOLE_FEATURES);
  assert.equal(controls.length, 4);
  assert.deepEqual(controls[2], { kind: 'box', index: 2, label: 'pole angle', unit: 'rad', low: -0.41887903, high: 0.41887903, integer: false, group: '' });
  assert.equal(controls[1].high, Infinity);
});

test('controls of a Dict: grouped by key in sorted order; a MultiDiscrete is one picker per part', () => {
  const controls = editControls(GRID, []);
  assert.equal(controls.length, 66);
  assert.deepEqual(controls.slice(0, 64).map((c) => c.kind), Array(64).fill('box'));
  assert.ok(controls.slice(0, 64).every((c) => c.group === 'board' && c.integer && c.low === 0 && c.high === 4));
  assert.deepEqual(controls[64], { kind: 'discrete', index: 64, n: 8, start: 0, names: null, label: 'position[0]', group: 'position' });
  assert.equal(controls[65].index, 72);
  const obs = [...Array(64).fill(0), ...[0, 0, 0, 1, 0, 0, 0, 0], ...[0, 0, 0, 0, 0, 0, 1, 0]];
  assert.equal(discreteValue(obs, controls[64]), 3);
  assert.equal(discreteValue(obs, controls[65]), 6);
  const moved = applyEdits(obs, withChanges(emptyEdits(0), obs, discretePairs(controls[64], 5)));
  assert.equal(discreteValue(moved, controls[64]), 5);
  assert.equal(moved.slice(64, 72).reduce((a, b) => a + b), 1, 'still one-hot');
});

test('controls of a Tuple with Discrete, MultiBinary and an image', () => {
  const space = { type: 'Tuple', subspaces: [
    { type: 'Discrete', n: 3, start: -1, labels: ['a', 'b', 'c'] },
    { type: 'MultiBinary', n: 2 },
    { type: 'Box', dtype: 'uint8', shape: [16, 16, 3], low: 0, high: 255 },
  ] };
  const controls = editControls(space, []);
  assert.deepEqual(controls.map((c) => [c.kind, c.index, c.group]), [
    ['discrete', 0, '0'], ['binary', 3, '1'], ['binary', 4, '1'], ['block', 5, '2']]);
  assert.equal(controls[0].start, -1);
  assert.deepEqual(controls[0].names, ['a', 'b', 'c']);
  assert.equal(controls[3].size, 768);
  assert.equal(controls[3].layout.mode, 'rgb');
  // a plain image observation is one block
  const catchSpace = { type: 'Box', dtype: 'uint8', shape: [2, 84, 84], low: 0, high: 255 };
  const [block] = editControls(catchSpace, []);
  assert.deepEqual([block.kind, block.size, block.layout.channelFirst, block.high], ['block', 14112, true, 255]);
});
