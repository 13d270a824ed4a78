// The attribution table's rows as DOM, in the grouping that reads: an image's patches (the sum
// of their pixels' attributions), a Dict observation's features under their key with the key's
// total, otherwise one row per feature; strongest first, at most MAX_TABLE_ROWS rows. For an
// edited observation (observation surgery) each target also shows the recorded step's attribution
// and the change, edited − recorded, per row.
import { groupByKey, groupSums, patchRows } from '../attribution-groups.js';
import { attributionRows, fmt, fmtAttribution, signedBar } from '../tables.js';

/** The table lists at most this many rows, the strongest; the heatmap shows them all. */
export const MAX_TABLE_ROWS = 200;

/** The header cell of a target: the action's label and probability, or V(s) and its value. */
function targetName(t, actionLabels) {
  const label = actionLabels[t.action];
  const name = t.action === 'value' ? `V(s) = ${fmt(t.value)}`
    : label && !/^=/.test(label) ? label : `action ${t.action}`;
  return t.probability === null || t.probability === undefined ? name : `${name} (p ${fmt(t.probability)})`;
}

function cell(className, text) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  return td;
}

/** A signed change as text: "+0.0123", "−0.5", "0" for none, "—" when unknown. */
function fmtDelta(d) {
  if (!Number.isFinite(d)) return '—';
  return d > 0 ? `+${fmt(d)}` : d < 0 ? `−${fmt(-d)}` : '0';
}

/**
 * The cells of each target: the raw value and signed bar; with `before` (per target the recorded
 * step's value, or null), the recorded value first and the change after.
 */
function targetCells(tr, raw, normalized, stderr, before = null) {
  raw.forEach((v, j) => {
    if (before) {
      const rec = cell('num recorded', fmt(before[j]));
      if (Number.isFinite(before[j])) rec.dataset.raw = String(before[j]);
      tr.append(rec);
    }
    const td = cell('num raw', fmtAttribution(v, stderr?.[j]));
    td.dataset.raw = String(v);
    if (stderr?.[j] !== null && stderr?.[j] !== undefined) td.dataset.stderr = String(stderr[j]);
    const barTd = cell('sbar', '');
    const b = signedBar(normalized?.[j]);
    barTd.innerHTML = `<span class="${b.sign < 0 ? 'neg' : 'pos'}" style="left:${b.left}%;width:${b.width}%"></span>`;
    tr.append(td, barTd);
    if (before) {
      const d = Number.isFinite(before[j]) ? v - before[j] : NaN;
      const delta = cell(`num delta${d > 0 ? ' up' : d < 0 ? ' down' : ''}`, fmtDelta(d));
      if (Number.isFinite(d)) delta.dataset.delta = String(d);
      tr.append(delta);
    }
  });
}

function featureRow(r, describe, recordedValue) {
  const tr = document.createElement('tr');
  tr.dataset.feature = r.label;
  tr.append(cell('label', r.label));
  if (describe) tr.append(cell('about', describe(r.label)));
  const value = cell('num value', fmt(r.value));
  if (recordedValue !== undefined && recordedValue !== r.value) {
    value.classList.add('edited');
    value.title = `recorded: ${fmt(recordedValue)}`;
  }
  tr.append(value);
  targetCells(tr, r.raw, r.normalized, r.stderr, r.before);
  return tr;
}

/** Per edited target the recorded target explaining the same action (null when the recorded step has none). */
function matchTargets(targets, recorded) {
  return targets.map((t) => recorded.find((r) => r.action === t.action) || null);
}

/**
 * Fills thead/tbody for one step. `answer` is the attributions answer, `targets` the step's;
 * `patches` (attribution-groups.imagePatches) when the features are an image's elements, `keys`
 * (elementKeys) when they are a Dict's, `describe(label)` words for a feature (the scene's) or null.
 * For an edited observation, `recorded` is {targets, observation} of the recorded step: each
 * target then shows recorded, edited and the change (matched by action).
 * Returns {shown, total, unit}: rows listed, of how many, of what.
 */
export function renderAttributionTable(thead, tbody, { answer, targets, observation = [], actionLabels = [], patches = null, keys = null, describe = null, recorded = null }) {
  const head = document.createElement('tr');
  head.innerHTML = `<th>${patches ? 'patch' : 'feature'}</th>${describe ? '<th>what</th>' : ''}<th>${patches ? 'mean value' : 'value'}</th>`;
  for (const t of targets) {
    const th = document.createElement('th');
    th.colSpan = 2;
    th.textContent = targetName(t, actionLabels);
    if (recorded) th.title = 'the edited observation\'s attributions';
    if (recorded) head.append(Object.assign(document.createElement('th'), { className: 'num', textContent: 'recorded' }));
    head.appendChild(th);
    if (recorded) head.append(Object.assign(document.createElement('th'), { className: 'num', textContent: 'Δ', title: 'edited − recorded' }));
  }
  thead.replaceChildren(head);
  const n = answer.features.length;
  const before = recorded ? matchTargets(targets, recorded.targets) : null;
  const valueOf = (r) => (recorded && !patches ? recorded.observation[r.index] : undefined);
  const row = (r) => featureRow(r, patches ? null : describe, valueOf(r));
  if (patches && targets.length) {
    const rows = patchRows(patches, targets, observation);
    if (before) {
      const sums = before.map((t) => (t ? groupSums(t.raw, patches) : null));
      rows.forEach((r) => { r.before = sums.map((s) => (s ? s[r.index] : null)); });
    }
    tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map(row));
    return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: `patches of ${n} pixels` };
  }
  const rows = attributionRows(answer.features, targets, observation);
  if (before) rows.forEach((r) => { r.before = before.map((t) => (t ? t.raw[r.index] : null)); });
  if (keys && keys.length === n && targets.length) {
    // every feature under its key, the key's total first: the board and the position read apart
    const out = [];
    const groups = groupByKey(rows, keys);
    const largest = Math.max(1e-300, ...groups.flatMap((g) => g.total.map(Math.abs)));
    for (const g of groups) {
      const tr = document.createElement('tr');
      tr.className = 'group-total';
      tr.dataset.group = g.key;
      const th = document.createElement('th');
      th.colSpan = describe ? 3 : 2;
      th.textContent = `${g.key} (${g.rows.length} features, total)`;
      tr.append(th);
      const total = before && before.map((t, j) => (t ? g.rows.reduce((sum, r) => sum + (r.before[j] ?? 0), 0) : null));
      targetCells(tr, g.total, g.total.map((v) => v / largest), null, total);
      out.push(tr, ...g.rows.map(row));
    }
    tbody.replaceChildren(...out);
    return { shown: rows.length, total: rows.length, unit: 'features' };
  }
  tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map(row));
  return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: 'features' };
}
