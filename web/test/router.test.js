import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, formatHash } from '../src/router.js';

test('parses the pages', () => {
  assert.deepEqual(parseHash(''), { page: 'home' });
  assert.deepEqual(parseHash('#/'), { page: 'home' });
  assert.deepEqual(parseHash('#/r/cartpole/e/2/s/17'), { page: 'episode', rollout: 'cartpole', episode: 2, step: 17 });
  assert.deepEqual(parseHash('#/r/cartpole'), { page: 'episode', rollout: 'cartpole', episode: 0, step: 0 });
  assert.deepEqual(parseHash('#/r/cartpole/e/1/'), { page: 'episode', rollout: 'cartpole', episode: 1, step: 0 });
  assert.equal(parseHash('#/r/cartpole/e/x/s/1').page, 'notfound');
  assert.equal(parseHash('#/r/cartpole/e/1/s/-3').page, 'notfound');
  assert.equal(parseHash('#/nothing').page, 'notfound');
});

test('formats and round-trips, escaping ids', () => {
  assert.equal(formatHash({ page: 'home' }), '#/');
  assert.equal(formatHash({ page: 'episode', rollout: 'run-2', episode: 3, step: 40 }), '#/r/run-2/e/3/s/40');
  for (const route of [
    { page: 'episode', rollout: 'a b/c', episode: 0, step: 0 },
    { page: 'episode', rollout: 'recording.v2', episode: 12, step: 99999 },
  ]) assert.deepEqual(parseHash(formatHash(route)), route);
});
