import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveBadge, withLiveState, mayRedraw, episodeLiveAction, episodeRows } from '../src/live.js';

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

test('the episode page refreshes an episode still being recorded, whatever else happened', () => {
  const live = { episodes: 5, totalSteps: 90, lastEpisodeRows: 3, finished: false };
  assert.deepEqual(episodeLiveAction({ episode: 4, complete: false, atEnd: false }, live, false), { kind: 'refresh' });
  // it ended and newer episodes began: its summary is fetched once more
  assert.deepEqual(episodeLiveAction({ episode: 2, complete: false, atEnd: true }, live, true), { kind: 'refresh' });
});

test('following jumps to the newest episode only once the shown one is played to its end', () => {
  const live = { episodes: 5, totalSteps: 90, lastEpisodeRows: 3, finished: false };
  assert.deepEqual(episodeLiveAction({ episode: 2, complete: true, atEnd: true }, live, true), { kind: 'jump', episode: 4 });
  assert.deepEqual(episodeLiveAction({ episode: 2, complete: true, atEnd: false }, live, true), { kind: 'none' });
  assert.deepEqual(episodeLiveAction({ episode: 2, complete: true, atEnd: true }, live, false), { kind: 'none' });
  assert.deepEqual(episodeLiveAction({ episode: 4, complete: true, atEnd: true }, live, true), { kind: 'none' });
});

test('an episode shows its steps, and its final observation once complete', () => {
  assert.equal(episodeRows({ length: 7, complete: false }), 7);
  assert.equal(episodeRows({ length: 7, complete: true }), 8);
  assert.equal(episodeRows({ length: 7 }), 8);
});
