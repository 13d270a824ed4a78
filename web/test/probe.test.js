import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProbe } from '../src/probe.js';
import { createViewState } from '../src/state.js';
import { emptyEdits, withChanges } from '../src/edits.js';

const METADATA = { hasPolicy: true, observationSpace: { type: 'Box', shape: [4] } };
const ROW = { observation: [0.1, 0.2, 0.3, 0.4], action: 1 };
const settle = () => new Promise((r) => setTimeout(r, 5));

/** A fake server: evaluate answers sum-based probabilities; every call is logged with its signal. */
function fakeApi({ fail = null } = {}) {
  const calls = [];
  return {
    calls,
    evaluate(id, observation, signal) {
      calls.push({ kind: 'evaluate', id, observation, signal });
      if (fail) return Promise.reject(Object.assign(new Error(fail), { status: 400 }));
      const p = Math.min(1, Math.max(0, 0.5 + observation[2]));
      return Promise.resolve({ output: 'logits', probabilities: [1 - p, p], action: p > 0.5 ? 1 : 0 });
    },
    explainObservation(id, query, body, signal) {
      calls.push({ kind: 'attributions', id, query, body, signal });
      return Promise.resolve({ features: ['a', 'b', 'c', 'd'], steps: [{ step: body.step, targets: [{ action: body.action, raw: body.observation }] }] });
    },
  };
}

function setup(api, metadata = METADATA) {
  const store = createViewState({ recording: 'r', episode: 0, step: 7 });
  store.set({ recorded: { step: 7, row: ROW }, attributionQuery: { query: { method: 'ablation', target: 'picked' } } });
  const probe = createProbe(store, { rollout: 'r', metadata, api, delay: 0 });
  return { store, probe };
}

test('an edit is evaluated and explained as raw JSON with the recorded action, the step and the panel\'s options', async () => {
  const api = fakeApi();
  const { store, probe } = setup(api);
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[2, -0.3]]) });
  await settle();
  const { probe: result } = store.get();
  assert.equal(result.status, 'ready');
  assert.deepEqual(result.observation, [0.1, 0.2, -0.3, 0.4]);
  assert.deepEqual(result.recorded.probabilities.map((p) => +p.toFixed(2)), [0.2, 0.8]);
  assert.deepEqual(result.evaluation.probabilities.map((p) => +p.toFixed(2)), [0.8, 0.2]);
  assert.deepEqual(result.attribution.steps[0].targets[0].raw, [0.1, 0.2, -0.3, 0.4]);
  const explain = api.calls.find((c) => c.kind === 'attributions');
  assert.deepEqual(explain.query, { method: 'ablation', target: 'picked' });
  assert.deepEqual(explain.body, { observation: [0.1, 0.2, -0.3, 0.4], step: 7, action: 1 });
  assert.ok(store.get().probeTiming.roundTripMs >= 0);
  probe.dispose();
});

test('the recorded observation is evaluated once per step; no change asks nothing more', async () => {
  const api = fakeApi();
  const { store, probe } = setup(api);
  store.set({ edits: emptyEdits(7) });
  await settle();
  assert.equal(store.get().probe.status, 'unchanged');
  assert.equal(store.get().probe.evaluation, store.get().probe.recorded);
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[0, 1]]) });
  await settle();
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[0, 2]]) });
  await settle();
  const recordedCalls = api.calls.filter((c) => c.kind === 'evaluate' && c.observation[0] === 0.1);
  assert.equal(recordedCalls.length, 1);
  assert.equal(api.calls.filter((c) => c.kind === 'attributions').length, 2);
  probe.dispose();
});

test('a newer edit aborts the requests of the older one, whose answers are never shown', async () => {
  const api = fakeApi();
  const store = createViewState({ recording: 'r', episode: 0, step: 7 });
  store.set({ recorded: { step: 7, row: ROW }, attributionQuery: { query: { method: 'ablation' } } });
  const probe = createProbe(store, { rollout: 'r', metadata: METADATA, api, delay: 20 });
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[2, 0.1]]) });
  await new Promise((r) => setTimeout(r, 30)); // the first edit's requests start
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[2, -0.4]]) });
  const first = api.calls.filter((c) => c.observation?.[2] === 0.1 || c.body?.observation[2] === 0.1);
  assert.ok(first.length > 0 && first.every((c) => c.signal.aborted), 'the stale requests were aborted');
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(store.get().probe.observation, [0.1, 0.2, -0.4, 0.4]);
  assert.equal(store.get().probe.status, 'ready');
  probe.dispose();
});

test('a refused observation shows the server\'s words; leaving edit mode or another step clears the probe', async () => {
  const api = fakeApi({ fail: 'the observation does not fit: element 2 (pole angle) = 9.0 is above its high bound' });
  const { store, probe } = setup(api);
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[2, 9]]) });
  await settle();
  assert.equal(store.get().probe.status, 'error');
  assert.match(store.get().probe.error, /element 2 \(pole angle\)/);
  store.set({ edits: null });
  assert.equal(store.get().probe, null);
  probe.dispose();
});

test('without a policy the probe says so instead of asking', () => {
  const api = fakeApi();
  const { store, probe } = setup(api, { ...METADATA, hasPolicy: false });
  store.set({ edits: withChanges(emptyEdits(7), ROW.observation, [[2, 1]]) });
  assert.equal(store.get().probe.status, 'error');
  assert.match(store.get().probe.error, /no policy/);
  assert.deepEqual(store.get().probe.observation, [0.1, 0.2, 1, 0.4], 'the scene still draws the edit');
  assert.equal(api.calls.length, 0);
  probe.dispose();
});
