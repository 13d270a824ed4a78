import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributionQuery, defaultParams, estimateCost, fixFor, methodsFor, occlusionWindows, optionsFor, parseBaseline, targetsFor,
} from '../src/attribution-options.js';
import { windowOf } from '../src/tables.js';

const labels = (n) => ({ observations: Array.from({ length: n }, (_, i) => ({ label: `f${i}` })) });
const cartpole = { observationSpace: { type: 'Box', dtype: 'float32', shape: [4] }, actionSpace: { type: 'Discrete', n: 2 }, features: labels(4), policy: { targets: ['actions', 'value'] } };
const pendulum = { observationSpace: { type: 'Box', dtype: 'float32', shape: [3] }, actionSpace: { type: 'Box', shape: [1] }, features: labels(3) };
const catchBall = { observationSpace: { type: 'Box', dtype: 'uint8', shape: [2, 84, 84] }, actionSpace: { type: 'Discrete', n: 3 }, features: labels(14112) };
const grid = {
  observationSpace: { type: 'Dict', subspaces: { position: { type: 'MultiDiscrete', nvec: [8, 8] }, board: { type: 'Box', dtype: 'uint8', shape: [8, 8] } } },
  actionSpace: { type: 'Discrete', n: 4 }, features: labels(80),
};

test('methods that apply: occlusion only to images, per-pixel ablation and Shapley never to a large image', () => {
  assert.deepEqual(methodsFor(cartpole), ['ablation', 'shapley']);
  assert.deepEqual(methodsFor(catchBall), ['occlusion']);
  assert.deepEqual(methodsFor(grid), ['ablation', 'shapley']);
  assert.equal(defaultParams(catchBall).method, 'occlusion');
});

test('targets: value only with a value head; top-K and all only for discrete actions', () => {
  assert.deepEqual(targetsFor(cartpole), ['picked', 'top-1', 'all', 'value']);
  assert.deepEqual(targetsFor(pendulum), ['picked']);
  assert.deepEqual(targetsFor(grid), ['picked', 'top-1', 'all']);
});

test('options rows shown only where they apply', () => {
  const p = defaultParams(cartpole);
  assert.equal(optionsFor(p, cartpole).output, true);
  assert.equal(optionsFor({ ...p, target: 'value' }, cartpole).output, false);
  assert.equal(optionsFor(p, pendulum).output, false);
  assert.equal(optionsFor(p, cartpole).groups, true, 'a vector takes groups of its own');
  assert.equal(optionsFor(p, grid).groups, true);
  assert.equal(optionsFor(defaultParams(catchBall), catchBall).window, true);
  assert.equal(optionsFor({ ...p, method: 'shapley' }, cartpole).sampling, false, '4 features: exact by default');
  assert.equal(optionsFor({ ...p, method: 'shapley' }, grid).sampling, true, '80 features: sampled');
});

test('cost per step: ablation m+1, exact Shapley 2^m+1, sampled passes×m+1, occlusion windows+1', () => {
  const p = defaultParams(cartpole);
  assert.equal(estimateCost(p, cartpole, 10).total, 50);
  assert.equal(estimateCost({ ...p, method: 'shapley' }, cartpole, 1).perStep, 17);
  assert.equal(estimateCost({ ...p, method: 'shapley', exact: 'sampled', permutations: '5' }, cartpole, 1).perStep, 6 * 4 + 1);
  assert.equal(estimateCost({ ...p, method: 'shapley', exact: 'sampled', permutations: '5', sampling: 'plain' }, cartpole, 1).perStep, 21);
  assert.equal(estimateCost({ ...p, groups: 'keys' }, grid, 1).perStep, 3);
  assert.equal(occlusionWindows({ height: 84, width: 84 }, '8,8', '4,4'), 400);
  assert.equal(estimateCost(defaultParams(catchBall), catchBall, 9).total, 401 * 9);
  assert.match(estimateCost(p, cartpole, 10).text, /50 policy evaluations \(5 per step × 10 steps\)/);
});

test('custom baselines are checked before sending; defaults are left out of the query', () => {
  assert.deepEqual(parseBaseline('0, 0.5 1 -2', 4), { values: '0,0.5,1,-2' });
  assert.match(parseBaseline('1,2', 4).error, /needs 4 numbers, got 2/);
  assert.match(parseBaseline('1,x,2,3', 4).error, /element 1/);
  const p = defaultParams(cartpole);
  assert.deepEqual(attributionQuery(p, cartpole).query, { method: 'ablation', target: 'picked', baseline: 'zero', normalize: 'all' });
  assert.equal(attributionQuery({ ...p, baseline: 'custom', custom: '1,2,3,4' }, cartpole).query.baseline, '1,2,3,4');
  assert.ok(attributionQuery({ ...p, baseline: 'custom', custom: '1' }, cartpole).error);
  assert.equal(attributionQuery({ ...p, output: 'logit' }, cartpole).query.output, 'logit');
  assert.equal(attributionQuery({ ...p, output: 'logit' }, pendulum).query.output, undefined);
  const sampled = attributionQuery({ ...p, method: 'shapley', exact: 'sampled', permutations: '8' }, cartpole).query;
  assert.deepEqual([sampled.exact, sampled.sampling, sampled.permutations], ['false', 'antithetic', '8']);
  assert.ok(attributionQuery({ ...p, method: 'shapley', exact: 'sampled', permutations: '5000' }, cartpole).error);
  assert.equal(attributionQuery({ ...defaultParams(catchBall), window: '16,16' }, catchBall).query.window, '16,16');
});

test('refusals come with their fix', () => {
  const p = defaultParams(cartpole);
  const over = fixFor({ status: 413, message: 'x', details: { cost: 200100, limit: 100000, unit: 'policy evaluations', maxSteps: 49 } }, p, cartpole);
  assert.deepEqual([over.fix.label, over.fix.steps], ['compute 49 steps at a time', 49]);
  assert.match(over.text, /200,100 policy evaluations, over the server's 100,000/);
  assert.equal(fixFor({ status: 429, message: 'busy' }, p, cartpole).fix.retry, true);
  const tiny = fixFor({ status: 413, message: 'x', details: {} }, { ...defaultParams(catchBall), window: '1,1', stride: '1,1' }, catchBall);
  assert.equal(tiny.fix.params.window, '4,4', 'the smallest doubling whose step fits the server');
  assert.equal(fixFor({ status: 400, message: 'x' }, { ...p, method: 'shapley', exact: 'exact' }, cartpole).fix.params.exact, 'auto');
});

test('the steps of a request: a count around the step, clipped to the episode', () => {
  assert.deepEqual(windowOf(10, 100, 5), { from: 8, to: 13 });
  assert.deepEqual(windowOf(0, 100, 5), { from: 0, to: 5 });
  assert.deepEqual(windowOf(99, 100, 5), { from: 95, to: 100 });
  assert.deepEqual(windowOf(3, 4, 49), { from: 0, to: 4 });
});

test('user groups as JSON: checked against the labels, counted with the ungrouped features', async () => {
  const { parseGroups, groupChoices, featureCount } = await import('../src/attribution-options.js');
  const names = ['a', 'b', 'c', 'd'];
  assert.deepEqual(parseGroups('{"ab": ["a", "b"]}', names), { groups: { ab: ['a', 'b'] }, count: 3 });
  assert.match(parseGroups('{"x": ["nope"]}', names).error, /unknown feature 'nope'/);
  assert.match(parseGroups('{"x": ["a"], "y": ["a"]}', names).error, /in two groups/);
  assert.match(parseGroups('[1]', names).error, /JSON object/);
  assert.match(parseGroups('{', names).error, /JSON object/);
  assert.deepEqual(groupChoices(cartpole), ['features', 'custom']);
  assert.deepEqual(groupChoices(grid), ['features', 'keys', 'custom']);
  const p = { ...defaultParams(cartpole), groups: 'custom', groupsJson: '{"cart": ["f0", "f1"]}' };
  assert.equal(featureCount(p, cartpole), 3);
  assert.equal(attributionQuery(p, cartpole).query.groups, '{"cart":["f0","f1"]}');
  assert.ok(attributionQuery({ ...p, groupsJson: '{}' }, cartpole).error);
  assert.equal(optionsFor(defaultParams(catchBall), catchBall).groups, false, 'occlusion ignores groups');
});
