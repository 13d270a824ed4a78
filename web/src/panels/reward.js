// The reward/return plot (uPlot): reward per step and the return so far, with a cursor at the
// current step. Filled in as the episode's chunks arrive (rows not loaded yet are gaps).
import uPlot from 'uplot';
import { stepCursor } from './line-plot.js';

export function createRewardPanel(container, rows) {
  container.classList.add('panel', 'reward-panel');
  container.innerHTML = '<h3>Reward and return</h3><div class="plot"></div>';
  const holder = container.querySelector('.plot');
  const x = Array.from({ length: rows }, (_, i) => i);
  const reward = new Array(rows).fill(null);
  let cursor = 0;
  const opts = {
    width: Math.max(200, holder.clientWidth || 400),
    height: 160,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    series: [
      { label: 'step' },
      { label: 'reward', stroke: '#2f6db5', width: 1, spanGaps: false },
      { label: 'return', stroke: '#c98a2b', width: 1.5, scale: 'ret' },
    ],
    axes: [{}, { scale: 'y' }, { scale: 'ret', side: 1, grid: { show: false } }],
    hooks: { draw: [stepCursor(() => cursor)] },
  };
  const plot = new uPlot(opts, [x, reward.slice(), returns()], holder);
  const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, holder.clientWidth), height: 160 }));
  observer.observe(holder);

  /** The return so far where every earlier reward is known, else null. */
  function returns() {
    const out = new Array(rows).fill(null);
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      if (reward[i] === null && i < rows - 1) break; // unknown (the final row has no reward)
      sum += reward[i] ?? 0;
      out[i] = sum;
    }
    return out;
  }

  let pending = false;
  return {
    /** Rows [from, from + rows.length) arrived. */
    addRows(from, chunk) {
      chunk.forEach((r, i) => { reward[from + i] = r.reward; });
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        plot.setData([x, reward.slice(), returns()]);
      });
    },
    setStep(step) {
      cursor = step;
      plot.redraw(false, false);
    },
    dispose() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
