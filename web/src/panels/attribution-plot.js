// The attribution plot: each feature's raw attribution (first target) over the window of steps
// the attribution panel fetched, redrawn when the panel shows another window or request; for
// observations with many features (images) the strongest few.
import { attributionColumns } from '../series.js';
import { createLinePlot } from './line-plot.js';

export function createAttributionPlot(container) {
  const plot = createLinePlot(container, 'Attribution over time', { testid: 'attribution-plot' });
  return {
    /** An attributions answer for rows [from, to); null hides the plot. */
    show(answer, from, to) {
      const { x, labels, columns, total } = attributionColumns(answer, from ?? 0, to ?? 0);
      plot.set(x, labels, columns);
      const title = container.querySelector('h3');
      if (title) {
        title.textContent = total > labels.length && labels.length > 0
          ? `Attribution over time (the ${labels.length} strongest of ${total} features)` : 'Attribution over time';
      }
    },
    setStep: (step) => plot.setStep(step),
    dispose: () => plot.dispose(),
  };
}
