// The attribution table's rows as DOM, in the grouping that reads: an image's patches (the sum
// of their pixels' attributions), a Dict observation's features under their key with the key's
// total, otherwise one row per feature; strongest first, at most MAX_TABLE_ROWS rows. For an
// edited observation (observation surgery) each target shows the recorded step's attribution, the
// edited one and the change, edited − recorded, with rows ordered by the change, largest first.
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

/** A signed bar's span in a cell whose middle is zero. */
function barSpan(v) {
  const b = signedBar(v);
  return `<span class="${b.sign < 0 ? 'neg' : 'pos'}" style="left:${b.left}%;width:${b.width}%"></span>`;
}

/**
 * The cells of each target: the raw value and a signed bar; for an edited observation (`before`:
 * per target the recorded step's value, or null) the recorded value, the edited one and the
 * change with a bar of its own (scaled by `deltaScale`, per target the largest |change| shown).
 */
function targetCells(tr, raw, normalized, stderr, before = null, deltaScale = null) {
  raw.forEach((v, j) => {
    if (before) {
      const rec = cell('num recorded', fmt(before[j]));
      if (Number.isFinite(before[j])) rec.dataset.raw = String(before[j]);
      tr.append(rec);
    }
    const td = cell('num raw', fmtAttribution(v, stderr?.[j]));
    td.dataset.raw = String(v);
    if (stderr?.[j] !== null && stderr?.[j] !== undefined) td.dataset.stderr = String(stderr[j]);
    tr.append(td);
    if (!before) {
      const barTd = cell('sbar', '');
      barTd.innerHTML = barSpan(normalized?.[j]);
      tr.append(barTd);
      return;
    }
    const d = Number.isFinite(before[j]) ? v - before[j] : NaN;
    const delta = cell(`num delta${d > 0 ? ' up' : d < 0 ? ' down' : ''}`, '');
    delta.innerHTML = `<span class="dbar">${barSpan(deltaScale?.[j] > 0 ? d / deltaScale[j] : 0)}</span>`;
    delta.prepend(fmtDelta(d));
    if (Number.isFinite(d)) delta.dataset.delta = String(d);
    tr.append(delta);
  });
}

function featureRow(r, describe, recordedValue, deltaScale) {
  const tr = document.createElement('tr');
  tr.dataset.feature = r.label;
  const label = cell('label', r.label);
  tr.append(label);
  // beside an edit the table is wider: the words go into the label's tooltip
  if (describe && r.before) label.title = describe(r.label);
  else if (describe) tr.append(cell('about', describe(r.label)));
  const value = cell('num value', fmt(r.value));
  if (recordedValue !== undefined && recordedValue !== r.value) {
    value.classList.add('edited');
    value.title = `recorded: ${fmt(recordedValue)}`;
  }
  tr.append(value);
  targetCells(tr, r.raw, r.normalized, r.stderr, r.before, deltaScale);
  return tr;
}

/** Per edited target the recorded target explaining the same action (null when the recorded step has none). */
function matchTargets(targets, recorded) {
  return targets.map((t) => recorded.find((r) => r.action === t.action) || null);
}

/**
 * Rows of an edited observation: each with `before` (per target its recorded value), ordered by
 * the largest change first (what the edit moved), and per target the largest |change| (the bars' scale).
 */
function withChanges(rows, before, recordedRaw) {
  rows.forEach((r) => {
    r.before = before.map((t, j) => (t ? recordedRaw(j, r) : null));
    r.change = Math.max(0, ...r.raw.map((v, j) => (Number.isFinite(r.before[j]) ? Math.abs(v - r.before[j]) : 0)));
  });
  rows.sort((a, b) => b.change - a.change || b.magnitude - a.magnitude || a.index - b.index);
  return before.map((_, j) => Math.max(0, ...rows.map((r) => (Number.isFinite(r.before[j]) ? Math.abs(r.raw[j] - r.before[j]) : 0))));
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
  const edited = Boolean(recorded);
  const about = describe && !edited && !patches;
  const head = document.createElement('tr');
  head.innerHTML = `<th>${patches ? 'patch' : 'feature'}</th>${about ? '<th>what</th>' : ''}<th>${patches ? 'mean value' : 'value'}</th>`;
  const th = (text, className = '', title = '') => Object.assign(document.createElement('th'), { textContent: text, className, title });
  for (const t of targets) {
    if (edited) head.append(th('recorded', 'num', 'the recorded observation\'s attribution'), th(targetName(t, actionLabels), 'num edited', 'the edited observation\'s attribution'), th('Δ', 'num', 'edited − recorded'));
    else head.append(Object.assign(th(targetName(t, actionLabels)), { colSpan: 2 }));
  }
  thead.replaceChildren(head);
  const n = answer.features.length;
  const before = edited ? matchTargets(targets, recorded.targets) : null;
  let deltaScale = null;
  const valueOf = (r) => (edited && !patches ? recorded.observation[r.index] : undefined);
  const row = (r) => featureRow(r, patches ? null : describe, valueOf(r), deltaScale);
  if (patches && targets.length) {
    const rows = patchRows(patches, targets, observation);
    if (before) {
      const sums = before.map((t) => (t ? groupSums(t.raw, patches) : null));
      deltaScale = withChanges(rows, before, (j, r) => sums[j][r.index]);
    }
    tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map(row));
    return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: `patches of ${n} pixels` };
  }
  const rows = attributionRows(answer.features, targets, observation);
  if (before) deltaScale = withChanges(rows, before, (j, r) => before[j].raw[r.index]);
  if (keys && keys.length === n && targets.length) {
    // every feature under its key, the key's total first: the board and the position read apart
    const out = [];
    const groups = groupByKey(rows, keys);
    const largest = Math.max(1e-300, ...groups.flatMap((g) => g.total.map(Math.abs)));
    const totals = groups.map((g) => before && before.map((t, j) => (t ? g.rows.reduce((sum, r) => sum + (r.before[j] ?? 0), 0) : null)));
    const totalScale = before && before.map((_, j) => Math.max(0, ...groups.map((g, k) => Math.abs(g.total[j] - (totals[k][j] ?? g.total[j])))));
    groups.forEach((g, k) => {
      const tr = document.createElement('tr');
      tr.className = 'group-total';
      tr.dataset.group = g.key;
      const cellTh = document.createElement('th');
      cellTh.colSpan = about ? 3 : 2;
      cellTh.textContent = `${g.key} (${g.rows.length} features, total)`;
      tr.append(cellTh);
      targetCells(tr, g.total, g.total.map((v) => v / largest), null, totals[k], totalScale);
      out.push(tr, ...g.rows.map(row));
    });
    tbody.replaceChildren(...out);
    return { shown: rows.length, total: rows.length, unit: 'features' };
  }
  tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map(row));
  return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: 'features' };
}
