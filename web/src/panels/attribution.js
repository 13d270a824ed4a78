// The attribution panel: method, target, baseline and normalize pickers, and per feature its
// attribution at the current step (sorted by |attribution|, signed colour bars). Attributions are
// fetched for a window of steps around the current one; a request in flight shows "computing…",
// a refusal shows the server's error text (e.g. 409 when no policy is attached). When the scene
// has overlay(values) (the image scene) and the features are per element of the observation, the
// first target's normalized attributions are drawn over the scene; otherwise the overlay is cleared.
// onAnswer(answer, from, to) hears of each window shown (null on an error), for the plot.
import { getAttributions } from '../data.js';
import { imageLayout } from '../scenes/pixels.js';
import { attributionRows, attributionWindow, describeEstimate, fmt, fmtAttribution, normalizeSigned, signedBar } from '../tables.js';

const PICKERS = {
  method: ['ablation', 'shapley', 'occlusion'],
  target: ['picked', 'top-1', 'all'],
  baseline: ['zero', 'mean'],
  normalize: ['all', 'positive', 'negative', 'absolute'],
};
const HALF_WINDOW = 32;
/** Observations with more features than this (images) fetch a smaller window: the cost is per feature. */
const LARGE_OBSERVATION = 1000;
const LARGE_HALF_WINDOW = 4;
/** The table lists at most this many features, the strongest; the heatmap shows them all. */
export const MAX_TABLE_ROWS = 200;

/**
 * The pickers' first values: occlusion for images (ablation of every pixel is what the server
 * refuses as too large, and patches are what explain an image), else ablation.
 */
export function defaultParams(observationSpace) {
  return { method: imageLayout(observationSpace) ? 'occlusion' : 'ablation', target: 'picked', baseline: 'zero', normalize: 'all' };
}

export function createAttributionPanel(container, { rollout, episode, rows, metadata, scene = null, onAnswer = () => {} }) {
  const actionLabels = (metadata?.features?.actions || []).map((f) => f.label);
  const params = defaultParams(metadata?.observationSpace);
  // The value head is a target only of policies that have one (the API lists the targets).
  const pickers = { ...PICKERS, target: [...PICKERS.target, ...((metadata?.policy?.targets || []).includes('value') ? ['value'] : [])] };
  const featureCount = (metadata?.features?.observations || []).length;
  const half = featureCount > LARGE_OBSERVATION ? LARGE_HALF_WINDOW : HALF_WINDOW;
  container.classList.add('panel', 'attribution-panel');
  container.innerHTML = `<h3>Attribution</h3>
    <div class="pickers">${Object.entries(pickers).map(([name, values]) => `<label>${name}
      <select data-param="${name}"${name === 'method' ? ' data-testid="method-select"' : ''}>
      ${values.map((v) => `<option${v === params[name] ? ' selected' : ''}>${v}</option>`).join('')}</select></label>`).join('')}</div>
    <div class="status" data-testid="attribution-status"></div>
    <table data-testid="attribution-table"><thead></thead><tbody></tbody></table>`;
  const status = container.querySelector('.status');
  const thead = container.querySelector('thead');
  const tbody = container.querySelector('tbody');

  const cache = new Map(); // params key -> [{from, to, answer}]
  let step = 0;
  let row = null;
  let controller = null;
  let inflight = null; // {key, from, to}
  let timer = 0;
  let shown = null; // the window last given to onAnswer

  const key = () => JSON.stringify(params);
  const cached = () => (cache.get(key()) || []).find((w) => w.from <= step && step < w.to);

  container.querySelectorAll('select[data-param]').forEach((sel) => {
    sel.addEventListener('change', () => {
      params[sel.dataset.param] = sel.value;
      refresh(0);
    });
  });

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = `status ${kind || ''}`;
    container.dataset.state = kind || 'ready';
  }

  function refresh(delay) {
    const hit = cached();
    if (hit) {
      if (shown !== hit) {
        shown = hit;
        onAnswer(hit.answer, hit.from, hit.to);
      }
      render(hit.answer);
      return;
    }
    if (inflight && inflight.key === key() && inflight.from <= step && step < inflight.to) return;
    clearTimeout(timer);
    timer = setTimeout(load, delay);
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const k = key();
    const { from, to } = attributionWindow(step, rows, half);
    inflight = { key: k, from, to };
    setStatus(`computing… (${params.method}, steps ${from}–${to - 1})`, 'computing');
    const { signal } = controller;
    try {
      const answer = await getAttributions(rollout, episode, params, from, to, signal);
      if (!cache.has(k)) cache.set(k, []);
      cache.get(k).push({ from, to, answer });
      if (cache.get(k).length > 16) cache.get(k).shift();
      inflight = null;
      if (key() === k) refresh(0);
    } catch (e) {
      if (signal.aborted) return;
      inflight = null;
      setStatus(e.message || String(e), 'error');
      thead.replaceChildren();
      tbody.replaceChildren();
      overlay(null);
      shown = null;
      onAnswer(null);
    }
  }

  function render(answer) {
    const entry = answer.steps.find((s) => s.step === step);
    const targets = entry ? entry.targets : [];
    if (targets.length === 0) {
      setStatus(step === rows - 1 ? 'no action at the final observation: nothing to explain' : 'no target at this step', 'empty');
    } else {
      const capped = answer.features.length > MAX_TABLE_ROWS ? `; the ${MAX_TABLE_ROWS} strongest of ${answer.features.length} features` : '';
      setStatus(`${describeEstimate(answer, targets[0])}${capped}`, 'ready');
    }
    const head = document.createElement('tr');
    head.innerHTML = '<th>feature</th><th>value</th>';
    for (const t of targets) {
      const th = document.createElement('th');
      th.colSpan = 2;
      const name = t.action === 'value' ? `V(s) = ${fmt(t.value)}`
        : actionLabels[t.action] && /^=/.test(actionLabels[t.action]) ? `action ${t.action}` : (actionLabels[t.action] || `action ${t.action}`);
      th.textContent = t.probability === null || t.probability === undefined ? name : `${name} (p ${fmt(t.probability)})`;
      head.appendChild(th);
    }
    thead.replaceChildren(head);
    const perElement = targets.length > 0 && answer.features.length === (row?.observation || []).length;
    overlay(perElement ? (targets[0].normalized || normalizeSigned([targets[0].raw])[0]) : null);
    const lines = attributionRows(answer.features, targets, row?.observation || []);
    tbody.replaceChildren(...lines.slice(0, MAX_TABLE_ROWS).map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.feature = r.label;
      const cells = [['label', r.label], ['num value', fmt(r.value)]];
      for (const [label, text] of cells) {
        const td = document.createElement('td');
        td.className = label;
        td.textContent = text;
        tr.appendChild(td);
      }
      r.raw.forEach((raw, j) => {
        const td = document.createElement('td');
        td.className = 'num raw';
        td.textContent = fmtAttribution(raw, r.stderr[j]);
        td.dataset.raw = String(raw);
        if (r.stderr[j] !== null && r.stderr[j] !== undefined) td.dataset.stderr = String(r.stderr[j]);
        const barTd = document.createElement('td');
        barTd.className = 'sbar';
        const b = signedBar(r.normalized[j]);
        barTd.innerHTML = `<span class="${b.sign < 0 ? 'neg' : 'pos'}" style="left:${b.left}%;width:${b.width}%"></span>`;
        tr.append(td, barTd);
      });
      return tr;
    }));
  }

  function overlay(values) {
    if (scene && typeof scene.overlay === 'function') scene.overlay(values);
  }

  return {
    /** The current step and its row (for the observed values column). */
    update(newStep, newRow, playing) {
      step = newStep;
      row = newRow;
      refresh(playing ? 250 : 60);
    },
    dispose() {
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
