import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ROUTE_MAX_STEPS, describe, differingRuns, distanceColumn, markBox, mergeAnswers, stepText, windows,
} from '../src/disagreement.js';
import { attributionQuery, defaultParams } from '../src/attribution-options.js';

const step = (s, differs, distance = 0.1, a = 0, b = differs ? 1 : 0) => ({ step: s, greedyA: a, greedyB: b, differs, distance });

test('an episode is fetched in windows the route accepts', () => {
  assert.deepEqual(windows(5), [{ from: 0, to: 5 }]);
  assert.deepEqual(windows(ROUTE_MAX_STEPS * 2 + 1).map((w) => w.to - w.from), [ROUTE_MAX_STEPS, ROUTE_MAX_STEPS, 1]);
  assert.deepEqual(windows(0), []);
  assert.deepEqual(windows(7, 3), [{ from: 0, to: 3 }, { from: 3, to: 6 }, { from: 6, to: 7 }]);
});

test('windows merge into one answer whose count is the sum', () => {
  const one = { episode: 2, a: 'x.onnx', b: 'y.onnx', measure: 'total-variation', from: 0, to: 2, steps: [step(0, true), step(1, false)], disagreeing: 1 };
  const two = { ...one, from: 2, to: 3, steps: [step(2, true)], disagreeing: 1 };
  const m = mergeAnswers([one, two]);
  assert.equal(m.from, 0);
  assert.equal(m.to, 3);
  assert.equal(m.disagreeing, 2);
  assert.deepEqual(m.steps.map((s) => s.step), [0, 1, 2]);
  assert.equal(m.a, 'x.onnx');
  assert.equal(mergeAnswers([]), null);
});

test('consecutive differing steps are one run, one mark', () => {
  const steps = [step(0, false), step(1, true), step(2, true), step(3, false), step(4, true), step(5, true)];
  assert.deepEqual(differingRuns(steps), [{ from: 1, to: 3 }, { from: 4, to: 6 }]);
  assert.deepEqual(differingRuns([step(0, false)]), []);
  // a window starting mid-episode
  assert.deepEqual(differingRuns([step(10, true), step(11, true)]), [{ from: 10, to: 12 }]);
  const runs = differingRuns(steps);
  assert.equal(runs.reduce((n, r) => n + r.to - r.from, 0), steps.filter((s) => s.differs).length);
});

test('a mark covers its steps\' bars on the stack\'s axis 0..rows−1', () => {
  // 11 rows: the axis spans 0..10, 10 % a step; step k's bar is k ± ½
  assert.deepEqual(markBox({ from: 2, to: 4 }, 11), { left: 15, width: 20 });
  const first = markBox({ from: 0, to: 1 }, 11);
  assert.equal(first.left, 0, 'clipped at the axis start');
  assert.equal(first.width, 5);
  const last = markBox({ from: 10, to: 11 }, 11);
  assert.equal(last.left, 95);
  assert.equal(last.width, 5, 'clipped at the axis end');
  assert.deepEqual(markBox({ from: 0, to: 1 }, 1), { left: 0, width: 50 }, 'one row: the axis 0..1');
});

test('the distance column holds each answered step at its row', () => {
  assert.deepEqual(distanceColumn([step(1, true, 0.5), step(2, false, 0.25)], 4), [null, 0.5, 0.25, null]);
});

test('the label names both policies, the count and what a bar is', () => {
  const answer = { a: 'cartpole_ac.onnx', b: 'cartpole_mlp_round0.onnx', measure: 'total-variation', steps: [step(0, true), step(1, false)], disagreeing: 1 };
  assert.equal(describe(answer), 'policy A (cartpole_ac.onnx) vs B (cartpole_mlp_round0.onnx): greedy actions differ at 1 of 2 steps; bar = total variation');
  assert.match(describe({ ...answer, measure: 'euclidean' }), /bar = distance between the action means$/);
  assert.equal(stepText(step(3, true)), 'A 0 · B 1 (differ)');
  assert.equal(stepText({ step: 0, greedyA: [0.5, -1], greedyB: [0.25, -1], differs: false, distance: 0.25 }), 'A [0.500, -1] · B [0.250, -1]');
  assert.equal(stepText(null), null);
});

test('attributions name policy B only when it is chosen and attached', () => {
  const metadata = { observationSpace: { type: 'Box', shape: [4] }, actionSpace: { type: 'Discrete', n: 2 },
    features: { observations: [{}, {}, {}, {}] }, policy: { name: 'a.onnx' }, comparePolicy: { name: 'b.onnx' } };
  const params = defaultParams(metadata);
  assert.equal(params.policy, 'a');
  assert.equal(attributionQuery(params, metadata).query.policy, undefined, 'A: the query as before');
  assert.equal(attributionQuery({ ...params, policy: 'b' }, metadata).query.policy, 'b');
  assert.equal(attributionQuery({ ...params, policy: 'b' }, { ...metadata, comparePolicy: undefined }).query.policy, undefined);
});
