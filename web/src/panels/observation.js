// The observation panel: label, value and unit of every feature at the current step. Values are
// the row's flattened observation (data.js), in the order of metadata.features.observations.
import { fmt } from '../tables.js';

export function createObservationPanel(container, metadata) {
  const features = metadata?.features?.observations || [];
  container.classList.add('panel');
  container.innerHTML = `<h3>Observation</h3><table class="obs" data-testid="observation-table">
    <thead><tr><th>feature</th><th>value</th><th>unit</th></tr></thead><tbody></tbody></table>`;
  const body = container.querySelector('tbody');
  const cells = features.map((f) => {
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
      cells.forEach((td, i) => { td.textContent = fmt(obs[i]); });
    },
  };
}
