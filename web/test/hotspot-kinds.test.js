import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOTSPOT_KINDS, checkAnnotation, detectorSummary, hotspotKind, hotspotsAt, markSegments, mergeHotspots, nextHotspotStep, rangeText,
} from '../src/hotspot-kinds.js';

const server = [
  { from: 37, to: 37, kind: 'unlikely-action', score: 0.98, reason: 'picked 1 with p 0.010' },
  { from: 12, to: 12, kind: 'reward', score: 0.9, reason: 'reward +25' },
  { from: 40, to: 49, kind: 'termination', score: 0.5, reason: 'last 10 steps' },
];
const notes = [
  { id: 'b', from: 30, to: 33, title: 'wobble', note: 'why?' },
  { id: 'a', from: 5, to: 5, title: 'start', note: '' },
];

test('notes come first in step order, then the server’s ranking as sent', () => {
  const list = mergeHotspots(server, notes, 49);
  assert.deepEqual(list.map((h) => `${h.kind}@${h.from}`), ['note@5', 'note@30', 'unlikely-action@37', 'reward@12', 'termination@40']);
  assert.equal(list[1].title, 'wobble');
  assert.equal(list[1].reason, 'why?');
  assert.equal(list[1].annotation.id, 'b');
  assert.equal(list[0].score, null);
});

test('ranges are clamped to the episode', () => {
  const [h] = mergeHotspots([{ from: -3, to: 900, kind: 'reward', score: 1 }], [], 49);
  assert.deepEqual([h.from, h.to], [0, 49]);
});

test('hotspots past the last row the view has (a live episode grew) are left out, not clamped', () => {
  const list = mergeHotspots([{ from: 40, to: 60, kind: 'reward', score: 1 }, { from: 50, to: 55, kind: 'oscillation', score: 1 }], [], 49);
  assert.deepEqual(list.map((h) => [h.kind, h.from, h.to]), [['reward', 40, 49]]);
});

test('N and P go to the next and previous start in step order, null past the ends', () => {
  const list = mergeHotspots(server, notes, 49);
  assert.equal(nextHotspotStep(list, 0, 1), 5);
  assert.equal(nextHotspotStep(list, 5, 1), 12);
  assert.equal(nextHotspotStep(list, 37, 1), 40);
  assert.equal(nextHotspotStep(list, 40, 1), null);
  assert.equal(nextHotspotStep(list, 40, -1), 37);
  assert.equal(nextHotspotStep(list, 13, -1), 12);
  assert.equal(nextHotspotStep(list, 5, -1), null);
  assert.equal(nextHotspotStep([], 5, 1), null);
});

test('the hotspots at a step are those whose range holds it', () => {
  const list = mergeHotspots(server, notes, 49);
  assert.deepEqual(hotspotsAt(list, 45).map((h) => h.kind), ['termination']);
  assert.deepEqual(hotspotsAt(list, 31).map((h) => h.kind), ['note']);
  assert.deepEqual(hotspotsAt(list, 20), []);
});

test('marks sit at their steps’ fractions of the track, strongest drawn last', () => {
  const marks = markSegments(mergeHotspots(server, [], 100), 100);
  assert.deepEqual(marks.map((m) => m.kind), ['termination', 'reward', 'unlikely-action']);
  const term = marks[0];
  assert.equal(term.left, 0.4);
  assert.ok(Math.abs(term.width - 0.09) < 1e-12);
  const one = marks[2];
  assert.equal(one.left, 0.37);
  assert.equal(one.width, 0.003); // one step stays visible
  assert.equal(one.colour, HOTSPOT_KINDS['unlikely-action'].colour);
});

test('unknown kinds are grey and named as sent', () => {
  assert.deepEqual(hotspotKind('new-detector'), { label: 'new-detector', colour: '#8a8f98' });
  assert.equal(hotspotKind('reward').label, 'large reward');
});

test('range text and the detectors’ summary', () => {
  assert.equal(rangeText({ from: 3, to: 3 }), 'step 3');
  assert.equal(rangeText({ from: 3, to: 9 }), 'steps 3–9');
  const s = detectorSummary([
    { kind: 'reward', ran: true, found: 2 },
    { kind: 'value-drop', ran: false, why: 'the recording has no value column' },
  ]);
  assert.equal(s.line, '1 detector ran · 1 skipped');
  assert.match(s.detail, /large reward: 2 found/);
  assert.match(s.detail, /value drop \/ TD error: skipped — the recording has no value column/);
});

test('an annotation needs a title and a range inside the episode', () => {
  assert.deepEqual(checkAnnotation({ title: ' x ', from: '2', to: '4', note: 'n' }, 10).value, { title: 'x', from: 2, to: 4, note: 'n' });
  assert.match(checkAnnotation({ title: '', from: 2, to: 4 }, 10).error, /title/);
  assert.match(checkAnnotation({ title: 'x', from: 5, to: 4 }, 10).error, /0 to 10/);
  assert.match(checkAnnotation({ title: 'x', from: 0, to: 11 }, 10).error, /0 to 10/);
  assert.match(checkAnnotation({ title: 'x', from: 1.5, to: 2 }, 10).error, /whole/);
  assert.match(checkAnnotation({ title: 'x'.repeat(201), from: 0, to: 1 }, 10).error, /200/);
});
