import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureGroups, groupSummary } from '../src/panels/observation.js';
import { infoTree } from '../src/panels/infos.js';

test('features split by their Dict key, in order', () => {
  const f = [{ group: 'board' }, { group: 'board' }, { group: 'position' }, { group: 'position' }, { group: 'position' }];
  assert.deepEqual(featureGroups(f), [{ key: 'board', from: 0, to: 2 }, { key: 'position', from: 2, to: 5 }]);
  assert.deepEqual(featureGroups([{ group: '' }, {}]), [{ key: '', from: 0, to: 2 }]);
});

test('a group\'s one-line summary', () => {
  assert.equal(groupSummary({ type: 'Discrete', n: 4 }, 2, [0, 0, 1, 0]), 'Discrete(4) = 2');
  assert.equal(groupSummary({ type: 'MultiDiscrete', nvec: [8, 8] }, [3, 5], []), 'MultiDiscrete [8, 8] = [3, 5]');
  assert.equal(groupSummary({ type: 'Box', shape: [8, 8] }, null, [0, 1, 4, 3]), 'Box [8×8]  min 0 · mean 2 · max 4');
});

test('infos as a tree: objects fold, leaves keep their value', () => {
  assert.deepEqual(infoTree({ outcome: 'won', stats: { a: 1 } }), [{ key: 'outcome', value: 'won' }, { key: 'stats', size: 1, children: [{ key: 'a', value: 1 }] }]);
  assert.deepEqual(infoTree(null), []);
});
