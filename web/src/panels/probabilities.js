// The action probability plot: one line per action over the episode, from the recorded
// action_probabilities of the same lazily loaded chunks as the reward plot; hidden without them.
import { probabilityColumns } from '../series.js';
import { createLinePlot } from './line-plot.js';

export function createProbabilityPanel(container, rows, metadata) {
  const actionLabels = (metadata?.features?.actions || []).map((f) => f.label);
  const start = Number(metadata?.actionSpace?.start ?? 0);
  const plot = createLinePlot(container, 'Action probabilities', { testid: 'probability-plot' });
  const x = Array.from({ length: rows }, (_, i) => i);
  const probs = new Array(rows).fill(null);
  let pending = false;
  return {
    /** Rows [from, from + chunk.length) arrived. */
    addRows(from, chunk) {
      chunk.forEach((r, i) => { probs[from + i] = r.probabilities; });
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        const columns = probabilityColumns(probs);
        plot.set(x, columns.map((_, k) => actionLabels[k] ?? String(start + k)), columns);
      });
    },
    setStep: (step) => plot.setStep(step),
    dispose: () => plot.dispose(),
  };
}
