// The attribution plot: the strongest features' raw attribution (first target) over the whole
// episode, x from step 0 to the last, filled as the attribution panel's windows arrive (it hands
// over the episode's answer so far: an image's pixels already summed into patches). Below it a
// legend names each line with its value at the current step, the plot's cursor.
import { attributionColumns } from '../series.js';
import { fmt } from '../tables.js';
import { COLOURS, createLinePlot } from './line-plot.js';

export function createAttributionPlot(container) {
  const plot = createLinePlot(container, 'Attribution over time',
    { testid: 'attribution-plot', xLabel: 'step', yLabel: 'attribution', legend: false, height: 220 });
  const legend = document.createElement('div');
  legend.className = 'attribution-legend';
  legend.dataset.testid = 'attribution-plot-legend';
  container.appendChild(legend);
  let data = { x: [], labels: [], columns: [] };
  let step = 0;

  function drawLegend() {
    const j = data.x.indexOf(step);
    legend.replaceChildren(...data.labels.map((label, i) => {
      const item = document.createElement('span');
      item.className = 'item';
      const v = j >= 0 ? data.columns[i][j] : null;
      item.innerHTML = `<i style="background:${COLOURS[i % COLOURS.length]}"></i>`;
      item.append(`${label}: ${v === null || v === undefined ? '—' : fmt(v)}`);
      return item;
    }));
    legend.hidden = data.labels.length === 0;
  }

  return {
    /** The episode's attributions so far for steps [from, to) (the whole episode); null hides the plot. */
    show(answer, from, to) {
      data = attributionColumns(answer, from ?? 0, to ?? 0);
      plot.set(data.x, data.labels, data.columns);
      const title = container.querySelector('h3');
      const of = answer?.features?.[0]?.startsWith('rows ') ? 'patches' : 'features';
      const done = answer ? answer.steps.length : 0;
      if (title) {
        title.textContent = `Attribution over time${data.total > data.labels.length && data.labels.length > 0
          ? ` (the ${data.labels.length} strongest of ${data.total} ${of})` : ''}${done && done < data.x.length ? ` — ${done} of ${data.x.length} steps computed` : ''}`;
      }
      drawLegend();
    },
    setStep(s) {
      step = s;
      plot.setStep(s);
      drawLegend();
    },
    dispose: () => plot.dispose(),
  };
}
