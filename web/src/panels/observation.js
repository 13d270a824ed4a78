// The observation panel: label, value and unit of every feature at the current step. Values are
// the row's flattened observation (data.js), in the order of metadata.features.observations.
// A Dict (or Tuple) observation is grouped by key, each group collapsible under a one-line summary
// (shape and min/mean/max, or the Discrete value), large groups collapsed at first: an 8×8 board
// of 64 rows would push everything else away. Observations or groups with more than MAX_ROWS
// features (images) get only the summary: thousands of pixel rows say nothing the scene does not.
import { fmt } from '../tables.js';
import { fmtSig } from '../format.js';

export const MAX_ROWS = 200;
/** Groups with more features than this start collapsed. */
export const OPEN_GROUP_ROWS = 16;

/** {min, mean, max} of the finite values, or nulls when there are none. */
export function summarize(values) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    n++;
  }
  return n === 0 ? { min: null, mean: null, max: null } : { min, mean: sum / n, max };
}

/** The features split by group, in order: [{key, from, to}] (one group '' for an ungrouped observation). */
export function featureGroups(features) {
  const groups = [];
  features.forEach((f, i) => {
    const key = String(f.group ?? '');
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.to = i + 1;
    else groups.push({ key, from: i, to: i + 1 });
  });
  return groups;
}

/** A group's one-line summary: a Discrete its value, a MultiDiscrete its values, else shape and min/mean/max. */
export function groupSummary(space, raw, flat) {
  if (space?.type === 'Discrete') return `Discrete(${space.n}) = ${fmtSig(raw)}`;
  if (space?.type === 'MultiDiscrete') return `MultiDiscrete [${(space.nvec || []).join(', ')}] = [${[].concat(raw ?? []).map(fmtSig).join(', ')}]`;
  const { min, mean, max } = summarize(flat);
  const shape = Array.isArray(space?.shape) ? `${space.type} [${space.shape.join('×')}]` : `${flat.length} values`;
  return `${shape}  min ${fmtSig(min, 3)} · mean ${fmtSig(mean, 3)} · max ${fmtSig(max, 3)}`;
}

export function createObservationPanel(container, metadata) {
  const features = metadata?.features?.observations || [];
  const space = metadata?.observationSpace || {};
  const grouped = space.type === 'Dict' || space.type === 'Tuple';
  const groups = grouped ? featureGroups(features) : [{ key: '', from: 0, to: features.length }];
  container.classList.add('observation-panel');
  const list = document.createElement('div');
  list.dataset.testid = 'observation-table';
  container.replaceChildren(list);

  const shown = groups.map((g) => {
    const sub = grouped ? (space.type === 'Dict' ? space.subspaces?.[g.key] : space.subspaces?.[Number(g.key)]) : space;
    const size = g.to - g.from;
    const summaryOnly = size > MAX_ROWS;
    const table = document.createElement('table');
    table.className = 'obs';
    table.innerHTML = '<tbody></tbody>';
    const body = table.tBodies[0];
    const rows = summaryOnly ? [{ label: 'min' }, { label: 'mean' }, { label: 'max' }] : features.slice(g.from, g.to);
    const cells = rows.map((f) => {
      const tr = body.insertRow();
      tr.innerHTML = '<td></td><td class="num"></td><td class="unit"></td>';
      // a Dict or Tuple feature's label already starts with its group ("position[0]=3")
      tr.children[0].textContent = f.label;
      tr.children[2].textContent = f.unit || '';
      return tr.children[1];
    });
    let line = null;
    if (grouped || summaryOnly) {
      const details = document.createElement('details');
      details.className = 'obs-group';
      details.open = summaryOnly || size <= OPEN_GROUP_ROWS;
      details.innerHTML = '<summary><b></b> <span class="summary"></span></summary>';
      details.querySelector('b').textContent = grouped ? g.key : 'observation';
      line = details.querySelector('.summary');
      details.appendChild(table);
      list.appendChild(details);
    } else {
      list.appendChild(table);
    }
    return { g, sub, cells, summaryOnly, line };
  });

  return {
    update(row) {
      const obs = row?.observation || [];
      for (const { g, sub, cells, summaryOnly, line } of shown) {
        const flat = obs.slice(g.from, g.to);
        if (summaryOnly) {
          const { min, mean, max } = summarize(flat);
          [min, mean, max].forEach((v, i) => { cells[i].textContent = fmt(v); });
        } else {
          cells.forEach((td, i) => { td.textContent = fmt(flat[i]); });
        }
        if (line && !grouped) {
          // one summarised observation (an image): the table below has min/mean/max, the line the shape
          line.textContent = `${sub?.type || ''} [${(sub?.shape || [flat.length]).join('×')}] ${sub?.dtype || ''}`;
        } else if (line) {
          const raw = grouped && row?.rawObservation ? row.rawObservation[g.key] : null;
          line.textContent = groupSummary(sub, raw, flat);
        }
      }
    },
  };
}
