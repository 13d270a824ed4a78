import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributionColumns, probabilityColumns } from '../src/series.js';

test('probability columns: one per action, gaps where rows are unknown or have none', () => {
  assert.deepEqual(probabilityColumns([[0.25, 0.75], null, [0.5, 0.5], null]), [[0.25, null, 0.5, null], [0.75, null, 0.5, null]]);
  assert.deepEqual(probabilityColumns([[0.1, 0.2, 0.7], [NaN, 1, 0]]), [[0.1, null], [0.2, 1], [0.7, 0]]);
});

test('no probabilities, no columns', () => {
  assert.deepEqual(probabilityColumns([null, null]), []);
  assert.deepEqual(probabilityColumns([]), []);
});

test('attribution columns: each feature over the window, first target, gaps without a target', () => {
  const answer = {
    features: ['x', 'v'],
    steps: [
      { step: 3, targets: [{ action: 1, raw: [0.5, -0.25] }, { action: 0, raw: [9, 9] }] },
      { step: 4, targets: [{ action: 0, raw: [0.1, 0.2] }] },
      { step: 5, targets: [] },
    ],
  };
  const { x, labels, columns } = attributionColumns(answer, 3, 6);
  assert.deepEqual(x, [3, 4, 5]);
  assert.deepEqual(labels, ['x', 'v']);
  assert.deepEqual(columns, [[0.5, 0.1, null], [-0.25, 0.2, null]]);
});

test('no answer or no target anywhere, no columns', () => {
  assert.deepEqual(attributionColumns(null, 0, 2), { x: [0, 1], labels: [], columns: [], total: 0 });
  const empty = attributionColumns({ features: ['x'], steps: [{ step: 0, targets: [] }] }, 0, 1);
  assert.deepEqual(empty.columns, []);
});

test('many features: only the strongest over the window are plotted, in feature order', () => {
  const features = Array.from({ length: 50 }, (_, i) => `p${i}`);
  const raw = (hot) => features.map((_, i) => (hot.includes(i) ? (i % 2 ? -1 : 1) * (i + 1) : 0.001));
  const answer = { features, steps: [{ step: 0, targets: [{ action: 0, raw: raw([40, 7]) }] }, { step: 1, targets: [{ action: 0, raw: raw([3]) }] }] };
  const { labels, columns, total } = attributionColumns(answer, 0, 2, 3);
  assert.equal(total, 50);
  assert.deepEqual(labels, ['p3', 'p7', 'p40']);
  assert.deepEqual(columns, [[0.001, -4], [-8, 0.001], [41, 0.001]]);
});
