// One plot of the timeline's stack: uPlot over steps, sharing the cursor with every other plot
// (uPlot's sync), the step's red line, axis labels, and a legend that always shows values — at
// the hovered step, else at the current one (uPlot's own legend reads "--" off the plot). A click
// asks for the step under the cursor with a bubbling `rld-seek` event, so the page seeks without
// every plot being handed a callback. Inside an element with data-rows (the stack) the x axis spans
// the whole episode, so plots with data over a window (attributions) still line up.
import uPlot from 'uplot';
import { axisValues, fmtSig } from '../format.js';

export const COLOURS = ['#2f6db5', '#c98a2b', '#3a9a5b', '#d0453b', '#7b5ea7', '#56606b', '#1f9fb0', '#b5487f'];
export const SYNC_KEY = 'rld-steps';
/** Axis widths every plot shares, so their steps line up vertically. */
const Y_AXIS = 64;
const RIGHT_AXIS = 56;

/** A uPlot draw hook: a vertical line at the step {@code getStep()} returns. */
export function stepCursor(getStep) {
  return (u) => {
    const left = u.valToPos(getStep(), 'x', true);
    const { ctx, bbox } = u;
    ctx.save();
    ctx.setLineDash([]); // the last series drawn may have left a dash (the bounds)
    ctx.strokeStyle = '#d0453b';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(left, bbox.top);
    ctx.lineTo(left, bbox.top + bbox.height);
    ctx.stroke();
    ctx.restore();
  };
}

/** A uPlot draw hook: a dashed grey vertical line at each of the steps {@code getMarks()} returns. */
export function stepMarks(getMarks) {
  return (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = '#8a949e';
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 4]);
    for (const m of getMarks()) {
      const left = u.valToPos(m, 'x', true);
      ctx.beginPath();
      ctx.moveTo(left, bbox.top);
      ctx.lineTo(left, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
}

/** A y range for [min, max] with 10 % room, and ±1 around a constant (no data: 0–1). */
export function paddedRange(u, min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min - 1, max + 1];
  const room = (max - min) * 0.1;
  return [min - room, max + room];
}

/** The data index of `step` in contiguous steps `x` (x[0], x[0]+1, …), or null outside. */
export function indexOfStep(x, step) {
  if (!x || x.length === 0) return null;
  const i = step - x[0];
  return i >= 0 && i < x.length ? i : null;
}

/**
 * A plot in `container` (emptied): title and legend on one line, the plot below. Series:
 * [{label, stroke?, dash?, scale? ('y' | 'y2'), unit?, bound?, bars?}]; a `bound` series is drawn
 * thin and grey and left out of the legend; a `fill` colour fills between the line and 0; `bars`
 * draws one bar per step instead of a line.
 * Options: yLabel, y2Label, height, testid; marks: steps to mark with a dashed line (where a
 * compared episode ended); padFlat: a constant series gets a range around it (uPlot's own puts
 * 0 at the bottom of 0–100); y2Stroke: the right axis's colour (its series'); onDraw(u): called
 * after every draw with the uPlot (what a plot draws over its area, e.g. the disagreement marks);
 * yRange: uPlot's range function of the y scale; xAxis: false leaves out the step axis's labels
 * (a strip above plots that have them).
 */
export function createStepPlot(container, title, { yLabel = '', y2Label = '', height = 96, testid = '', marks = [], padFlat = false, y2Stroke = '', onDraw = null, yRange = null, xAxis = true } = {}) {
  container.classList.add('step-plot');
  if (testid) container.dataset.testid = testid;
  container.innerHTML = '<div class="plot-head"><h3></h3><span class="legend"></span></div><div class="plot"></div>';
  container.querySelector('h3').textContent = title;
  const holder = container.querySelector('.plot');
  const legend = container.querySelector('.legend');
  let plot = null;
  let series = [];
  let data = [[]];
  let step = 0;
  let hovered = null;

  const width = () => Math.max(200, holder.clientWidth || container.clientWidth || 400);
  const observer = new ResizeObserver(() => { if (plot) plot.setSize({ width: width(), height }); });
  observer.observe(holder);

  function xRange() {
    const rows = Number(container.closest('[data-rows]')?.dataset.rows);
    return rows > 0 ? [0, Math.max(1, rows - 1)] : null;
  }

  function showLegend() {
    const i = hovered ?? indexOfStep(data[0], step);
    const at = i === null ? step : data[0][i];
    const parts = [`<span class="at">step ${at}</span>`];
    series.forEach((s, k) => {
      if (s.bound) return;
      const v = i === null ? null : data[k + 1][i];
      const text = fmtSig(v) + (s.unit && v !== null && v !== undefined ? ` ${s.unit}` : '');
      parts.push(`<span class="item"><i style="background:${s.stroke || COLOURS[k % COLOURS.length]}"></i>${escape(s.label)} <b>${escape(text)}</b></span>`);
    });
    legend.innerHTML = parts.join('');
  }

  function build() {
    if (plot) plot.destroy();
    const range = xRange();
    const hasY2 = series.some((s) => s.scale === 'y2');
    plot = new uPlot({
      width: width(),
      height,
      legend: { show: false },
      cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false }, points: { size: 5 } },
      scales: {
        x: { time: false, ...(range ? { range: () => range } : {}) },
        ...(padFlat || yRange ? { y: { range: yRange || paddedRange } } : {}),
        ...(hasY2 ? { y2: padFlat ? { range: paddedRange } : {} } : {}),
      },
      series: [{ label: 'step' }, ...series.map((s, k) => ({
        label: s.label,
        stroke: s.bound ? '#9aa4ae' : s.stroke || COLOURS[k % COLOURS.length],
        width: s.bound ? 1 : 1.5,
        dash: s.bound ? [4, 4] : s.dash,
        scale: s.scale || 'y',
        spanGaps: false,
        paths: s.bars ? uPlot.paths.bars({ size: [1, Infinity, 1] }) : s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        ...(s.fill ? { fill: s.fill, fillTo: 0 } : {}),
        points: { show: false },
      }))],
      axes: [
        xAxis ? { size: 22, gap: 2, font: '11px system-ui', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) } : { show: false },
        // ticks closer than uPlot's 30 px default: a plot is short, and a bound (±2) deserves its label
        { label: yLabel, labelSize: 14, labelFont: '11px system-ui', font: '11px system-ui', size: Y_AXIS, space: 18, values: axisValues },
        hasY2
          ? { scale: 'y2', side: 1, label: y2Label, labelSize: 14, labelFont: '11px system-ui', font: '11px system-ui', size: RIGHT_AXIS, grid: { show: false }, values: axisValues, ...(y2Stroke ? { stroke: y2Stroke } : {}) }
          // an empty label's room too: a plot without a right axis spans the same steps as one with
          : { side: 1, size: RIGHT_AXIS, label: '', labelSize: 14, show: true, values: () => [], ticks: { show: false }, grid: { show: false }, stroke: 'transparent' },
      ],
      hooks: {
        draw: [stepMarks(() => marks), stepCursor(() => step), ...(onDraw ? [onDraw] : [])],
        setCursor: [(u) => { hovered = u.cursor.idx ?? null; showLegend(); }],
      },
    }, data, holder);
    plot.over.addEventListener('click', () => {
      const left = plot.cursor.left;
      if (!(left >= 0)) return;
      const to = Math.round(plot.posToVal(left, 'x'));
      container.dispatchEvent(new CustomEvent('rld-seek', { bubbles: true, detail: { step: to } }));
    });
    plot.over.addEventListener('mouseleave', () => { hovered = null; showLegend(); });
  }

  return {
    /** Replaces the data: x (steps), the series and one column per series; new labels rebuild. */
    set(x, newSeries, columns) {
      const same = plot && newSeries.length === series.length && newSeries.every((s, i) => s.label === series[i].label);
      series = newSeries.map((s) => ({ ...s }));
      data = [x, ...columns];
      if (same) plot.setData(data);
      else build();
      showLegend();
    },
    setStep(s) {
      step = s;
      if (plot) plot.redraw(false, false);
      if (hovered === null) showLegend();
    },
    dispose() {
      observer.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}

function escape(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}
