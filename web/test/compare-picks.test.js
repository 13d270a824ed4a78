import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickedHash, togglePick } from '../src/compare-picks.js';

test('picks: at most two, in order; unticking removes', () => {
  let picks = togglePick([], { rollout: 'r', episode: 1 }, true);
  assert.equal(pickedHash(picks), null);
  picks = togglePick(picks, { rollout: 's', episode: 4 }, true);
  assert.deepEqual(picks, [{ rollout: 'r', episode: 1 }, { rollout: 's', episode: 4 }]);
  assert.equal(pickedHash(picks), '#/compare?a=r/1&b=s/4&step=0');
  assert.deepEqual(togglePick(picks, { rollout: 'r', episode: 1 }, false), [{ rollout: 's', episode: 4 }]);
  assert.deepEqual(togglePick(picks, { rollout: 't', episode: 0 }, true), [{ rollout: 's', episode: 4 }, { rollout: 't', episode: 0 }]);
  assert.deepEqual(togglePick([{ rollout: 'r', episode: 1 }], { rollout: 'r', episode: 1 }, true), [{ rollout: 'r', episode: 1 }], 'no double pick');
});

test('the episode page compares with the next episode, the last with the one before', async () => {
  const { compareRoute } = await import('../src/compare-link.js');
  assert.deepEqual(compareRoute('r', 2, 10, 7), { page: 'compare', a: { rollout: 'r', episode: 2 }, b: { rollout: 'r', episode: 3 }, step: 7 });
  assert.deepEqual(compareRoute('r', 9, 10, 0).b, { rollout: 'r', episode: 8 });
  assert.deepEqual(compareRoute('r', 0, 1, 0).b, { rollout: 'r', episode: 0 }, 'one episode: with itself');
});
