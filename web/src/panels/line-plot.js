// A line plot hidden while it has no data, over the step plot of the timeline's stack: what the
// attribution-over-time plot (attribution-plot.js) draws into. set(x, labels, columns) replaces
// the data; setStep(step) moves the cursor. Options: the y axis's label, the height, and
// legend: false for a plot that shows its own legend (the step axis is the stack's, unlabelled).
import { COLOURS, createStepPlot, stepCursor } from './step-plot.js';

export { COLOURS, stepCursor };

export function createLinePlot(container, title, { testid = '', yLabel = '', legend = true, height } = {}) {
  container.classList.add('line-plot');
  const plot = createStepPlot(container, title, {
    testid, yLabel: yLabel || (testid === 'attribution-plot' ? 'attribution' : ''), ...(height ? { height } : {}),
  });
  if (!legend) container.querySelector('.plot-head .legend').hidden = true;
  container.hidden = true;
  return {
    set(x, labels, columns) {
      container.hidden = columns.length === 0;
      if (columns.length === 0) return;
      plot.set(x, labels.map((label) => ({ label })), columns);
    },
    setStep: (step) => plot.setStep(step),
    dispose: () => plot.dispose(),
  };
}
