import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Field, FixedSizeList, Float32, Int64, Bool, Utf8, Table, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { plain, toRows } from '../src/data.js';

test('plain turns Arrow values into JS: BigInt to Number, typed arrays to arrays', () => {
  assert.equal(plain(5n), 5);
  assert.deepEqual(plain(new Float32Array([0.5, 0.25])), [0.5, 0.25]);
  assert.deepEqual(plain([1n, null]), [1, null]);
  assert.equal(plain(undefined), null);
});

test('an Arrow stream of steps decodes to row objects, the final row without action', () => {
  const obs = vectorFromArray([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]],
    new FixedSizeList(4, new Field('item', new Float32(), false)));
  const table = new Table({
    observations: obs,
    actions: vectorFromArray([1n, null], new Int64()),
    rewards: vectorFromArray([1.0, null], new Float32()),
    terminations: vectorFromArray([true, null], new Bool()),
    truncations: vectorFromArray([false, null], new Bool()),
    infos: vectorFromArray(['{"k": 2}', '{}'], new Utf8()),
  });
  const rows = toRows(tableFromIPC(tableToIPC(table, 'stream')));
  assert.equal(rows.length, 2);
  assert.equal(rows[0].action, 1);
  assert.equal(rows[0].reward, 1);
  assert.equal(rows[0].terminated, true);
  assert.deepEqual(rows[0].info, { k: 2 });
  assert.deepEqual(rows[1].observation.map((v) => Math.round(v * 10) / 10), [0.5, 0.6, 0.7, 0.8]);
  assert.equal(rows[1].action, null);
  assert.equal(rows[1].probabilities, null);
});
