// The compare page's plots on one step axis: the return of A and B, and its difference B − A,
// pinned at the top; then one plot per observation feature the two share (A and B; B − A filled,
// on the right axis) in a
// list that scrolls inside itself. Feature plots are built when scrolled near (a grid world has 80
// features); an image's thousands of pixels get the mean |B − A| and the pixels that differ most.
// Everything is read from the page's store: `sides` (metadata, rows as they load), `loaded`, `step`.
import { createStepPlot } from './step-plot.js';
import { comparedColumns, featureColumn, featuresToPlot, meanAbsDifference, returnColumn, sharedFeatures, MAX_FEATURE_PLOTS } from '../compare.js';
import { watch } from '../state.js';

export const DIFF_COLOUR = '#7b5ea7';
const DIFF_FILL = 'rgba(123, 94, 167, 0.16)';
const PLOT_HEIGHT = 78;

export function createComparePlots(container, store, { length }) {
  const { a, b } = store.get().sides;
  const { shared, onlyA, onlyB } = sharedFeatures(a.metadata.features?.observations, b.metadata.features?.observations);
  const many = shared.length > MAX_FEATURE_PLOTS;
  // the steps where the shorter episode ended (and held its last frame since)
  const marks = a.rows === b.rows ? [] : [Math.min(a.rows, b.rows) - 1];
  container.classList.add('cmp-plots');
  container.dataset.rows = String(length); // every plot's x axis spans the longer episode
  container.innerHTML = `
    <div class="cmp-legend" data-testid="compare-legend"></div>
    <div class="cmp-return"><div></div><div></div></div>
    <div class="cmp-features-head"></div>
    <div class="cmp-features" data-testid="compare-features"></div>`;
  const $ = (s) => container.querySelector(s);
  const legend = $('.cmp-legend');
  for (const s of [a, b]) {
    const item = document.createElement('span');
    item.className = 'cmp-legend-item';
    item.innerHTML = `<b class="cmp-key" style="background:${s.colour}">${s.name}</b> `;
    item.append(s.title);
    item.title = s.title;
    legend.appendChild(item);
  }
  legend.insertAdjacentHTML('beforeend', `<span class="cmp-legend-item diff"><i style="background:${DIFF_COLOUR}"></i>B − A (filled; a feature's on its right axis)</span>`);

  const sides = (unit) => [{ label: a.name, stroke: a.colour, unit }, { label: b.name, stroke: b.colour, unit }];
  const difference = (unit, scale = 'y') => ({ label: 'B − A', stroke: DIFF_COLOUR, fill: DIFF_FILL, scale, unit });
  const x = Array.from({ length }, (_, i) => i);
  const [returnBox, differenceBox] = $('.cmp-return').children;
  const common = { marks, padFlat: true, height: PLOT_HEIGHT };
  const returnPlot = createStepPlot(returnBox, 'Return so far', { ...common, yLabel: 'return', testid: 'compare-return-plot' });
  const differencePlot = createStepPlot(differenceBox, 'Return difference', { ...common, yLabel: 'B − A', testid: 'compare-return-difference' });

  const list = $('.cmp-features');
  const note = [`${shared.length} observation features, scroll for each (label and unit as in the observation panel)`];
  if (onlyA || onlyB) note.push(`not compared: ${onlyA} only in A, ${onlyB} only in B`);
  if (many) note.push(`the ${'mean |B − A|'} over all of them, then the ones that differ most`);
  if (length < Math.max(a.totalRows, b.totalRows)) note.push(`plots cover steps 0–${length - 1} of ${Math.max(a.totalRows, b.totalRows) - 1}`);
  $('.cmp-features-head').textContent = shared.length === 0 ? 'A and B share no observation feature to compare' : note.join(' · ');

  const built = new Map(); // element → {plot, draw}
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) build(e.target);
  }, { root: list, rootMargin: '300px 0px' });
  let items = []; // [{id, title, draw(plot)}] of the list, in order

  function build(element) {
    if (built.has(element)) return;
    const item = items.find((i) => i.id === element.dataset.feature);
    if (!item) return;
    const plot = createStepPlot(element, item.title, { ...item.options, ...common });
    plot.setStep(store.get().step);
    built.set(element, { plot, item });
    item.draw(plot);
  }

  /** The list's plots: made afresh when which features to plot changes (an image's ranking). */
  function setItems(next) {
    const ids = next.map((i) => i.id).join('\n');
    if (ids === items.map((i) => i.id).join('\n')) {
      items = next;
      for (const { plot, item } of built.values()) next.find((i) => i.id === item.id).draw(plot);
      return;
    }
    for (const { plot } of built.values()) plot.dispose();
    built.clear();
    observer.disconnect();
    items = next;
    list.replaceChildren(...items.map((item) => {
      const element = document.createElement('div');
      element.className = 'cmp-feature';
      element.dataset.feature = item.id;
      element.dataset.testid = 'compare-feature-plot';
      element.style.minHeight = `${PLOT_HEIGHT + 20}px`;
      element.innerHTML = `<div class="plot-head"><h3></h3></div>`;
      element.querySelector('h3').textContent = item.title;
      observer.observe(element);
      return element;
    }));
  }

  function refresh() {
    const { a: sa, b: sb } = store.get().sides;
    const r = comparedColumns(returnColumn(sa.recorded), returnColumn(sb.recorded), length);
    returnPlot.set(x, sides(''), [r.a, r.b]);
    differencePlot.set(x, [difference('')], [r.diff]);
    const plotted = many ? featuresToPlot(shared, sa.recorded, sb.recorded) : shared;
    const next = plotted.map((f) => ({
      id: `${f.a}:${f.b}`,
      title: f.unit ? `${f.label} (${f.unit})` : f.label,
      options: { yLabel: f.unit || 'value', y2Label: 'B − A', y2Stroke: DIFF_COLOUR },
      draw(plot) {
        const c = comparedColumns(featureColumn(sa.recorded, f.a), featureColumn(sb.recorded, f.b), length);
        plot.set(x, [...sides(f.unit), difference(f.unit, 'y2')], [c.a, c.b, c.diff]);
      },
    }));
    if (many) {
      next.unshift({
        id: 'mean', title: `Mean |B − A| over the ${shared.length} features`, options: { yLabel: '|B − A|' },
        draw(plot) {
          plot.set(x, [{ label: 'mean |B − A|', stroke: DIFF_COLOUR, fill: DIFF_FILL }], [meanAbsDifference(shared, sa.recorded, sb.recorded, length)]);
        },
      });
    }
    setItems(next);
  }

  let pending = false;
  const unwatch = [
    watch(store, ['loaded'], () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        refresh();
      });
    }),
    watch(store, ['step'], ({ step }) => {
      returnPlot.setStep(step);
      differencePlot.setStep(step);
      for (const { plot } of built.values()) plot.setStep(step);
    }),
  ];

  return {
    dispose() {
      unwatch.forEach((u) => u());
      observer.disconnect();
      returnPlot.dispose();
      differencePlot.dispose();
      for (const { plot } of built.values()) plot.dispose();
    },
  };
}
