// The start page's overview of a recording: mean return per bucket of consecutive episodes with
// its min–max band, the running average and the mean length (second axis), points coloured by
// the bucket's most frequent outcome; a click on a point opens the bucket's first episode.
import uPlot from 'uplot';
import { getOverview } from '../data.js';
import { formatHash } from '../router.js';

const OUTCOME_COLOURS = { terminated: '#d0453b', truncated: '#2f6db5', complete: '#3a9a5b', 'cut off': '#888' };
const HEIGHT = 220;

/** The bucket's most frequent outcome, for each bucket. */
export function dominantOutcomes(outcomes, buckets) {
  const names = Object.keys(outcomes);
  return Array.from({ length: buckets }, (_, k) => {
    let best = names[0];
    for (const name of names) if (outcomes[name][k] > outcomes[best][k]) best = name;
    return best;
  });
}

/** Draws the overview of recording `id` in `container`; resolves once the chart is drawn. */
export async function createOverviewChart(container, id) {
  container.classList.add('panel', 'overview-chart');
  container.dataset.testid = 'overview-chart';
  container.innerHTML = '<h4>returns over the episodes</h4><div class="plot"></div><div class="overview-outcomes"></div>';
  const o = await getOverview(id, 1000);
  const n = o.from.length;
  if (n === 0) {
    container.hidden = true;
    return null;
  }
  const x = o.from.map((f, k) => (f + o.to[k] - 1) / 2);
  const dominant = dominantOutcomes(o.outcomes, n);
  const holder = container.querySelector('.plot');
  const plot = new uPlot({
    width: Math.max(300, holder.clientWidth || 600),
    height: HEIGHT,
    scales: { x: { time: false }, length: {} },
    cursor: { drag: { x: false, y: false } },
    axes: [
      { label: 'episode' },
      { label: 'return', scale: 'y' },
      { label: 'length (steps)', scale: 'length', side: 1, grid: { show: false } },
    ],
    series: [
      { label: 'episode', value: (u, v, s, i) => (i == null ? '—' : episodeLabel(o, i)) },
      { label: 'return max', stroke: 'rgba(47,109,181,0.25)', width: 1, points: { show: false } },
      { label: 'return min', stroke: 'rgba(47,109,181,0.25)', width: 1, points: { show: false } },
      { label: 'mean return', stroke: '#2f6db5', width: 1.5, points: { show: false } },
      { label: `running average (${o.window} episodes)`, stroke: '#c98a2b', width: 2, points: { show: false } },
      { label: 'mean length', stroke: 'rgba(123,94,167,0.55)', width: 1, dash: [4, 3], scale: 'length', points: { show: false } },
    ],
    bands: [{ series: [1, 2], fill: 'rgba(47,109,181,0.12)' }],
    hooks: {
      draw: [(u) => drawOutcomePoints(u, x, o.returnMean, dominant)],
      // Until the pointer is over the chart, the legend shows the latest episodes, not "--".
      ready: [(u) => u.setLegend({ idx: x.length - 1 })],
      setSize: [(u) => u.setLegend({ idx: x.length - 1 })],
      setCursor: [(u) => { if (u.cursor.idx == null) u.setLegend({ idx: x.length - 1 }); }],
    },
  }, [x, o.returnMax, o.returnMin, o.returnMean, o.runningReturn, o.lengthMean], holder);
  plot.over.addEventListener('click', () => {
    const k = plot.cursor.idx;
    if (k != null) location.hash = formatHash({ page: 'episode', rollout: id, episode: o.from[k], step: 0 });
  });
  plot.over.title = 'click a point to open its episode';

  const legend = container.querySelector('.overview-outcomes');
  for (const name of Object.keys(o.outcomes)) {
    if (!o.outcomes[name].some((c) => c > 0)) continue;
    const span = document.createElement('span');
    span.innerHTML = '<i></i>';
    span.querySelector('i').style.background = OUTCOME_COLOURS[name] ?? '#444';
    span.append(` ${name}`);
    legend.appendChild(span);
  }
  container.dataset.drawn = 'true';
  container.dataset.buckets = String(n);
  return plot;
}

function episodeLabel(o, k) {
  return o.to[k] - o.from[k] === 1 ? `episode ${o.from[k]}` : `episodes ${o.from[k]}–${o.to[k] - 1}`;
}

function drawOutcomePoints(u, x, y, dominant) {
  const { ctx } = u;
  ctx.save();
  const r = 2.5 * devicePixelRatio;
  for (let k = 0; k < x.length; k++) {
    ctx.fillStyle = OUTCOME_COLOURS[dominant[k]] ?? '#444';
    ctx.beginPath();
    ctx.arc(u.valToPos(x[k], 'x', true), u.valToPos(y[k], 'y', true), r, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}
