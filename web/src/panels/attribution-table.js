// The attribution table's rows as DOM, in the grouping that reads: an image's patches (the sum
// of their pixels' attributions), a Dict observation's features under their key with the key's
// total, otherwise one row per feature; strongest first, at most MAX_TABLE_ROWS rows.
import { groupByKey, patchRows } from '../attribution-groups.js';
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

/** The raw value and signed bar cells of each target. */
function targetCells(tr, raw, normalized, stderr) {
  raw.forEach((v, j) => {
    const td = cell('num raw', fmtAttribution(v, stderr?.[j]));
    td.dataset.raw = String(v);
    if (stderr?.[j] !== null && stderr?.[j] !== undefined) td.dataset.stderr = String(stderr[j]);
    const barTd = cell('sbar', '');
    const b = signedBar(normalized?.[j]);
    barTd.innerHTML = `<span class="${b.sign < 0 ? 'neg' : 'pos'}" style="left:${b.left}%;width:${b.width}%"></span>`;
    tr.append(td, barTd);
  });
}

function featureRow(r, describe) {
  const tr = document.createElement('tr');
  tr.dataset.feature = r.label;
  tr.append(cell('label', r.label));
  if (describe) tr.append(cell('about', describe(r.label)));
  tr.append(cell('num value', fmt(r.value)));
  targetCells(tr, r.raw, r.normalized, r.stderr);
  return tr;
}

/**
 * Fills thead/tbody for one step. `answer` is the attributions answer, `targets` the step's;
 * `patches` (attribution-groups.imagePatches) when the features are an image's elements, `keys`
 * (elementKeys) when they are a Dict's, `describe(label)` words for a feature (the scene's) or null.
 * Returns {shown, total, unit}: rows listed, of how many, of what.
 */
export function renderAttributionTable(thead, tbody, { answer, targets, observation = [], actionLabels = [], patches = null, keys = null, describe = null }) {
  const head = document.createElement('tr');
  head.innerHTML = `<th>${patches ? 'patch' : 'feature'}</th>${describe ? '<th>what</th>' : ''}<th>${patches ? 'mean value' : 'value'}</th>`;
  for (const t of targets) {
    const th = document.createElement('th');
    th.colSpan = 2;
    th.textContent = targetName(t, actionLabels);
    head.appendChild(th);
  }
  thead.replaceChildren(head);
  const n = answer.features.length;
  if (patches && targets.length) {
    const rows = patchRows(patches, targets, observation);
    tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map((r) => featureRow(r, null)));
    return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: `patches of ${n} pixels` };
  }
  const rows = attributionRows(answer.features, targets, observation);
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
      targetCells(tr, g.total, g.total.map((v) => v / largest), null);
      out.push(tr, ...g.rows.map((r) => featureRow(r, describe)));
    }
    tbody.replaceChildren(...out);
    return { shown: rows.length, total: rows.length, unit: 'features' };
  }
  tbody.replaceChildren(...rows.slice(0, MAX_TABLE_ROWS).map((r) => featureRow(r, describe)));
  return { shown: Math.min(MAX_TABLE_ROWS, rows.length), total: rows.length, unit: 'features' };
}
