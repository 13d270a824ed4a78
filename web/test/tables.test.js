import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributionRows, attributionWindow, describeEstimate, episodeEnd, fmt, fmtAttribution, normalizeSigned, signedBar, sortRows, toggleSort } from '../src/tables.js';

test('how episodes ended', () => {
  assert.equal(episodeEnd({ terminated: true, truncated: false, complete: true }), 'terminated');
  assert.equal(episodeEnd({ terminated: false, truncated: true, complete: true }), 'truncated');
  assert.equal(episodeEnd({ terminated: false, truncated: false, complete: true }), 'complete');
  assert.equal(episodeEnd({ terminated: false, truncated: false, complete: false }), 'cut off');
});

test('sorting episodes by a column, stable, nulls last', () => {
  const eps = [{ index: 0, return: 21, seed: 5 }, { index: 1, return: 9, seed: null }, { index: 2, return: 21, seed: 7 }];
  assert.deepEqual(sortRows(eps, 'return').map((e) => e.index), [1, 0, 2]);
  assert.deepEqual(sortRows(eps, 'return', false).map((e) => e.index), [0, 2, 1]);
  assert.deepEqual(sortRows(eps, 'seed').map((e) => e.index), [0, 2, 1]);
  assert.deepEqual(sortRows([{ k: 'b' }, { k: 'a' }], 'k').map((r) => r.k), ['a', 'b']);
  assert.deepEqual(toggleSort({ key: 'return', ascending: true }, 'return'), { key: 'return', ascending: false });
  assert.deepEqual(toggleSort({ key: 'return', ascending: false }, 'index'), { key: 'index', ascending: true });
});

test('attribution rows are sorted by |raw| and keep sign, value and label', () => {
  const features = ['x', 'v', 'theta', 'omega'];
  const targets = [{ action: 1, raw: [-0.0028, 0.0125, -0.0332, 0.0124], normalized: [-0.08, 0.38, -1, 0.37] }];
  const rows = attributionRows(features, targets, [0.1, 0.2, 0.3, 0.4]);
  assert.deepEqual(rows.map((r) => r.label), ['theta', 'v', 'omega', 'x']);
  assert.deepEqual(rows[0].raw, [-0.0332]);
  assert.deepEqual(rows[0].normalized, [-1]);
  assert.equal(rows[0].value, 0.3);
});

test('several targets: sorted by the largest |raw| over targets; missing normalized is computed', () => {
  const rows = attributionRows(['a', 'b'], [{ raw: [0.1, -0.2] }, { raw: [-0.5, 0.0] }]);
  assert.deepEqual(rows.map((r) => r.label), ['a', 'b']);
  assert.deepEqual(rows[0].normalized, [0.2, -1]);
  assert.deepEqual(rows[1].normalized, [-0.4, 0]);
  assert.deepEqual(attributionRows(['a'], []), [{ index: 0, label: 'a', value: undefined, raw: [], normalized: [], stderr: [], magnitude: 0 }]);
});

test('signed normalisation and bars', () => {
  assert.deepEqual(normalizeSigned([[2, -4], [1, 0]]), [[0.5, -1], [0.25, 0]]);
  assert.deepEqual(normalizeSigned([[0, 0]]), [[0, 0]]);
  assert.deepEqual(signedBar(1), { left: 50, width: 50, sign: 1 });
  assert.deepEqual(signedBar(-0.5), { left: 25, width: 25, sign: -1 });
  assert.deepEqual(signedBar(-3), { left: 0, width: 50, sign: -1 });
  assert.deepEqual(signedBar(NaN), { left: 50, width: 0, sign: 0 });
});

test('the attribution window around a step, clipped to the episode', () => {
  assert.deepEqual(attributionWindow(0, 22, 32), { from: 0, to: 22 });
  assert.deepEqual(attributionWindow(100, 1000, 32), { from: 68, to: 133 });
  assert.deepEqual(attributionWindow(999, 1000, 32), { from: 967, to: 1000 });
  assert.deepEqual(attributionWindow(10, 1000, 32), { from: 0, to: 65 });
});

test('number formatting', () => {
  assert.equal(fmt(null), '—');
  assert.equal(fmt(3), '3');
  assert.equal(fmt(0.123456), '0.1235');
  assert.equal(fmt(-0.00001234), '-1.234e-5');
});

test('observation summary of an image: min, mean and max of the finite values', async () => {
  const { summarize } = await import('../src/panels/observation.js');
  assert.deepEqual(summarize([40, 60, 255, NaN, 200]), { min: 40, mean: 138.75, max: 255 });
  assert.deepEqual(summarize([]), { min: null, mean: null, max: null });
});

test('attribution pickers start on occlusion for images, ablation otherwise', async () => {
  const { defaultParams } = await import('../src/attribution-options.js');
  const labels = (n) => ({ observations: Array.from({ length: n }, (_, i) => ({ label: String(i) })) });
  assert.equal(defaultParams({ observationSpace: { type: 'Box', dtype: 'uint8', shape: [2, 84, 84] }, features: labels(14112) }).method, 'occlusion');
  assert.equal(defaultParams({ observationSpace: { type: 'Box', dtype: 'float32', shape: [4] }, features: labels(4) }).method, 'ablation');
  assert.equal(defaultParams(null).method, 'ablation');
});

test('sampled attributions carry their standard error; exact ones say so', () => {
  const rows = attributionRows(['a', 'b'], [{ raw: [0.1, -0.3], stderr: [0.01, null] }, { raw: [0.2, 0.0] }]);
  assert.deepEqual(rows[0].stderr, [null, null]);
  assert.deepEqual(rows[1].stderr, [0.01, null]);
  assert.equal(fmtAttribution(0.1, 0.01), '0.1000 ± 0.0100');
  assert.equal(fmtAttribution(-0.3, null), '-0.3000');
  assert.equal(fmtAttribution(0.25, 0), '0.2500', 'every pass agreed: no ± 0');
  const exact = { method: 'shapley', estimator: 'exact', baseline: 'zero', output: 'probability' };
  assert.equal(describeEstimate(exact, { gap: 1e-9 }), 'shapley (exact), baseline zero, probability; efficiency gap 1.000e-9');
  const sampled = { method: 'shapley', estimator: 'sampled', sampling: 'antithetic', permutations: 25, baseline: 'mean', output: 'logit' };
  assert.equal(describeEstimate(sampled, { gap: null }),
    'shapley (sampled: 25 antithetic permutations; ± one standard error), baseline mean, logit');
  assert.equal(describeEstimate({ method: 'ablation', estimator: null, baseline: 'zero', output: 'probability' }, { gap: 0.25 }),
    'ablation, baseline zero, probability; efficiency gap 0.2500');
  assert.equal(describeEstimate(exact, { action: 0, probability: null, gap: 0 }), 'shapley (exact), baseline zero, action mean; efficiency gap 0');
  assert.equal(describeEstimate(exact, { action: 'value', gap: 0 }), 'shapley (exact), baseline zero, value estimate; efficiency gap 0');
});
