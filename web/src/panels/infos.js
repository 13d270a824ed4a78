// The infos panel: the env's info dict of the current step as a collapsible tree (objects and
// arrays fold, leaves print their value), e.g. the grid world's {"outcome": "won"} on the last step.
import { fmtSig } from '../format.js';

/** The tree's nodes of a JSON value: [{key, value?, children?}], objects by key, arrays by index. */
export function infoTree(value) {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).map(([key, v]) => (
    v !== null && typeof v === 'object' ? { key, children: infoTree(v), size: Object.keys(v).length } : { key, value: v }));
}

function render(nodes) {
  const ul = document.createElement('ul');
  for (const n of nodes) {
    const li = document.createElement('li');
    if (n.children) {
      const details = document.createElement('details');
      details.open = n.size <= 8;
      const summary = document.createElement('summary');
      summary.textContent = `${n.key} (${n.size})`;
      details.append(summary, render(n.children));
      li.appendChild(details);
    } else {
      li.innerHTML = '<span class="k"></span> <span class="v"></span>';
      li.children[0].textContent = n.key;
      li.children[1].textContent = typeof n.value === 'number' ? fmtSig(n.value) : JSON.stringify(n.value);
    }
    ul.appendChild(li);
  }
  return ul;
}

export function createInfosPanel(container) {
  container.classList.add('infos-panel');
  container.dataset.testid = 'infos-tree';
  return {
    update(row) {
      // rld.reset (reset's seed and options) is the recorder's, not the env's (docs/format.md 4.1)
      const { 'rld.reset': _reset, ...info } = row?.info || {};
      const nodes = infoTree(info);
      if (nodes.length === 0) {
        container.innerHTML = '<p class="empty">no info at this step</p>';
        return;
      }
      container.replaceChildren(render(nodes));
    },
  };
}
