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

import { actionPlots, returnsSoFar, scalarColumns, valueColumn } from '../src/series.js';

test('value estimates: a column, or null when no row has one', () => {
  assert.deepEqual(valueColumn([{ value: 1.5 }, null, { value: NaN }, { value: -2 }]), [1.5, null, null, -2]);
  assert.equal(valueColumn([{ value: null }, null]), null);
});

test('named scalars: one column per name, sorted, gaps where a row lacks one', () => {
  const { names, columns } = scalarColumns([{ scalars: { kl: 0.1, entropy: 1 } }, { scalars: { entropy: 0.5, kl: null } }, null, { scalars: null }]);
  assert.deepEqual(names, ['entropy', 'kl']);
  assert.deepEqual(columns, [[1, 0.5, null, null], [0.1, null, null, null]]);
  assert.deepEqual(scalarColumns([{}, null]), { names: [], columns: [] });
});

test('returns so far stop at the first unknown reward; the final row repeats the return', () => {
  assert.deepEqual(returnsSoFar([1, 2, null]), [1, 3, 3]);
  assert.deepEqual(returnsSoFar([1, null, 2, null]), [1, null, null, null]);
});

test('action plots: Box per dimension with finite bounds, MultiDiscrete per sub-action, Discrete one', () => {
  const rows = [{ action: [0.5, -1] }, { action: [1.5, 2] }, { action: null }];
  const box = actionPlots({ type: 'Box', shape: [2], low: [-2, '-Infinity'], high: [2, 'Infinity'], labels: ['torque'], units: ['N m'] }, rows);
  assert.equal(box.length, 2);
  assert.deepEqual(box[0], { id: 'action-0', title: 'torque', unit: 'N m', labels: ['torque'], columns: [[0.5, 1.5, null]], bounds: [-2, 2] });
  assert.equal(box[1].bounds, null, 'infinite bounds are not drawn');
  assert.deepEqual(box[1].columns, [[-1, 2, null]]);
  const md = actionPlots({ type: 'MultiDiscrete', nvec: [3, 2] }, [{ action: [2, 1] }, null]);
  assert.deepEqual(md.map((p) => [p.title, p.columns[0], p.bounds]), [['action[0] (3 choices)', [2, null], [0, 2]], ['action[1] (2 choices)', [1, null], [0, 1]]]);
  const d = actionPlots({ type: 'Discrete', n: 4 }, [{ action: 3 }, { action: null }]);
  assert.deepEqual(d[0].columns, [[3, null]]);
  assert.deepEqual(actionPlots({ type: 'Box', shape: [[2, 2]].flat(), low: [[-1, -1], [-1, -1]].flat(), high: 1 }, [])[0].bounds, [-1, 1]);
});
