// A uPlot line plot with a cursor at the current step, hidden while it has no data: the action
// probability and attribution plots. set(x, labels, columns) replaces the data (a new set of
// labels rebuilds the plot); setStep(step) moves the cursor. Options: the axes' labels, and
// legend: false for a plot that shows its own legend, and the height in pixels.
import uPlot from 'uplot';

export const COLOURS = ['#2f6db5', '#c98a2b', '#3a9a5b', '#d0453b', '#7b5ea7', '#56606b', '#1f9fb0', '#b5487f'];
const HEIGHT = 160;

/** A uPlot draw hook: a vertical line at the step {@code getStep()} returns. */
export function stepCursor(getStep) {
  return (u) => {
    const left = u.valToPos(getStep(), 'x', true);
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = '#d0453b';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(left, bbox.top);
    ctx.lineTo(left, bbox.top + bbox.height);
    ctx.stroke();
    ctx.restore();
  };
}

export function createLinePlot(container, title, { testid = '', xLabel = '', yLabel = '', legend = true, height = HEIGHT } = {}) {
  container.classList.add('panel', 'line-plot');
  if (testid) container.dataset.testid = testid;
  container.innerHTML = '<h3></h3><div class="plot"></div>';
  container.querySelector('h3').textContent = title;
  const holder = container.querySelector('.plot');
  container.hidden = true;
  let plot = null;
  let labels = [];
  let cursor = 0;
  const observer = new ResizeObserver(() => {
    if (plot) plot.setSize({ width: Math.max(200, holder.clientWidth), height });
  });
  observer.observe(holder);

  function build(newLabels, data) {
    if (plot) plot.destroy();
    labels = newLabels.slice();
    plot = new uPlot({
      width: Math.max(200, holder.clientWidth || 400),
      height,
      legend: { show: legend },
      axes: [{ label: xLabel || undefined }, { label: yLabel || undefined, ...(yLabel ? { space: 20 } : {}) }],
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      series: [{ label: 'step' }, ...labels.map((label, i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: 1.25, spanGaps: false,
      }))],
      hooks: { draw: [stepCursor(() => cursor)] },
    }, data, holder);
  }

  return {
    set(x, newLabels, columns) {
      container.hidden = columns.length === 0;
      if (columns.length === 0) return;
      const data = [x, ...columns];
      const same = plot && newLabels.length === labels.length && newLabels.every((l, i) => l === labels[i]);
      if (same) plot.setData(data);
      else build(newLabels, data);
    },
    setStep(step) {
      cursor = step;
      if (plot && !container.hidden) plot.redraw(false, false);
    },
    dispose() {
      observer.disconnect();
      if (plot) plot.destroy();
    },
  };
}
