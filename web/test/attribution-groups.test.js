import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elementKeys, flatSize, groupAnswer, groupByKey, imagePatches, mergeWindows, patchRows } from '../src/attribution-groups.js';
import { attributionRows } from '../src/tables.js';
import { divergingColour, fmtEnd, scaleEnd } from '../src/scenes/colour-scale.js';

test('an image is read as 8×8 patches, edge patches smaller, every frame of a stack summed', () => {
  const layout = { height: 84, width: 84, channels: 2, channelFirst: true };
  const patches = imagePatches(layout);
  assert.equal(patches.length, 11 * 11);
  assert.equal(patches[0].label, 'rows 0–7, cols 0–7');
  assert.equal(patches[10].label, 'rows 0–7, cols 80–83');
  assert.equal(patches[0].elements.length, 128, '64 pixels × 2 frames');
  assert.ok(patches[0].elements.includes(84 * 84), 'frame 1 of pixel (0, 0)');
  assert.equal(patches.reduce((n, p) => n + p.elements.length, 0), 2 * 84 * 84, 'every element once');
  const raw = new Array(2 * 84 * 84).fill(0);
  raw[40 * 84 + 16] = 0.5; // frame 0, pixel (40, 16)
  raw[84 * 84 + 41 * 84 + 17] = 0.25; // frame 1, pixel (41, 17)
  raw[0] = -0.1;
  const rows = patchRows(patches, [{ raw }], new Array(raw.length).fill(2));
  assert.equal(rows[0].label, 'rows 40–47, cols 16–23');
  assert.equal(rows[0].raw[0], 0.75);
  assert.equal(rows[0].value, 2, 'the mean observed value');
  assert.equal(rows[1].raw[0], -0.1);
  assert.equal(rows[0].normalized[0], 1);
});

test('channel-last patches hold each pixel\'s channels', () => {
  const patches = imagePatches({ height: 2, width: 2, channels: 3, channelFirst: false }, 1);
  assert.deepEqual(patches[1].elements, [3, 4, 5]);
});

test('Dict features grouped under their key with the key\'s total', () => {
  const space = { type: 'Dict', subspaces: { position: { type: 'MultiDiscrete', nvec: [2, 2] }, board: { type: 'Box', shape: [2, 2] } } };
  assert.equal(flatSize(space), 8);
  const keys = elementKeys(space);
  assert.deepEqual(keys, ['board', 'board', 'board', 'board', 'position', 'position', 'position', 'position']);
  const rows = attributionRows(['b0', 'b1', 'b2', 'b3', 'p0', 'p1', 'p2', 'p3'], [{ raw: [0.1, 0, 0.2, 0, 0.5, 0, 0, -0.3] }]);
  const groups = groupByKey(rows, keys);
  assert.deepEqual(groups.map((g) => g.key), ['board', 'position']);
  assert.ok(Math.abs(groups[0].total[0] - 0.3) < 1e-12);
  assert.ok(Math.abs(groups[1].total[0] - 0.2) < 1e-12);
  assert.equal(groups[1].rows[0].label, 'p0', 'strongest first within the key');
  assert.equal(elementKeys({ type: 'Box', shape: [4] }), null);
});

test('windows merge into one episode answer; pixels regroup into patches for the plot', () => {
  const a = { features: ['x', 'y'], steps: [{ step: 0, targets: [{ raw: [1, 2] }] }, { step: 1, targets: [{ raw: [3, 4] }] }] };
  const b = { features: ['x', 'y'], steps: [{ step: 5, targets: [{ raw: [5, 6] }] }] };
  const merged = mergeWindows([{ answer: b }, { answer: a }]);
  assert.deepEqual(merged.steps.map((s) => s.step), [0, 1, 5]);
  assert.equal(mergeWindows([]), null);
  const grouped = groupAnswer(merged, [{ label: 'both', elements: [0, 1] }]);
  assert.deepEqual(grouped.features, ['both']);
  assert.deepEqual(grouped.steps.map((s) => s.targets[0].raw[0]), [3, 7, 11]);
});

test('the diverging colour scale: sign picks the hue, |v| the opacity, clamped', () => {
  assert.deepEqual(divergingColour(1), [0x2f, 0x6d, 0xb5, 1]);
  assert.deepEqual(divergingColour(-0.5, 0.8), [0xd0, 0x45, 0x3b, 0.4]);
  assert.deepEqual(divergingColour(-7), [0xd0, 0x45, 0x3b, 1]);
  assert.equal(divergingColour(NaN)[3], 0);
  assert.equal(scaleEnd([0.1, -0.4, NaN]), 0.4);
  assert.equal(fmtEnd(0.012345), '0.0123');
  assert.equal(fmtEnd(0), '0');
});
