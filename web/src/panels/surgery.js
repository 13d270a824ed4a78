// Observation surgery's controls, in the observation panel: "edit" turns the panel's table into a
// control per element of the observation space (edits.js): a slider and a number field per Box
// element, within its bounds or the range the recording shows; a picker per Discrete (and
// MultiDiscrete part); a toggle per MultiBinary element; Dict and Tuple parts grouped by key as the
// table groups them. Large Boxes (images) are edited with the scene's brush. Every change writes
// `edits` into the view state, which the probe (probe.js), the scene and the other panels read;
// "reset" returns to the recorded observation; the status line says what the server answered.
import { applyEdits, changeCount, discretePairs, discreteValue, editControls, emptyEdits, observeRanges, sliderRange, withChanges } from '../edits.js';
import { fmtSig } from '../format.js';
import { watch } from '../state.js';
import { OPEN_GROUP_ROWS } from './observation.js';

/** Flat elements a control edits: a Discrete's one-hot, a block's elements, else one. */
const spanOf = (c) => (c.kind === 'discrete' ? c.n : c.kind === 'block' ? c.size : 1);

/** A value as the number field shows it: 6 significant digits (float32 noise hidden). */
const fieldText = (v) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '');

/** A slider's value rounded to its step's precision, kept within its range. */
function sliderValue(input) {
  const step = Number(input.step);
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(step)));
  const v = Number(Number(input.value).toFixed(decimals));
  return Math.min(Number(input.max), Math.max(Number(input.min), v));
}

export function createSurgeryPanel(container, { store, metadata }) {
  const space = metadata?.observationSpace;
  const features = metadata?.features?.observations || [];
  const controls = editControls(space, features);
  const grouped = space?.type === 'Dict' || space?.type === 'Tuple';
  const ranges = [];

  // The buttons and the status sit in the panel's title row (every row of the body goes to the
  // controls); a click there must not also fold the panel.
  const bar = document.createElement('span');
  bar.className = 'surgery-bar';
  bar.innerHTML = `<button type="button" data-testid="edit-toggle" aria-pressed="false">edit</button>
    <button type="button" data-testid="edit-reset" title="back to the recorded observation" hidden>reset</button>
    <span class="probe-status" data-testid="probe-status"></span>`;
  for (const type of ['click', 'keydown']) bar.addEventListener(type, (e) => e.stopPropagation());
  const head = container.closest('.side-panel')?.querySelector('.side-head');
  (head || container).append(bar);
  const editor = document.createElement('div');
  editor.className = 'surgery';
  editor.dataset.testid = 'surgery-controls';
  editor.hidden = true;
  const error = document.createElement('div');
  error.className = 'probe-error error';
  error.dataset.testid = 'probe-error';
  error.hidden = true;
  container.append(error, editor);
  const toggle = bar.querySelector('[data-testid=edit-toggle]');
  const reset = bar.querySelector('[data-testid=edit-reset]');
  const status = bar.querySelector('[data-testid=probe-status]');

  const groupOf = new Map(); // flat index -> its control's group
  for (const c of controls) {
    const span = spanOf(c);
    for (let k = 0; k < span; k++) groupOf.set(c.index + k, c.group);
  }

  // one table per group, as the observation table groups them
  const rows = new Map(); // control.index -> {control, tr, inputs}
  let table = null;
  let lastGroup = null;
  for (const c of controls) {
    if (!table || c.group !== lastGroup) {
      table = document.createElement('table');
      table.className = 'surgery-table';
      if (grouped) {
        const details = document.createElement('details');
        details.className = 'obs-group';
        const size = controls.filter((x) => x.group === c.group).length;
        details.open = size <= OPEN_GROUP_ROWS;
        details.innerHTML = '<summary><b></b> <span class="summary"></span></summary>';
        details.querySelector('b').textContent = c.group;
        details.dataset.group = c.group;
        details.appendChild(table);
        editor.appendChild(details);
      } else {
        editor.appendChild(table);
      }
      lastGroup = c.group;
    }
    const tr = table.insertRow();
    tr.dataset.index = String(c.index);
    const undo = `<td class="undo"><button type="button" class="row-reset" title="back to the recorded values" data-testid="edit-undo-${c.index}">↺</button></td>`;
    if (c.kind === 'block') {
      // no control of its own: one line across the row says what edits it
      tr.innerHTML = `<td class="label block" colspan="3"><b></b> ${controlHtml(c)}</td>${undo}`;
      tr.querySelector('b').textContent = c.label;
    } else {
      tr.innerHTML = `<td class="label"></td><td class="control"><div>${controlHtml(c)}</div></td><td class="unit"></td>${undo}`;
      tr.children[0].textContent = c.label;
      tr.children[2].textContent = c.unit || '';
    }
    rows.set(c.index, { control: c, tr, inputs: [...tr.querySelectorAll('[data-index]')] });
  }

  function controlHtml(c) {
    if (c.kind === 'box') {
      return `<input type="range" data-index="${c.index}" data-testid="edit-slider-${c.index}">`
        + `<input type="number" step="any" data-index="${c.index}" data-testid="edit-field-${c.index}">`;
    }
    if (c.kind === 'discrete') {
      const options = Array.from({ length: c.n }, (_, k) => `<option value="${c.start + k}">${c.names?.[k] ? `${c.start + k}: ${c.names[k]}` : c.start + k}</option>`);
      return `<select data-index="${c.index}" data-testid="edit-pick-${c.index}">${options.join('')}</select>`;
    }
    if (c.kind === 'binary') return `<input type="checkbox" data-index="${c.index}" data-testid="edit-bit-${c.index}">`;
    return `<span class="block-note">${c.size.toLocaleString('en')} values${c.layout ? ': paint with the brush on the scene' : ''}</span>`
      + `<span class="block-count" data-testid="edit-block-${c.index}"></span>`;
  }

  /** Sets the slider ranges of Box controls: bounds, or the observed range where unbounded. */
  function setRanges() {
    for (const { control: c, inputs } of rows.values()) {
      if (c.kind !== 'box') continue;
      const slider = inputs[0];
      if (document.activeElement === slider) continue; // not under the user's pointer
      const r = sliderRange(c.low, c.high, ranges[c.index], c.integer);
      Object.assign(slider, { min: String(r.min), max: String(r.max), step: String(r.step) });
      slider.title = `${fmtSig(r.min)} … ${fmtSig(r.max)}${Number.isFinite(c.low) && Number.isFinite(c.high) ? ' (bounds)' : ' (range seen in the recording, widened)'}`;
    }
  }
  setRanges();

  /** Edited values as the controls count them: a picker is one, a brushed block each of its elements. */
  function editedCount(edits) {
    let n = 0;
    for (const c of controls) {
      const span = spanOf(c);
      let changed = 0;
      for (let k = 0; k < span; k++) if (edits.changes.has(c.index + k)) changed++;
      n += c.kind === 'block' ? changed : Math.min(1, changed);
    }
    return n;
  }

  const current = () => store.get();
  function change(pairs) {
    const { edits, recorded } = current();
    if (!edits || !recorded?.row || recorded.step !== edits.step) return;
    store.set({ edits: withChanges(edits, recorded.row.observation, pairs) });
  }

  editor.addEventListener('input', (e) => {
    const input = e.target.closest('[data-index]');
    if (!input) return;
    const { control: c } = rows.get(Number(input.dataset.index));
    if (input.type === 'range') change([[c.index, sliderValue(input)]]);
    else if (input.type === 'number') {
      if (input.value.trim() !== '' && Number.isFinite(Number(input.value))) change([[c.index, Number(input.value)]]);
    } else if (input.type === 'checkbox') change([[c.index, input.checked ? 1 : 0]]);
    else if (input.tagName === 'SELECT') change(discretePairs(c, input.value));
  });
  editor.addEventListener('click', (e) => {
    const undo = e.target.closest('.row-reset');
    if (!undo) return;
    const { control: c } = rows.get(Number(undo.closest('tr').dataset.index));
    const span = spanOf(c);
    change(Array.from({ length: span }, (_, k) => [c.index + k, null]));
  });
  // the timeline's keys (space, arrows) must not fire while a control has the keyboard
  editor.addEventListener('keydown', (e) => e.stopPropagation());
  toggle.addEventListener('click', () => {
    const { edits, step } = current();
    store.set({ edits: edits ? null : emptyEdits(step) });
    toggle.blur();
  });
  reset.addEventListener('click', () => store.set({ edits: emptyEdits(current().step) }));

  function show({ edits, recorded }) {
    const editing = Boolean(edits);
    container.classList.toggle('editing', editing);
    editor.hidden = !editing;
    reset.hidden = !editing;
    reset.disabled = changeCount(edits) === 0;
    toggle.setAttribute('aria-pressed', String(editing));
    toggle.textContent = editing ? 'done' : 'edit';
    toggle.title = editing ? 'leave edit mode (the recorded observation again)' : 'edit this step\'s observation and see what the policy makes of it';
    if (!editing || !recorded?.row || recorded.step !== edits.step) return;
    const obs = applyEdits(recorded.row.observation, edits);
    const rec = recorded.row.observation;
    for (const { control: c, tr, inputs } of rows.values()) {
      const span = spanOf(c);
      let changed = 0;
      for (let k = 0; k < span; k++) if (edits.changes.has(c.index + k)) changed++;
      tr.classList.toggle('changed', changed > 0);
      tr.title = c.kind === 'box' ? `recorded: ${fmtSig(rec[c.index])}${c.unit ? ` ${c.unit}` : ''}` : '';
      for (const input of inputs) {
        if (document.activeElement === input && input.type === 'number') continue; // being typed
        if (input.type === 'range') input.value = String(obs[c.index]);
        else if (input.type === 'number') input.value = fieldText(obs[c.index]);
        else if (input.type === 'checkbox') input.checked = obs[c.index] === 1;
        else if (input.tagName === 'SELECT') input.value = String(discreteValue(obs, c));
      }
      if (c.kind === 'block') tr.querySelector('.block-count').textContent = changed ? ` · ${changed.toLocaleString('en')} edited` : '';
    }
    for (const details of editor.querySelectorAll('details[data-group]')) {
      const n = editedCount({ changes: new Map([...edits.changes].filter(([i]) => groupOf.get(i) === details.dataset.group)) });
      details.querySelector('.summary').textContent = n ? `${n} edited` : '';
    }
  }

  function showStatus({ edits, probe, probeTiming }) {
    status.className = 'probe-status';
    status.dataset.state = probe?.status || (edits ? 'waiting' : 'off');
    if (!edits) {
      status.textContent = '';
      error.hidden = true;
      return;
    }
    const n = editedCount(edits);
    const what = n ? `${n} edited` : 'as recorded';
    // the server's refusal names the element: it gets a line of its own in the body
    error.hidden = probe?.status !== 'error';
    error.textContent = probe?.status === 'error' ? probe.error : '';
    if (!probe) status.textContent = what;
    else if (probe.status === 'error') {
      status.textContent = 'refused';
      status.classList.add('error');
    } else if (probe.status === 'computing') status.textContent = `${what} · asking…`;
    else if (probe.status === 'unchanged') status.textContent = 'as recorded: change a value';
    else {
      const timed = probeTiming?.edits === edits ? probeTiming : null;
      status.textContent = `${what}${timed ? ` · ${Math.round(timed.roundTripMs)} ms` : ''}`;
      status.title = timed ? `the policy and the attributions answered in ${Math.round(timed.roundTripMs)} ms` : '';
      if (timed) status.dataset.roundTripMs = String(timed.roundTripMs);
    }
  }

  const unsubscribe = [
    watch(store, ['edits', 'recorded'], show),
    watch(store, ['edits', 'probe', 'probeTiming'], showStatus),
  ];
  return {
    /** Rows of the episode as they load: the observed ranges of unbounded elements. */
    addRows(chunk) {
      observeRanges(ranges, chunk);
      setRanges();
      show(current());
    },
    dispose() {
      unsubscribe.forEach((u) => u());
    },
  };
}
