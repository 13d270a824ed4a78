import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, createViewState, watch } from '../src/state.js';
import { DEFAULT_LAYOUT, LAYOUT_KEY, LIMITS, loadLayout, saveLayout, withPanel, withSize } from '../src/layout.js';
import { fmtSig, withUnit } from '../src/format.js';
import { episodeOutcome, outcomeRows } from '../src/outcome.js';

test('the store tells subscribers the changed keys only, and nothing for an equal patch', () => {
  const s = createStore({ step: 0, playing: false });
  const heard = [];
  const off = s.subscribe((state, changed) => heard.push([state.step, changed]));
  s.set({ step: 3, playing: false });
  s.set({ step: 3 });
  off();
  s.set({ step: 4 });
  assert.deepEqual(heard, [[3, ['step']]]);
  assert.equal(s.get().step, 4);
  assert.throws(() => { 'use strict'; s.get().step = 9; }, 'the state is read-only: change it with set');
});

test('watch calls now, then only for its keys', () => {
  const s = createViewState({ recording: 'r', episode: 1, step: 2 });
  const steps = [];
  watch(s, ['step'], (st) => steps.push(st.step));
  s.set({ playing: true });
  s.set({ step: 5, how: 'play' });
  assert.deepEqual(steps, [2, 5]);
  assert.equal(s.get().recording, 'r');
});

function memoryStorage(initial = {}) {
  const m = new Map(Object.entries(initial));
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), map: m };
}

test('the layout survives a save and a load; bad or missing parts fall back to the defaults', () => {
  const storage = memoryStorage();
  assert.deepEqual(loadLayout(storage), JSON.parse(JSON.stringify(DEFAULT_LAYOUT)));
  let l = withPanel(loadLayout(storage), 'observation', { collapsed: true });
  l = withSize(l, 'sideWidth', 600);
  saveLayout(storage, l);
  const back = loadLayout(storage);
  assert.equal(back.panels.observation.collapsed, true);
  assert.equal(back.sideWidth, 600);
  assert.equal(back.panels.attribution.height, null, 'the filler keeps no height');
  assert.deepEqual(loadLayout(memoryStorage({ [LAYOUT_KEY]: '{not json' })).sideWidth, DEFAULT_LAYOUT.sideWidth);
  const odd = loadLayout(memoryStorage({ [LAYOUT_KEY]: JSON.stringify({ sideWidth: 5, timelineHeight: 'x', panels: { action: { collapsed: 'yes', height: 1e9 } } }) }));
  assert.equal(odd.sideWidth, LIMITS.sideWidth[0]);
  assert.equal(odd.timelineHeight, DEFAULT_LAYOUT.timelineHeight);
  assert.equal(odd.panels.action.collapsed, false);
  assert.equal(odd.panels.action.height, LIMITS.panelHeight[1]);
  saveLayout({ setItem() { throw new Error('quota'); } }, l); // refused: not remembered, no error
});

test('numbers read with 4 significant digits, units attached', () => {
  assert.equal(fmtSig(0.7799999999999999), '0.78');
  assert.equal(fmtSig(-153.28714), '-153.3');
  assert.equal(fmtSig(42), '42');
  assert.equal(fmtSig(0.000012346), '1.235e-5');
  assert.equal(fmtSig(1234567.8), '1.235e6');
  assert.equal(fmtSig(null), '—');
  assert.equal(fmtSig(-Infinity), '−∞');
  assert.equal(fmtSig(true), 'true');
  assert.equal(withUnit(0.12345, 'rad'), '0.1235 rad');
  assert.equal(withUnit(null, 'rad'), '—');
});

test('the outcome: the env\'s word from the last infos, else how the episode ended', () => {
  const won = episodeOutcome({ terminated: true }, [{ outcome: 'won' }, {}]);
  assert.deepEqual(won, { label: 'won', kind: 'terminated', end: 'terminated' });
  assert.equal(episodeOutcome({ truncated: true }, [{}, null]).label, 'truncated');
  assert.equal(episodeOutcome({ complete: false }, []).kind, 'cut-off');
  assert.equal(episodeOutcome({}, [{ result: 'lost' }]).label, 'lost');
  assert.deepEqual(outcomeRows({ length: 9 }, 10), [8, 9]);
  assert.deepEqual(outcomeRows({ length: 9, complete: false }, 9), [8]);
});
