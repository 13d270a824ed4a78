import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brushElements, copyPairs, dabPairs } from '../src/scenes/brush.js';
import { clampTo, segmentDistance } from '../src/scenes/scene-edit.js';
import { peterPairs, decodeGrid } from '../src/scenes/gridworld.js';
import { imageLayout } from '../src/scenes/pixels.js';
import { applyEdits, emptyEdits, withChanges } from '../src/edits.js';

const CATCH = imageLayout({ type: 'Box', shape: [2, 84, 84] });
const RGB = imageLayout({ type: 'Box', shape: [4, 4, 3] });

test('a brush covers its square in every stacked frame, or the latest only, clipped at the edges', () => {
  const all = brushElements(CATCH, 10, 20, 4).map(([i]) => i);
  assert.equal(all.length, 32, '4x4 pixels in both frames');
  assert.ok(all.includes(9 * 84 + 19) && all.includes(7056 + 12 * 84 + 22), 'rows 9-12, cols 19-22 of both frames');
  const latest = brushElements(CATCH, 10, 20, 4, true).map(([i]) => i);
  assert.ok(latest.length === 16 && latest.every((i) => i >= 7056));
  assert.equal(brushElements(CATCH, 0, 0, 4).length, 2 * 3 * 3, 'clipped at the corner');
  // channel last: a pixel's channels are adjacent
  assert.deepEqual(brushElements(RGB, 1, 2, 1).map(([i]) => i), [18, 19, 20]);
});

test('paint writes the grey, erase the baseline, restore the recording', () => {
  const at = { row: 5, col: 5 };
  const options = { size: 2, latestOnly: true, value: 60, baseline: (i) => i % 7 };
  assert.ok(dabPairs(CATCH, at, { ...options, mode: 'paint' }).every(([, v]) => v === 60));
  assert.ok(dabPairs(CATCH, at, { ...options, mode: 'erase' }).every(([i, v]) => v === i % 7));
  assert.ok(dabPairs(CATCH, at, { ...options, mode: 'restore' }).every(([, v]) => v === null));
});

test('copy moves a patch: the same pixels of each frame, at the new place', () => {
  const observation = Array.from({ length: 2 * 7056 }, (_, i) => i % 251);
  const pairs = copyPairs(CATCH, observation, { row: 20, col: 14 }, { row: 20, col: 40 }, { size: 4, latestOnly: false });
  assert.equal(pairs.length, 32);
  const edited = applyEdits(observation, withChanges(emptyEdits(0), observation, pairs));
  for (const frame of [0, 7056]) {
    for (let r = 19; r <= 22; r++) {
      for (let c = 0; c < 4; c++) assert.equal(edited[frame + r * 84 + 39 + c], observation[frame + r * 84 + 13 + c]);
    }
  }
});

test('scene drags: distances to the pole, bounded rounding, Peter\'s one-hots', () => {
  assert.equal(segmentDistance({ x: 1, y: 1 }, { x: 0, y: 0 }, { x: 0, y: 2 }), 1);
  assert.equal(segmentDistance({ x: 0, y: 3 }, { x: 0, y: 0 }, { x: 0, y: 2 }), 1);
  assert.equal(clampTo(0.5, -0.41887903, 0.41887903, 4), 0.4188, 'rounding never leaves the bound');
  assert.equal(clampTo(-0.123456, -1, 1, 3), -0.123);
  const board = Array.from({ length: 64 }, () => 0);
  const obs = [...board, ...Array(16).fill(0)];
  const moved = applyEdits(obs, withChanges(emptyEdits(0), obs, peterPairs(2, 5)));
  assert.deepEqual(decodeGrid(moved).position, [2, 5]);
});
