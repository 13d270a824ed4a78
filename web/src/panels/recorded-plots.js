// The timeline's stack of plots of what the agent recorded, on one shared step axis: reward and
// return, the action (its distribution when recorded, continuous actions with their bounds, one
// plot per sub-action of a MultiDiscrete), the value estimate, each named scalar; the page adds
// the attribution-over-time plot's slot at the end. Plots appear as their data arrives (the
// episode's chunks load lazily) and stay hidden for columns the recording does not have.
import { actionPlots, column, probabilityColumns, returnsSoFar, scalarColumns, valueColumn } from '../series.js';
import { createStepPlot } from './step-plot.js';

export function createRecordedPlots(stack, { rows, metadata }) {
  stack.dataset.rows = String(rows);
  const x = Array.from({ length: rows }, (_, i) => i);
  const recorded = new Array(rows).fill(null);
  /** A live episode grew to `n` rows: the shared step axis grows with it. */
  function grow(n) {
    for (let i = x.length; i < n; i++) {
      x.push(i);
      recorded.push(null);
    }
    stack.dataset.rows = String(x.length);
  }
  const actionLabels = (metadata?.features?.actions || []).map((f) => f.label);
  const start = Number(metadata?.actionSpace?.start ?? 0);
  const plots = new Map(); // id -> {element, plot}
  let step = 0;
  let pending = false;

  /** The plot `id`, made on first use in its place in the stack's order. */
  function plotFor(id, order, title, options) {
    let p = plots.get(id);
    if (!p) {
      const element = document.createElement('div');
      element.dataset.order = String(order);
      const next = [...stack.children].find((c) => Number(c.dataset.order) > order);
      stack.insertBefore(element, next || null);
      p = { element, plot: createStepPlot(element, title, options) };
      plots.set(id, p);
      p.plot.setStep(step);
    }
    // rows may have drawn it before the series came: the title says which it shows
    p.element.querySelector('h3').textContent = title;
    return p.plot;
  }

  function refresh() {
    if (summarised) return; // a redraw from rows queued before the series came must not replace it
    const rewards = column(recorded, (r) => r.reward);
    plotFor('reward', 10, 'Reward and return', { yLabel: 'reward', y2Label: 'return', testid: 'reward-plot' })
      .set(x, [{ label: 'reward' }, { label: 'return', scale: 'y2', stroke: '#c98a2b' }], [rewards, returnsSoFar(rewards)]);

    const probs = probabilityColumns(recorded.map((r) => r && r.probabilities));
    if (probs.length > 0) {
      plotFor('probabilities', 20, 'Action probabilities', { yLabel: 'probability', testid: 'probability-plot' })
        .set(x, probs.map((_, k) => ({ label: actionLabels[k] && !/^=/.test(actionLabels[k]) ? actionLabels[k] : `action ${start + k}` })), probs);
    }
    actionPlots(metadata?.actionSpace, recorded).forEach((a, i) => {
      // a Discrete action with its distribution recorded: the distribution says more
      if (a.id === 'action' && a.discrete && probs.length > 0) return;
      if (!a.columns.some((c) => c.some((v) => v !== null))) return;
      const series = a.labels.map((label) => ({ label, unit: a.unit, stepped: a.discrete }));
      const columns = [...a.columns];
      if (a.bounds) {
        series.push({ label: 'low', bound: true }, { label: 'high', bound: true });
        columns.push(x.map(() => a.bounds[0]), x.map(() => a.bounds[1]));
      }
      plotFor(a.id, 30 + i / 100, a.title, { yLabel: a.unit ? `${a.labels[0]} (${a.unit})` : 'action', testid: `action-plot` }).set(x, series, columns);
    });

    const value = valueColumn(recorded);
    if (value) plotFor('value', 40, 'Value estimate V(s)', { yLabel: 'value', testid: 'value-plot' }).set(x, [{ label: 'V(s)' }], [value]);

    const { names, columns } = scalarColumns(recorded);
    names.forEach((name, i) => {
      plotFor(`scalar:${name}`, 50 + i / 1000, name, { yLabel: name, testid: 'scalar-plot' }).set(x, [{ label: name }], [columns[i]]);
    });
  }

  let summarised = false;

  /**
   * A long episode's plots from the server's buckets of steps (the series route) instead of its
   * rows: each quantity's mean per bucket between its min and max, the return at each bucket's end.
   */
  function showSeries(series) {
    summarised = true;
    const bx = series.from.map((f, k) => Math.round((f + series.to[k] - 1) / 2));
    const per = Math.round(series.rows / series.from.length);
    const line = (name) => series.series.find((l) => l.name === name);
    const band = (l) => [{ label: 'min', bound: true }, { label: 'max', bound: true }];
    const reward = line('reward');
    plotFor('reward', 10, `Reward and return (per ${per} steps)`, { yLabel: 'reward', y2Label: 'return', testid: 'reward-plot' })
      .set(bx, [{ label: 'mean reward' }, { label: 'return', scale: 'y2', stroke: '#c98a2b' }, ...band(reward)],
        [reward.mean, line('return').last, reward.min, reward.max]);
    const value = line('value');
    if (value) {
      plotFor('value', 40, `Value estimate V(s) (per ${per} steps)`, { yLabel: 'value', testid: 'value-plot' })
        .set(bx, [{ label: 'mean V(s)' }, ...band(value)], [value.mean, value.min, value.max]);
    }
    const actions = series.series.filter((l) => l.name.startsWith('action'));
    if (actions.length > 0) {
      plotFor('action', 30, `Action (mean per ${per} steps)`, { yLabel: 'action', testid: 'action-plot' })
        .set(bx, actions.map((l) => ({ label: l.name })), actions.map((l) => l.mean));
    }
    series.series.filter((l) => l.name.startsWith('scalar:')).forEach((l, i) => {
      const name = l.name.slice('scalar:'.length);
      plotFor(`scalar:${name}`, 50 + i / 1000, `${name} (per ${per} steps)`, { yLabel: name, testid: 'scalar-plot' })
        .set(bx, [{ label: `mean ${name}` }, ...band(l)], [l.mean, l.min, l.max]);
    });
  }

  return {
    showSeries,
    grow,
    /** Rows [from, from + chunk.length) arrived. */
    addRows(from, chunk) {
      if (summarised) return; // a long episode's plots come from its series
      chunk.forEach((r, i) => { recorded[from + i] = r; });
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        refresh();
      });
    },
    setStep(s) {
      step = s;
      for (const p of plots.values()) p.plot.setStep(s);
    },
    dispose() {
      for (const p of plots.values()) p.plot.dispose();
    },
  };
}
