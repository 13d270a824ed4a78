// The policy landscape panel: two features of the observation swept over a grid around the
// current step (POST …/landscape), drawn by landscape-plot.js. The features default to the two
// most attributed at the step (setRanking), the ranges to the space's bounds or the episode's
// observed range, the target to the greedy action. It follows the timeline (debounced) and says
// that the other features are held at the current step.
import { getLandscape } from '../data.js';
import { fmtSig } from '../format.js';
import {
  defaultAxes, defaultRange, landscapeBody, observedRange, sweepableAt, sweepableFeatures, trajectory,
} from '../landscape.js';
import { createLandscapePlot } from './landscape-plot.js';

const RESOLUTIONS = [16, 32, 64, 128];
/** Values one landscape may send through the policy in its one batch (the server's Attributor.MAX_BATCH_VALUES). */
const MAX_BATCH_VALUES = 2 ** 24;

/**
 * The panel in `container` for a recording's `metadata`; `rowsSoFar()` gives the episode's rows
 * loaded (for ranges and the trajectory). update(step, observation, raw, playing) follows the
 * timeline; setRanking(flat indexes, strongest first) sets the default axes until the user picks.
 */
export function createLandscapePanel(container, { rollout, metadata, rowsSoFar }) {
  const features = metadata?.features?.observations || [];
  const sweepable = sweepableFeatures(metadata?.observationSpace, features);
  const actionLabels = (metadata?.features?.actions || []).map((f) => f.label);
  const start = Number(metadata?.actionSpace?.start ?? 0);
  const continuous = metadata?.actionSpace?.type === 'Box';
  const hasValue = (metadata?.policy?.targets || []).includes('value');
  container.classList.add('landscape-panel');
  container.dataset.testid = 'landscape-panel';
  container.innerHTML = `
    <div class="ls-controls">
      <label>x <select data-testid="landscape-x"></select></label>
      <span class="ls-range" data-axis="x"><input type="number" step="any" data-testid="landscape-x-from"> to <input type="number" step="any" data-testid="landscape-x-to"></span>
      <label>y <select data-testid="landscape-y"></select></label>
      <span class="ls-range" data-axis="y"><input type="number" step="any" data-testid="landscape-y-from"> to <input type="number" step="any" data-testid="landscape-y-to"></span>
      <label>colour <select data-testid="landscape-target"></select></label>
      <label>grid <select data-testid="landscape-resolution"></select></label>
    </div>
    <div class="ls-status" data-testid="landscape-status"></div>
    <div class="ls-plot"></div>
    <div class="ls-note">white lines: the greedy action changes · orange dots: this episode's steps (line: ±5 steps), the other features held at this step</div>`;
  const $ = (s) => container.querySelector(s);
  const status = $('.ls-status');
  // grids whose cells (and the observation itself) fit one policy batch: an 84×84×2 image stops at 32×32
  const fitting = RESOLUTIONS.filter((r) => (r * r + 1) * Math.max(1, features.length) <= MAX_BATCH_VALUES);
  const grids = fitting.length ? fitting : [RESOLUTIONS[0]];
  const preferred = grids.includes(64) ? 64 : grids[grids.length - 1];
  $('[data-testid=landscape-resolution]').innerHTML = grids.map((r) => `<option value="${r}"${r === preferred ? ' selected' : ''}>${r}×${r}</option>`).join('');
  const plot = createLandscapePlot($('.ls-plot'));
  const pick = { x: $('[data-testid=landscape-x]'), y: $('[data-testid=landscape-y]') };
  const target = $('[data-testid=landscape-target]');
  const resolution = $('[data-testid=landscape-resolution]');
  for (const sel of Object.values(pick)) {
    sel.innerHTML = sweepable.map((f) => `<option value="${f.index}">${escape(f.label)}${f.unit ? ` (${escape(f.unit)})` : ''}</option>`).join('');
  }
  const actionName = (k) => actionLabels[k] || String(start + k);
  // '' asks for the greedy action at the step (the server answers which); 'greedy' each cell's own
  const targets = continuous
    ? actionLabels.map((l, k) => [String(k), `action ${l || k}`])
    : [['', 'P(action chosen at this step)'], ['greedy', 'P(greedy action per cell)'],
      ...actionLabels.map((l, k) => [String(k), `P(${actionName(k)})`])];
  if (hasValue) targets.push(['value', 'V(s)']);
  target.innerHTML = targets.map(([v, t]) => `<option value="${v}">${escape(t)}</option>`).join('');

  let chosen = false; // the user picked the axes: rankings no longer move them
  let axes = defaultAxes(sweepable, []);
  const ranges = { x: null, y: null }; // null: the default range
  let current = null; // {step, observation}
  let timer = 0;
  let controller = null;

  const feature = (axis) => sweepableAt(sweepable, axes[axis]);
  // the default range covers the episode and the observation shown (an edit may leave the episode's range)
  const range = (axis) => ranges[axis]
    || defaultRange(feature(axis), observedRange(feature(axis), [...rowsSoFar(), current && { observation: current.observation }]));


  function sync() {
    if (!axes) return;
    for (const axis of ['x', 'y']) {
      pick[axis].value = String(axes[axis]);
      const f = feature(axis);
      const box = container.querySelector(`.ls-range[data-axis=${axis}]`);
      box.hidden = f.kind === 'values';
      if (!box.hidden) {
        const r = range(axis);
        box.children[0].value = String(Number(r.from.toPrecision(4)));
        box.children[1].value = String(Number(r.to.toPrecision(4)));
      }
    }
  }

  for (const axis of ['x', 'y']) {
    pick[axis].addEventListener('change', () => {
      const other = axis === 'x' ? 'y' : 'x';
      const next = Number(pick[axis].value);
      // picking the other axis's feature swaps the two
      if (sweepableAt(sweepable, next) === feature(other)) axes = { ...axes, [other]: axes[axis] };
      axes = { ...axes, [axis]: next };
      chosen = true;
      ranges.x = ranges.x && axis !== 'x' ? ranges.x : null;
      ranges.y = ranges.y && axis !== 'y' ? ranges.y : null;
      sync();
      schedule(0);
    });
    const box = container.querySelector(`.ls-range[data-axis=${axis}]`);
    box.addEventListener('change', () => {
      const from = Number(box.children[0].value);
      const to = Number(box.children[1].value);
      if (Number.isFinite(from) && Number.isFinite(to) && from < to) ranges[axis] = { from, to };
      sync();
      schedule(0);
    });
  }
  target.addEventListener('change', () => schedule(0));
  resolution.addEventListener('change', () => schedule(0));

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(load, delay);
  }

  async function load() {
    if (!axes || !current?.observation) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    const fx = feature('x');
    const fy = feature('y');
    sync(); // the range inputs show what is sent
    const body = landscapeBody({
      observation: current.raw, x: { feature: fx, ...range('x') }, y: { feature: fy, ...range('y') },
      resolution: Number(resolution.value),
      target: ['', 'value', 'greedy'].includes(target.value) ? target.value : Number(target.value),
    });
    const step = current.step;
    container.dataset.state = 'computing';
    status.textContent = `computing ${resolution.value}×${resolution.value} cells…`;
    const t0 = performance.now();
    try {
      const answer = await getLandscape(rollout, body, signal);
      const fetched = performance.now();
      plot.draw(answer, {
        trajectory: trajectory(fx, fy, rowsSoFar()), step,
        xLabel: axisLabel(fx), yLabel: axisLabel(fy),
        what: typeof answer.target === 'number' && !continuous ? `P(${actionName(answer.target)})`
          : target.selectedOptions[0]?.textContent || 'value',
        actionLabel: (a) => actionLabels[a - start] ?? String(a),
      });
      const drawn = performance.now();
      container.dataset.state = 'ready';
      container.dataset.step = String(step);
      container.dataset.fetchMs = (fetched - t0).toFixed(1);
      container.dataset.drawMs = (drawn - t0).toFixed(1);
      status.textContent = `step ${step}: ${fx.label} × ${fy.label}, others held at this step; `
        + `here ${fmtSig(answer.at[0], 3)}, ${fmtSig(answer.at[1], 3)}`;
    } catch (e) {
      if (signal.aborted) return;
      container.dataset.state = 'error';
      status.textContent = `no landscape: ${e.message || e}`;
      plot.clear();
    }
  }

  sync();
  return {
    /** The current step, its flat observation and its observation as stored (sent to the server). */
    update(step, observation, raw, playing) {
      current = { step, observation, raw };
      if (!metadata?.hasPolicy) {
        status.textContent = 'no policy attached: start the server with --policy to see its landscape';
        return;
      }
      schedule(playing ? 400 : 120);
    },
    setRanking(ranking) {
      if (chosen) return;
      const next = defaultAxes(sweepable, ranking);
      if (next && (next.x !== axes?.x || next.y !== axes?.y)) {
        axes = next;
        ranges.x = null;
        ranges.y = null;
        sync();
        schedule(120);
      }
    },
    dispose() {
      clearTimeout(timer);
      if (controller) controller.abort();
      plot.dispose();
    },
  };
}

const axisLabel = (f) => (f.unit ? `${f.label} (${f.unit})` : f.label);

function escape(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}
