// The compare page: two episodes, A and B (of one recording or two), side by side on one screen.
// Both scenes large at the top, one timeline driving both (steps aligned by index; the shorter
// episode holds its last frame and says when it ended), and below it the plots on one step axis:
// return and each shared observation feature, A, B and B − A. The sides, the plots and the
// timeline read one store (state.js); the URL follows its step.
import { episodeLoader, getConfig, getEpisode, getRollout, listRollouts } from '../data.js';
import { createStore, watch } from '../state.js';
import { createTimeline } from '../timeline.js';
import { baseFps } from '../playback.js';
import { episodeEnd } from '../tables.js';
import { COLOURS } from '../panels/step-plot.js';
import { createCompareSide } from '../panels/compare-side.js';
import { createComparePlots } from '../panels/compare-plots.js';

/** Rows per episode the plots load at most (20 Arrow chunks each); the scenes still play every step. */
export const PLOT_ROWS = 20_000;

const SIDES = [['a', 'A', COLOURS[0]], ['b', 'B', COLOURS[1]]];

/** One side's metadata and episode summary; a bad recording or episode fails naming the side. */
async function loadSide(key, name, route) {
  const where = route[key];
  if (!where) {
    throw new Error(`the compare link names no episode ${name}: it takes a=RECORDING/EPISODE&b=RECORDING/EPISODE, e.g. #/compare?a=cartpole/0&b=cartpole/1`);
  }
  try {
    const [metadata, summary] = await Promise.all([getRollout(where.rollout), getEpisode(where.rollout, where.episode)]);
    return { metadata, summary };
  } catch (e) {
    throw new Error(`${name} (${where.rollout}, episode ${where.episode}): ${e.message}`);
  }
}

/** Shows the comparison `route` names ({a, b, step}); returns {key, seek, dispose}. */
export async function showCompare(root, route, navigate) {
  root.innerHTML = '<div class="loading">loading…</div>';
  const [config, recordings, ...settled] = await Promise.all([
    getConfig().catch(() => ({})), listRollouts().catch(() => []),
    ...[['a', 'A'], ['b', 'B']].map(([key, name]) => loadSide(key, name, route).then((value) => ({ value }), (error) => ({ error }))),
  ]);
  // both sides' faults at once: a link with two wrong halves is fixed in one go
  const faults = settled.filter((r) => r.error).map((r) => r.error.message);
  if (faults.length) throw new Error(faults.join('\n'));
  const [loadedA, loadedB] = settled.map((r) => r.value);
  const sides = {};
  const store = createStore({ step: 0, how: 'init', playing: false, sides, loaded: 0 });
  let loadedCount = 0;
  for (const [[key, name, colour], { metadata, summary }] of SIDES.map((s, i) => [s, [loadedA, loadedB][i]])) {
    const { rollout, episode } = route[key];
    const totalRows = summary.complete === false ? summary.length : summary.length + 1;
    const rows = Math.min(totalRows, PLOT_ROWS);
    const end = summary.envOutcome ? `${summary.envOutcome}, ${episodeEnd(summary)}` : episodeEnd(summary);
    const recorded = new Array(rows).fill(null); // the rows the plots read, as they arrive
    const loader = episodeLoader(rollout, episode, totalRows, metadata.observationSpace, (index, from, chunk) => {
      chunk.forEach((r, k) => { if (from + k < rows) recorded[from + k] = r; });
      store.set({ loaded: ++loadedCount });
    });
    sides[key] = {
      key, name, colour, rollout, episode, metadata, summary, rows: totalRows, totalRows, end, loader, recorded,
      title: `${rollout}${metadata.title ? ` (${metadata.title})` : ''}, episode ${episode}: ${summary.length} steps, ${end}`,
    };
  }
  const { a, b } = sides;
  const length = Math.max(a.rows, b.rows);
  const plotted = Math.max(a.recorded.length, b.recorded.length);

  document.body.classList.add('workbench-page');
  root.innerHTML = `
    <div class="compare" data-testid="compare-page">
      <div class="cmp-head" data-testid="compare-header"><a href="#/">recordings</a> <span class="sep">›</span>
        <b>compare</b> <span class="cmp-what"></span> <button type="button" class="cmp-swap" title="swap A and B">⇄ swap</button></div>
      <div class="cmp-scenes"><div></div><div></div></div>
      <div class="cmp-timeline"></div>
      <div class="cmp-plot-area"></div>
    </div>`;
  const $ = (s) => root.querySelector(s);
  $('.cmp-what').textContent = `A: ${a.rollout} episode ${a.episode} · B: ${b.rollout} episode ${b.episode}`;
  const go = (next, replace = false) => navigate({ page: 'compare', a: route.a, b: route.b, step: store.get().step, ...next }, { silent: false, replace });
  $('.cmp-swap').addEventListener('click', () => go({ a: route.b, b: route.a }));

  const [paneA, paneB] = $('.cmp-scenes').children;
  const parts = await Promise.all([['a', paneA], ['b', paneB]].map(([key, container]) => createCompareSide(container, {
    key, store, config, recordings, open: (side) => go({ [key]: side, step: 0 }),
  })));
  const plots = createComparePlots($('.cmp-plot-area'), store, { length: plotted });

  const timeline = createTimeline($('.cmp-timeline'), {
    rows: length,
    fps: baseFps(a.metadata),
    onStep: (step, how) => store.set({ step, how }),
    onPlaying: (playing) => store.set({ playing }),
  });
  const onSeek = (e) => timeline.seek(e.detail.step, 'seek');
  $('.cmp-plot-area').addEventListener('rld-seek', onSeek);

  // the plots want every row (up to PLOT_ROWS): both episodes' chunks in the background, in turn
  let disposed = false;
  (async () => {
    const chunks = (s) => Math.ceil(s.recorded.length / s.loader.size);
    for (let i = 0; i < Math.max(chunks(a), chunks(b)) && !disposed; i++) {
      await Promise.all([a, b].filter((s) => i < chunks(s)).map((s) => s.loader.chunk(i).catch(() => {})));
    }
  })();

  const unwatch = watch(store, ['step'], (s) => {
    navigate({ page: 'compare', a: route.a, b: route.b, step: s.step }, { replace: ['play', 'step', 'scrub', 'init'].includes(s.how) });
  });
  timeline.seek(Math.min(route.step, length - 1), 'init');

  return {
    /** The comparison shown: a route with the same sides only moves the timeline. */
    key: compareKey(route),
    seek: (step) => timeline.seek(step),
    dispose() {
      disposed = true;
      unwatch();
      $('.cmp-plot-area').removeEventListener('rld-seek', onSeek);
      timeline.dispose();
      plots.dispose();
      parts.forEach((p) => p.dispose());
      document.body.classList.remove('workbench-page');
    },
  };
}

/** What a compare route compares (its sides, not its step). */
export const compareKey = (route) => JSON.stringify([route.a, route.b]);
