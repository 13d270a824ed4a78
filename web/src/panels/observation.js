// The observation panel: label, value and unit of every feature at the current step. Values are
// the row's flattened observation (data.js), in the order of metadata.features.observations.
// Observations with more than MAX_ROWS features (images) get a summary instead: a table of
// thousands of pixel values says nothing the scene does not show better.
import { fmt } from '../tables.js';

export const MAX_ROWS = 200;

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

export function createObservationPanel(container, metadata) {
  const features = metadata?.features?.observations || [];
  container.classList.add('panel');
  const summary = features.length > MAX_ROWS;
  const space = metadata?.observationSpace || {};
  const shape = Array.isArray(space.shape) ? ` ${space.type} [${space.shape.join(', ')}] ${space.dtype || ''}` : '';
  container.innerHTML = `<h3>Observation</h3>${summary ? `<p class="note">${features.length} values${shape}: summary</p>` : ''}
    <table class="obs" data-testid="observation-table">
    <thead><tr><th>feature</th><th>value</th><th>unit</th></tr></thead><tbody></tbody></table>`;
  const body = container.querySelector('tbody');
  const rowsShown = summary ? [{ label: 'min' }, { label: 'mean' }, { label: 'max' }] : features;
  const cells = rowsShown.map((f) => {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td><td class="num"></td><td class="unit"></td>';
    // a Dict or Tuple feature's label already starts with its group ("position[0]=3")
    tr.children[0].textContent = f.label;
    tr.children[2].textContent = f.unit || '';
    body.appendChild(tr);
    return tr.children[1];
  });
  return {
    update(row) {
      const obs = row?.observation || [];
      if (summary) {
        const { min, mean, max } = summarize(obs);
        [min, mean, max].forEach((v, i) => { cells[i].textContent = fmt(v); });
      } else {
        cells.forEach((td, i) => { td.textContent = fmt(obs[i]); });
      }
    },
  };
}
