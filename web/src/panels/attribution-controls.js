// The attribution panel's controls: the pickers (method, target, baseline, normalize) with only
// the choices that apply to the recording's spaces, and a compact options row with the server's
// other options (output, custom baseline, groups, occlusion window and stride, Shapley
// estimator, sampling and permutations), each shown only when it applies (attribution-options.js).
import { groupChoices, methodsFor, optionsFor, targetsFor } from '../attribution-options.js';

const NORMALIZE = ['all', 'positive', 'negative', 'absolute'];

const select = (name, values, title = name) => `<label title="${title}">${name}
  <select data-param="${name}" data-testid="${name}-select">${values.map((v) => `<option>${v}</option>`).join('')}</select></label>`;
const text = (name, title, size = 5, label = name) => `<label title="${title}">${label}
  <input type="text" size="${size}" data-param="${name}" data-testid="${name}-input"></label>`;

/**
 * Builds the controls into `container` and returns {sync(params), element}; onChange(name, value)
 * hears every change (text fields on change, not per key, so a half-typed value is not sent).
 */
export function createAttributionControls(container, metadata, onChange) {
  const el = document.createElement('div');
  el.className = 'attribution-controls';
  const b = metadata?.comparePolicy;
  // Two compared policies: which one is explained. A switch, not two columns side by side: the
  // side panel (400–640 px) holds one table of bars legibly, not two.
  const policySwitch = b ? `<div class="policy-switch" data-testid="attribution-policy" role="group" aria-label="the policy explained">
      <span class="k">policy</span>
      <button type="button" data-policy="a" title="A: ${escapeHtml(metadata.policy?.name)}">A</button><button type="button" data-policy="b" title="B: ${escapeHtml(b.name)}">B</button>
      <span class="policy-name"></span></div>` : '';
  el.innerHTML = `${policySwitch}<div class="pickers">
      ${select('method', methodsFor(metadata), 'how features are perturbed')}
      ${select('target', targetsFor(metadata), 'what is explained')}
      ${select('baseline', ['zero', 'mean', 'custom'], 'what a removed feature is replaced with')}
      ${select('normalize', NORMALIZE, 'how the bars are scaled')}</div>
    <div class="options" data-testid="attribution-options">
      <span data-option="output">${select('output', ['probability', 'logit'], 'explain the action probability or its logit')}</span>
      <span data-option="custom">${text('custom', 'the baseline: one number per feature, comma-separated', 16, 'baseline values')}</span>
      <span data-option="groups">${select('groups', groupChoices(metadata), 'each element, each Dict key, or your own groups as one feature')}</span>
      <span data-option="groupsJson">${text('groupsJson', 'your groups as JSON, e.g. {&quot;cart&quot;: [&quot;cart position&quot;, &quot;cart velocity&quot;]}', 24, 'groups JSON')}</span>
      <span data-option="window">${text('window', 'occlusion window h,w (pixels)')}${text('stride', 'occlusion stride h,w (pixels)')}</span>
      <span data-option="exact">${select('exact', ['auto', 'exact', 'sampled'], 'Shapley: enumerate every coalition, or sample permutations')}</span>
      <span data-option="sampling">${select('sampling', ['antithetic', 'plain'], 'Shapley sampling')}${text('permutations', 'Shapley passes, 1 to 1000', 4)}</span>
    </div>`;
  container.appendChild(el);
  const fields = [...el.querySelectorAll('[data-param]')];
  for (const f of fields) {
    f.addEventListener('change', () => onChange(f.dataset.param, f.value));
  }
  const switches = [...el.querySelectorAll('[data-policy]')];
  for (const button of switches) {
    button.addEventListener('click', () => onChange('policy', button.dataset.policy));
  }
  return {
    element: el,
    /** Shows the params' values and only the options that apply to them. */
    sync(params) {
      for (const f of fields) if (f.value !== params[f.dataset.param]) f.value = params[f.dataset.param] ?? '';
      for (const button of switches) button.setAttribute('aria-pressed', String(button.dataset.policy === params.policy));
      if (b) el.querySelector('.policy-name').textContent = params.policy === 'b' ? b.name : metadata.policy?.name || '';
      const applies = optionsFor(params, metadata);
      applies.custom = params.baseline === 'custom';
      applies.groupsJson = applies.groups && params.groups === 'custom';
      for (const span of el.querySelectorAll('[data-option]')) span.hidden = !applies[span.dataset.option];
      el.querySelector('.options').hidden = !Object.values(applies).some(Boolean);
    },
  };
}

function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}
