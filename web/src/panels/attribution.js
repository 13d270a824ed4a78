// The attribution panel: controls offering only what applies to the recording's spaces
// (attribution-controls.js), the cost of the request before it is sent, and per feature (or image
// patch, or Dict key's features under their key) its attribution at the current step, strongest
// first with signed colour bars. Attributions are fetched for a window of steps around the
// current one, or the whole episode at once when that is cheap; a request in flight shows
// "computing…", a refusal says why in words and offers the fix as a button (fewer steps at a time,
// larger windows, retry). The scene's overlay, when it has one, gets the first target's
// attributions ({values, raw, features, what}); onAnswer(answer, 0, rows) hears of every answer as
// the episode's attributions so far (windows merged; an image's pixels summed into patches), null
// on an error, so the plot spans the episode and fills as windows arrive.
// With a view state (`store`), the panel publishes its options as `attributionQuery` (the probe
// explains edited observations with them) and, while the observation is edited, shows the edited
// observation's attributions beside the recorded ones with the change per feature (probe.js).
import { getAttributions } from '../data.js';
import { watch } from '../state.js';
import { imageLayout } from '../scenes/pixels.js';
import { attributionQuery, defaultParams, estimateCost, evaluationsPerStep, fixFor, spaceKinds } from '../attribution-options.js';
import { elementKeys, groupAnswer, imagePatches, mergeWindows } from '../attribution-groups.js';
import { attributionWindow, describeEstimate, normalizeSigned, windowOf } from '../tables.js';
import { createAttributionControls } from './attribution-controls.js';
import { renderAttributionTable } from './attribution-table.js';

const HALF_WINDOW = 32;
/** Observations with more features than this (images) fetch a smaller window: the cost is per feature. */
const LARGE_OBSERVATION = 1000;
const LARGE_HALF_WINDOW = 4;
/** The whole episode is fetched at once when it costs at most this many policy evaluations (and fits a request). */
export const WHOLE_EPISODE_EVALUATIONS = 50000;
const MAX_REQUEST_STEPS = 5000;
/** Requests estimated above this many policy evaluations wait for a click on "compute". */
export const CONFIRM_EVALUATIONS = 2000000;

export function createAttributionPanel(container, { rollout, episode, rows, metadata, scene = null, store = null, onAnswer = () => {} }) {
  const actionLabels = (metadata?.features?.actions || []).map((f) => f.label);
  const params = defaultParams(metadata);
  const { d } = spaceKinds(metadata);
  const layout = imageLayout(metadata?.observationSpace);
  const patches = layout ? imagePatches(layout) : null;
  const keys = elementKeys(metadata?.observationSpace);
  const half = d > LARGE_OBSERVATION ? LARGE_HALF_WINDOW : HALF_WINDOW;
  container.classList.add('panel', 'attribution-panel');
  container.innerHTML = '<h3>Attribution</h3>';
  const controls = createAttributionControls(container, metadata, (name, value) => {
    params[name] = value;
    stepsAtOnce = 0;
    controls.sync(params);
    publishQuery();
    refresh(0);
  });
  const tail = document.createElement('div');
  tail.innerHTML = `<div class="cost" data-testid="attribution-cost"></div>
    <div class="status" data-testid="attribution-status"></div>
    <button type="button" class="fix" data-testid="attribution-fix" hidden></button>
    <table data-testid="attribution-table"><thead></thead><tbody></tbody></table>`;
  container.append(...tail.children);
  const $ = (sel) => container.querySelector(sel);
  const cost = $('.cost');
  const status = $('.status');
  const fixButton = $('.fix');
  const thead = $('thead');
  const tbody = $('tbody');

  const cache = new Map(); // query key -> [{from, to, answer}]
  const confirmed = new Set(); // query keys the user agreed to pay for
  let step = 0;
  let row = null;
  let controller = null;
  let inflight = null; // {key, from, to}
  let timer = 0;
  let shown = null; // the window last rendered
  let stepsAtOnce = 0; // steps per request a refusal's fix set; 0: the default window
  let fixAction = null;

  const query = () => attributionQuery(params, metadata);
  const key = () => JSON.stringify(query());
  const cached = () => (cache.get(key()) || []).find((w) => w.from <= step && step < w.to);

  /** The steps of the next request: the fix's count, the whole episode when cheap, else the window. */
  function requestWindow() {
    if (stepsAtOnce > 0) return windowOf(step, rows, stepsAtOnce);
    if (rows <= MAX_REQUEST_STEPS && evaluationsPerStep(params, metadata) * rows <= WHOLE_EPISODE_EVALUATIONS) return { from: 0, to: rows };
    return attributionWindow(step, rows, half);
  }

  fixButton.addEventListener('click', () => {
    const act = fixAction;
    if (!act) return;
    if (act.steps) stepsAtOnce = act.steps;
    if (act.params) Object.assign(params, act.params);
    if (act.confirm) confirmed.add(key());
    controls.sync(params);
    if (act.params) publishQuery();
    showFix(null);
    refresh(0);
  });

  /** The options the edited observation is explained with: the same as the recorded step's. */
  function publishQuery() {
    if (store) store.set({ attributionQuery: query() });
  }

  /** The probe's answer for the current step while the observation is edited, else null. */
  function editedProbe() {
    const s = store?.get();
    const p = s?.edits && s.probe;
    return p && p.step === step && p.edits === s.edits && p.attribution ? p : null;
  }

  function showFix(fix) {
    fixAction = fix;
    fixButton.hidden = !fix;
    fixButton.textContent = fix ? fix.label : '';
  }

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = `status ${kind || ''}`;
    container.dataset.state = kind || 'ready';
    container.dataset.step = String(step); // which step the status speaks of (a clip waits for it)
  }

  function clear() {
    thead.replaceChildren();
    tbody.replaceChildren();
    overlay(null);
    shown = null;
    onAnswer(null);
  }

  function refresh(delay) {
    const q = query();
    const { from, to } = requestWindow();
    const estimate = estimateCost(params, metadata, to - from);
    cost.textContent = `request cost: ${estimate.text}`;
    if (q.error) {
      clearTimeout(timer);
      if (controller) controller.abort();
      setStatus(q.error, 'error');
      showFix(null);
      clear();
      return;
    }
    const hit = cached();
    if (hit) {
      if (shown !== hit) {
        shown = hit;
        showFix(null);
        onAnswer(episodeAnswer(), 0, rows);
      }
      render(hit.answer);
      return;
    }
    if (editedProbe()) render(null); // the edit's attributions need not wait for the recorded ones
    if (inflight && inflight.key === key() && inflight.from <= step && step < inflight.to) return;
    if (estimate.total > CONFIRM_EVALUATIONS && !confirmed.has(key())) {
      setStatus(`This request is expensive: ${estimate.text}.`, 'confirm');
      showFix({ label: 'compute', confirm: true });
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(load, delay);
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const k = key();
    const { from, to } = requestWindow();
    inflight = { key: k, from, to };
    showFix(null);
    setStatus(`computing… (${params.method}, steps ${from}–${to - 1})`, 'computing');
    const { signal } = controller;
    try {
      const answer = await getAttributions(rollout, episode, query().query, from, to, signal);
      if (!cache.has(k)) cache.set(k, []);
      cache.get(k).push({ from, to, answer });
      if (cache.get(k).length > 64) cache.get(k).shift();
      inflight = null;
      if (key() === k) refresh(0);
    } catch (e) {
      if (signal.aborted) return;
      inflight = null;
      const { text, fix } = fixFor(e, params, metadata);
      const message = String(e.message || e);
      setStatus(text.includes(message) ? text : `${text} (${message})`, 'error');
      showFix(fix);
      clear();
    }
  }

  /** The windows of the current options merged into one answer; an image's pixels summed into patches. */
  function episodeAnswer() {
    const merged = mergeWindows(cache.get(key()));
    return merged && patches && merged.features.length === layout.height * layout.width * layout.channels
      ? groupAnswer(merged, patches) : merged;
  }

  /**
   * Draws the step's attributions: the recorded step's `answer` (null while only the edit's is
   * known), or while the observation is edited, the edited observation's beside them.
   */
  function render(recordedAnswer) {
    const edited = editedProbe();
    const entry = recordedAnswer?.steps.find((s) => s.step === step);
    const recordedTargets = entry ? entry.targets : [];
    const answer = edited ? edited.attribution : recordedAnswer;
    const targets = edited ? edited.attribution.steps[0]?.targets || [] : recordedTargets;
    const observation = edited ? edited.observation : row?.observation || [];
    const perImage = patches && answer.features.length === layout.height * layout.width * layout.channels;
    const { shown: listed, total, unit } = renderAttributionTable(thead, tbody, {
      answer, targets, observation, actionLabels,
      patches: perImage ? patches : null,
      keys,
      describe: typeof scene?.describeFeature === 'function' ? (label) => scene.describeFeature(label, observation) : null,
      recorded: edited ? { targets: recordedTargets, observation: row?.observation || [] } : null,
    });
    container.dataset.shows = edited ? 'edited' : 'recorded';
    container.dataset.policy = params.policy;
    if (targets.length === 0) {
      setStatus(step === rows - 1 ? 'no action at the final observation: nothing to explain' : 'no target at this step', 'empty');
    } else {
      const capped = listed < total ? `; the ${listed} strongest of ${total} ${unit}` : perImage ? `; ${total} ${unit}` : '';
      const of = edited ? `edited observation, largest change first${recordedAnswer ? '' : ' (the recorded step still loading)'}: ` : '';
      const who = metadata?.comparePolicy ? `policy ${params.policy.toUpperCase()}: ` : '';
      setStatus(`${who}${of}${describeEstimate(answer, targets[0])}${capped}`, 'ready');
    }
    const t = targets[0];
    overlay(t ? {
      values: t.normalized || normalizeSigned([t.raw])[0], raw: t.raw, features: answer.features,
      what: t.action === 'value' ? 'attribution to V(s)' : `attribution to the ${answer.output || 'probability'}`,
    } : null);
  }

  function overlay(arg) {
    if (!scene || typeof scene.overlay !== 'function') return;
    // Scenes of their own (--viewer-file) may know only the old call: per-element values or null.
    const perElement = arg && arg.features.length === (row?.observation || []).length;
    scene.overlay(!arg ? null : scene.overlayTakesObject ? arg : perElement ? arg.values : null);
  }

  controls.sync(params);
  publishQuery();
  // the edit's attributions arrive (or the edit ends): redraw the step
  const unwatch = store ? watch(store, ['probe', 'edits'], () => {
    const hit = cached();
    if (hit) render(hit.answer);
    else if (editedProbe()) render(null);
    const p = store.get().edits && store.get().probe;
    if (p?.attributionError && p.step === step) setStatus(`the edited observation could not be explained: ${p.attributionError}`, 'error');
  }) : () => {};
  return {
    /** The current step and its row (for the observed values column). */
    update(newStep, newRow, playing) {
      step = newStep;
      row = newRow;
      refresh(playing ? 250 : 60);
    },
    dispose() {
      unwatch();
      clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
