import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkIndex, chunkRange, chunkCount, chunksCovering, chunksAround } from '../src/chunks.js';
import { StepLoader } from '../src/loader.js';

test('chunk of a row and its range', () => {
  assert.equal(chunkIndex(0, 1000), 0);
  assert.equal(chunkIndex(999, 1000), 0);
  assert.equal(chunkIndex(1000, 1000), 1);
  assert.deepEqual(chunkRange(0, 22, 1000), { from: 0, to: 22 });
  assert.deepEqual(chunkRange(2, 2501, 1000), { from: 2000, to: 2501 });
  assert.throws(() => chunkIndex(-1));
});

test('chunk counts and covering ranges', () => {
  assert.equal(chunkCount(0, 1000), 0);
  assert.equal(chunkCount(1000, 1000), 1);
  assert.equal(chunkCount(1001, 1000), 2);
  assert.deepEqual(chunksCovering(990, 2010, 5000, 1000), [0, 1, 2]);
  assert.deepEqual(chunksCovering(1000, 2000, 5000, 1000), [1]);
  assert.deepEqual(chunksCovering(-5, 3, 2, 1000), [0]);
  assert.deepEqual(chunksCovering(5, 5, 10, 1000), []);
});

test('chunks around a row look one ahead, within the episode', () => {
  assert.deepEqual(chunksAround(10, 5000, 1000), [0, 1]);
  assert.deepEqual(chunksAround(4999, 5000, 1000), [4]);
  assert.deepEqual(chunksAround(10, 22, 1000), [0]);
});

test('the loader fetches each chunk once, in ranges of at most size rows', async () => {
  const calls = [];
  const loader = new StepLoader(2500, async (from, to) => {
    calls.push([from, to]);
    return Array.from({ length: to - from }, (_, i) => ({ row: from + i }));
  }, { size: 1000 });
  assert.equal(loader.peek(5), undefined);
  assert.deepEqual(await loader.get(5), { row: 5 });
  assert.deepEqual(await loader.get(999), { row: 999 });
  assert.deepEqual(await loader.get(2400), { row: 2400 });
  assert.deepEqual(loader.peek(1500), { row: 1500 }); // prefetched
  assert.deepEqual(calls.sort((a, b) => a[0] - b[0]), [[0, 1000], [1000, 2000], [2000, 2500]]);
  await assert.rejects(loader.get(2500), RangeError);
});

test('the loader forgets failed chunks and bounds its cache', async () => {
  let fail = true;
  let fetches = 0;
  const loader = new StepLoader(10, async (from, to) => {
    fetches++;
    if (fail) throw new Error('offline');
    return Array.from({ length: to - from }, (_, i) => from + i);
  }, { size: 2, maxChunks: 2 });
  await assert.rejects(loader.chunk(0), /offline/);
  fail = false;
  assert.deepEqual(await loader.chunk(0), [0, 1]);
  await loader.chunk(1);
  await loader.chunk(2);
  assert.equal(loader.chunks.size, 2);
  assert.equal(loader.peek(0), undefined); // evicted, least recently used
  const before = fetches;
  await loader.chunk(2);
  assert.equal(fetches, before);
});
