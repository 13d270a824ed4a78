// A line plot hidden while it has no data, over the step plot of the timeline's stack: what the
// attribution-over-time plot (attribution-plot.js) draws into. set(x, labels, columns) replaces
// the data; setStep(step) moves the cursor.
import { createStepPlot, stepCursor } from './step-plot.js';

export { stepCursor };

export function createLinePlot(container, title, { testid = '', yLabel = '' } = {}) {
  container.classList.add('line-plot');
  const plot = createStepPlot(container, title, { testid, yLabel: yLabel || (testid === 'attribution-plot' ? 'attribution' : '') });
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
