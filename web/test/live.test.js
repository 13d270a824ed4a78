import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveBadge, withLiveState, mayRedraw } from '../src/live.js';

test('a recording that may grow is live, one that cannot is finished', () => {
  assert.equal(liveBadge({ finished: false }).text, 'live');
  assert.equal(liveBadge({ finished: true }).text, 'finished');
  assert.equal(liveBadge(undefined).text, 'finished');
});

test('a live event updates the counts and keeps the rest of the summary', () => {
  const r = { id: 'run', envId: 'CartPole-v1', episodes: 2, steps: 40, finished: false };
  const next = withLiveState(r, { episodes: 3, totalSteps: 61, lastEpisodeRows: 5, finished: false });
  assert.deepEqual(next, { id: 'run', envId: 'CartPole-v1', episodes: 3, steps: 61, finished: false });
});

test('charts are drawn again at most every gap', () => {
  assert.equal(mayRedraw(null, 5), true);
  assert.equal(mayRedraw(1000, 2500), false);
  assert.equal(mayRedraw(1000, 3000), true);
});
