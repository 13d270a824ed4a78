import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comparedColumns, differenceColumn, featuresToPlot, heldColumn, heldRow, meanAbsDifference, returnColumn,
  sharedFeatures, sideStepText,
} from '../src/compare.js';

test('an ended episode holds its last row', () => {
  assert.equal(heldRow(3, 10), 3);
  assert.equal(heldRow(12, 10), 9);
  assert.equal(heldRow(0, 1), 0);
  assert.deepEqual(heldColumn([1, 2, 3], 5), [1, 2, 3, 3, 3]);
  assert.deepEqual(heldColumn([1, 2, 3], 2), [1, 2]);
  assert.deepEqual(heldColumn([1, null], 4), [1, null, null, null], 'a last row not loaded yet holds nothing');
  assert.deepEqual(heldColumn([], 2), [null, null]);
});

test('B − A lines up by step; the shorter episode holds its last value', () => {
  const { a, b, diff } = comparedColumns([0, 1, 2], [10, 10, 10, 10, 5], 5);
  assert.deepEqual(a, [0, 1, 2, 2, 2]);
  assert.deepEqual(b, [10, 10, 10, 10, 5]);
  assert.deepEqual(diff, [10, 9, 8, 8, 3]);
  // B shorter: A goes on, B holds
  assert.deepEqual(comparedColumns([1, 2, 3, 4], [0, 5], 4).diff, [-1, 3, 2, 1]);
  assert.deepEqual(differenceColumn([1, null, 3], [2, 2, null]), [1, null, null]);
});

test('the return so far of each row, the final row (no reward) keeping the sum', () => {
  const rows = [{ reward: 1 }, { reward: 0.5 }, { reward: null }];
  assert.deepEqual(returnColumn(rows), [1, 1.5, 1.5]);
  assert.deepEqual(returnColumn([{ reward: 1 }, null, { reward: 2 }, { reward: null }]), [1, null, null, null], 'unknown until loaded');
  // two episodes of different lengths: the return difference after the shorter ended
  const a = [{ reward: 1 }, { reward: 1 }, { reward: null }];
  const b = [{ reward: 1 }, { reward: 1 }, { reward: 1 }, { reward: 1 }, { reward: null }];
  assert.deepEqual(comparedColumns(returnColumn(a), returnColumn(b), 5).diff, [0, 0, 1, 2, 2]);
});

test('features are matched by label; the rest is counted, not compared', () => {
  const A = [{ label: 'x', unit: 'm' }, { label: 'v', unit: 'm/s' }, { label: 'only a' }];
  const B = [{ label: 'v', unit: 'm/s' }, { label: 'x', unit: 'm' }, { label: 'b1' }, { label: 'b2' }];
  assert.deepEqual(sharedFeatures(A, B), {
    shared: [{ label: 'x', unit: 'm', a: 0, b: 1 }, { label: 'v', unit: 'm/s', a: 1, b: 0 }], onlyA: 1, onlyB: 2,
  });
  assert.deepEqual(sharedFeatures(undefined, B).shared, []);
});

test('many features: only the ones that differ most are plotted, in feature order', () => {
  const features = Array.from({ length: 6 }, (_, i) => ({ label: `p${i}` }));
  const { shared } = sharedFeatures(features, features);
  const rowsA = [{ observation: [0, 0, 0, 0, 0, 0] }, { observation: [0, 0, 0, 0, 0, 0] }];
  const rowsB = [{ observation: [0, 5, 0, 1, 9, 0] }, { observation: [0, 5, 0, 1, 9, 0] }, { observation: [3, 0, 0, 0, 0, 0] }];
  assert.deepEqual(featuresToPlot(shared, rowsA, rowsB, { max: 4, top: 2 }).map((f) => f.label), ['p1', 'p4']);
  assert.equal(featuresToPlot(shared, rowsA, rowsB, { max: 6 }).length, 6, 'up to max, every feature');
  assert.deepEqual(meanAbsDifference(shared, rowsA, rowsB, 3), [15 / 6, 15 / 6, 3 / 6]);
  assert.deepEqual(meanAbsDifference(shared, [null, null], rowsB, 2), [null, null], 'rows not loaded yet');
});

test('a side says its step, or when and how it ended', () => {
  assert.equal(sideStepText(4, 10, 'terminated'), 'step 4 / 9');
  assert.equal(sideStepText(9, 10, 'terminated'), 'step 9 / 9');
  assert.equal(sideStepText(15, 10, 'won, terminated'), 'ended at step 9 (won, terminated)');
});
