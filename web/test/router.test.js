import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, formatHash, startRouter } from '../src/router.js';

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

test('startRouter shows the first page at once, even for an empty hash, and pushes or replaces', () => {
  const listeners = {};
  const entries = [];
  globalThis.location = { hash: '' };
  globalThis.window = { addEventListener: (type, f) => { listeners[type] = f; } };
  globalThis.history = {
    pushState: (_, __, h) => { entries.push(['push', h]); location.hash = h; },
    replaceState: (_, __, h) => { entries.push(['replace', h]); location.hash = h; },
  };
  try {
    const seen = [];
    const navigate = startRouter((r) => seen.push(r));
    assert.deepEqual(seen, [{ page: 'home' }]);
    navigate({ page: 'episode', rollout: 'c', episode: 1, step: 2 }, { silent: false });
    assert.deepEqual(seen[1], { page: 'episode', rollout: 'c', episode: 1, step: 2 });
    navigate({ page: 'episode', rollout: 'c', episode: 1, step: 3 }, { replace: true });
    assert.equal(seen.length, 2); // silent: the page already shows it
    listeners.hashchange(); // the browser's own event for the same hash: nothing new
    assert.equal(seen.length, 2);
    location.hash = '#/'; // back
    listeners.hashchange();
    assert.deepEqual(seen[2], { page: 'home' });
    assert.deepEqual(entries, [['push', '#/r/c/e/1/s/2'], ['replace', '#/r/c/e/1/s/3']]);
  } finally {
    delete globalThis.location;
    delete globalThis.window;
    delete globalThis.history;
  }
});

test('an edit travels in the hash after the step; links without one read as before', () => {
  const route = parseHash('#/r/catch/e/0/s/12?edit=2:-0.25_7,100-104:40');
  assert.deepEqual(route, { page: 'episode', rollout: 'catch', episode: 0, step: 12, edit: '2:-0.25_7,100-104:40' });
  assert.equal(formatHash(route), '#/r/catch/e/0/s/12?edit=2:-0.25_7,100-104:40');
  assert.deepEqual(parseHash('#/r/catch/e/0/s/12?edit='), { page: 'episode', rollout: 'catch', episode: 0, step: 12, edit: '' },
    'edit mode without changes');
  assert.deepEqual(parseHash('#/r/catch/e/0/s/12?other=1'), { page: 'episode', rollout: 'catch', episode: 0, step: 12 });
  assert.deepEqual(parseHash('#/r/catch/e/0/s/12/?x=1&edit=1%3A2'), { page: 'episode', rollout: 'catch', episode: 0, step: 12, edit: '1:2' },
    'percent-encoded and after other parameters');
  assert.equal(formatHash({ page: 'episode', rollout: 'c', episode: 1, step: 2, edit: null }), '#/r/c/e/1/s/2');
  for (const r of [
    { page: 'episode', rollout: 'a b/c', episode: 0, step: 0, edit: '0:1' },
    { page: 'episode', rollout: 'x', episode: 3, step: 9, edit: '' },
  ]) assert.deepEqual(parseHash(formatHash(r)), r);
});

test('compare routes: two sides and a step, ids escaped, round trip', () => {
  assert.deepEqual(parseHash('#/compare?a=cartpole/2&b=other/5&step=17'),
    { page: 'compare', a: { rollout: 'cartpole', episode: 2 }, b: { rollout: 'other', episode: 5 }, step: 17 });
  assert.deepEqual(parseHash('#/compare?b=x/1&a=y/0'), { page: 'compare', a: { rollout: 'y', episode: 0 }, b: { rollout: 'x', episode: 1 }, step: 0 });
  assert.equal(formatHash({ page: 'compare', a: { rollout: 'run 1', episode: 3 }, b: { rollout: 'run-2', episode: 0 }, step: 9 }),
    '#/compare?a=run%201/3&b=run-2/0&step=9');
  for (const route of [
    { page: 'compare', a: { rollout: 'a/b&c=d', episode: 4 }, b: { rollout: 'x.y', episode: 12 }, step: 40 },
    { page: 'compare', a: { rollout: 'same', episode: 0 }, b: { rollout: 'same', episode: 1 }, step: 0 },
  ]) assert.deepEqual(parseHash(formatHash(route)), route);
});

test('compare routes: a missing or malformed side is null, a bad step is step 0', () => {
  assert.deepEqual(parseHash('#/compare?a=cartpole/2'), { page: 'compare', a: { rollout: 'cartpole', episode: 2 }, b: null, step: 0 });
  assert.equal(parseHash('#/compare?a=cartpole&b=x/1').a, null);
  assert.equal(parseHash('#/compare?a=cartpole/two&b=x/1').a, null);
  assert.equal(parseHash('#/compare?a=/3&b=x/1').a, null);
  assert.equal(parseHash('#/compare?a=cartpole/&b=x/1').a, null);
  assert.equal(parseHash('#/compare?a=c/1&b=x/1&step=-2').step, 0);
  assert.deepEqual(parseHash('#/compare'), { page: 'compare', a: null, b: null, step: 0 });
});
