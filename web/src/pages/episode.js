// The episode page: a one-screen workbench (workbench.js) whose scene, panels, plots and timeline
// all read one view state (state.js). The timeline and the plots write the step into it; the
// scene and the panels redraw from it; the URL follows it. Observation surgery: the surgery
// controls (in the observation panel) and the scene write `edits`, the probe asks the server
// about the edited observation, and the scene, action and attribution panels show its answer.
import * as THREE from 'three';
import { getConfig, getEpisode, getRollout, getSeries, recordedEpisodeLoader } from '../data.js';
import { createTimeline } from '../timeline.js';
import { baseFps } from '../playback.js';
import { loadScene } from '../scenes/index.js';
import { createObservationPanel } from '../panels/observation.js';
import { createActionPanel } from '../panels/action.js';
import { createInfosPanel } from '../panels/infos.js';
import { createAttributionPanel } from '../panels/attribution.js';
import { createAttributionPlot } from '../panels/attribution-plot.js';
import { createRecordedPlots } from '../panels/recorded-plots.js';
import { createViewState, watch } from '../state.js';
import { createWorkbench } from '../workbench.js';
import { createEpisodeHeader } from '../panels/header.js';
import { createSurgeryPanel } from '../panels/surgery.js';
import { createProbe } from '../probe.js';
import { applyEdits, decodeEdits, emptyEdits, encodeEdits } from '../edits.js';
import { createLandscapeDock } from '../landscape-dock.js';
import { createPolicyFeed } from '../policy-arrows.js';
import { createClipControl } from '../panels/clip.js';
import { createCompareLink } from '../compare-link.js';
import { createHotspotPanel } from '../panels/hotspots.js';
import { createTimelineMarks } from '../timeline-marks.js';
import { createDisagreementStrip } from '../panels/disagreement-strip.js';
import { createEpisodeLive } from '../episode-live.js';
import { episodeRows } from '../live.js';

/** Episodes longer than this plot their server-side series (50 chunks of rows would be fetched otherwise). */
export const LONG_EPISODE_ROWS = 50_000;
const SERIES_BUCKETS = 2000;

/** The URL text of the view's edit (undefined when not editing). */
const editText = (s) => (s.edits ? encodeEdits(s.edits) : undefined);

/** Shows episode `route.episode` of `route.rollout` at `route.step`; returns {rollout, episode, seek, dispose}. */
export async function showEpisode(root, route, navigate) {
  root.innerHTML = '<div class="loading">loading…</div>';
  // Only this episode's summary: the picker asks the server for others as the user searches.
  const [metadata, ep, config] = await Promise.all([
    getRollout(route.rollout), getEpisode(route.rollout, route.episode), getConfig().catch(() => ({})),
  ]);
  let rows = episodeRows(ep); // grows while a live recording's last episode is recorded

  document.body.classList.add('workbench-page');
  const wb = createWorkbench(root);
  const startStep = Math.min(route.step, rows - 1);
  const header = createEpisodeHeader(wb.head, { recording: route.rollout, metadata, episode: ep, rows });
  const size = (metadata.features?.observations || []).length;
  /** The edit a route's ?edit= names at `step` (null without one; a broken one is said in the header). */
  const routeEdits = (edit, step) => {
    if (typeof edit !== 'string') return null;
    const { edits, error } = decodeEdits(edit, step, size);
    if (error) header.error(error);
    return edits || null;
  };
  const state = createViewState({ recording: route.rollout, episode: ep.index, step: startStep, edits: routeEdits(route.edit, startStep) });

  const compareLink = createCompareLink(wb.head.querySelector('.ep'), state, { rollout: route.rollout, episode: ep.index, episodes: metadata.episodes });

  const sceneModule = await loadScene(metadata.envId, config, metadata.observationSpace);
  // The third argument lends scenes loaded at run time (--viewer-file) the bundled libraries.
  const scene = sceneModule.create(wb.scene, metadata, { THREE });
  const observation = createObservationPanel(wb.panels.observation, metadata);
  const surgery = createSurgeryPanel(wb.panels.observation, { store: state, metadata });
  const action = createActionPanel(wb.panels.action, metadata, state);
  const infos = createInfosPanel(wb.panels.infos);

  wb.timeline.innerHTML = '<div class="timeline-box"></div><div class="timeline-body">'
    + '<div class="hotspot-column"></div><div class="plot-stack" data-testid="plot-stack"></div></div>';
  const stack = wb.timeline.querySelector('.plot-stack');
  const plots = createRecordedPlots(stack, { rows, metadata });
  // two policies attached: where they disagree, pinned above the plots
  const strip = metadata.comparePolicy ? createDisagreementStrip(stack, { rollout: route.rollout, episode: ep.index, rows, metadata }) : null;
  // Past this many rows the plots draw from the server's buckets of steps, not from the rows.
  const long = rows > LONG_EPISODE_ROWS;
  if (long) {
    getSeries(route.rollout, ep.index, SERIES_BUCKETS).then((series) => plots.showSeries(series))
      .catch((e) => header.error(`could not load the episode's series: ${e.message}`));
  }
  // the attribution engineer's plot gets the last slot of the stack
  const attrSlot = document.createElement('div');
  attrSlot.dataset.order = '90';
  attrSlot.className = 'attr-plot';
  stack.appendChild(attrSlot);
  const attributionPlot = createAttributionPlot(attrSlot);
  const loadedRows = []; // rows as they arrive: the landscape's ranges and trajectory
  const dock = createLandscapeDock(wb.dock, state, { rollout: route.rollout, metadata, rowsSoFar: () => loadedRows });
  const attribution = createAttributionPanel(wb.panels.attribution, {
    rollout: route.rollout, episode: ep.index, rows, metadata, scene, store: state,
    onAnswer: (answer, from, to) => {
      attributionPlot.show(answer, from, to);
      dock.setAttributions(answer);
    },
  });

  let disposed = false; // rows as they arrive: the landscape's ranges and trajectory
  const loader = recordedEpisodeLoader(route.rollout, ep.index, rows, metadata.observationSpace, (index, from, chunk) => {
    plots.addRows(from, chunk);
    header.addRows(from, chunk);
    surgery.addRows(chunk);
    if (!long) chunk.forEach((r, k) => { loadedRows[from + k] = r; });
  });
  const probe = createProbe(state, { rollout: route.rollout, metadata });
  const stopSceneEditing = typeof scene.enableEditing === 'function' ? scene.enableEditing(state) : () => {};
  const policyFeed = createPolicyFeed(scene, state, { rollout: route.rollout, metadata });
  const onPolicyWanted = () => policyFeed.refresh();
  wb.scene.addEventListener('rld-policy-wanted', onPolicyWanted);
  // the plots want every row: fetch the episode's chunks in the background, one at a time (capped),
  // the last one first: its infos say how the episode ended (the header)
  (async () => {
    const chunks = long ? 0 : Math.min(Math.ceil(rows / loader.size), 50);
    await loader.get(rows - 1).catch(() => {});
    for (let i = 0; i < chunks && !disposed; i++) await loader.chunk(i).catch(() => {});
  })();

  async function showStep({ step, how }) {
    let row = loader.peek(step);
    if (!row) {
      try {
        row = await loader.get(step);
      } catch (e) {
        header.error(`could not load step ${step}: ${e.message}`);
        return;
      }
    } else {
      loader.get(step).catch(() => {}); // keep the next chunk coming
    }
    if (disposed || state.get().step !== step) return;
    state.set({ recorded: { step, row } });
    observation.update(row);
    action.update(row);
    infos.update(row);
    attribution.update(step, row, how === 'play');
  }

  const timeline = createTimeline(wb.timeline.querySelector('.timeline-box'), {
    rollout: route.rollout,
    episodes: metadata.episodes,
    episode: ep.index,
    rows,
    fps: baseFps(metadata),
    onStep: (step, how) => state.set({ step, how }),
    onPlaying: (playing) => state.set({ playing }),
    onEpisode(index) {
      navigate({ page: 'episode', rollout: route.rollout, episode: index, step: 0 }, { silent: false });
    },
  });
  const clip = createClipControl(wb.timeline.querySelector('.timeline-box'), {
    store: state, seek: timeline.seek, pause: timeline.pause, sceneEl: wb.scene, attributionEl: wb.panels.attribution,
    sceneDrawsOverlay: typeof scene.overlay === 'function', recording: route.rollout, metadata, episode: ep.index, rows, fps: baseFps(metadata),
  });
  const hotspots = createHotspotPanel(wb.timeline.querySelector('.hotspot-column'), {
    store: state, rollout: route.rollout, episode: ep.index, rows, timelineEl: wb.timeline.querySelector('.timeline-box'), seek: timeline.seek,
  });
  const stopMarks = createTimelineMarks(timeline.marks, state, { last: () => timeline.last, seek: timeline.seek });
  // A live recording: the episode grows (the scene, plots, timeline and hotspots take the new
  // rows; the attribution panel and clips keep the rows the page opened with), and "follow" plays on.
  function growTo(next) {
    const n = episodeRows(next);
    header.grow(next, Math.max(n, rows));
    if (n <= rows) return;
    const from = rows;
    rows = n;
    loader.grow(n);
    timeline.setRows(n);
    plots.grow(n);
    hotspots.grow(n);
    if (long) return;
    (async () => {
      for (let i = Math.floor((from - 1) / loader.size); i * loader.size < n && !disposed; i++) {
        await loader.chunk(i).catch(() => {});
      }
    })();
  }
  const live = createEpisodeLive(header.badgeSlot, {
    rollout: route.rollout, metadata, episode: ep, timeline, onGrow: growTo,
    onJump: (index) => navigate({ page: 'episode', rollout: route.rollout, episode: index, step: 0 }, { silent: false }),
  });
  const onSeek = (e) => timeline.seek(e.detail.step, 'seek');
  stack.addEventListener('rld-seek', onSeek);

  const unsubscribe = [
    watch(state, ['step'], (s) => {
      // an edit belongs to its step: another step starts from its own recorded observation
      if (s.edits && s.edits.step !== s.step) state.set({ edits: emptyEdits(s.step) });
      plots.setStep(s.step);
      strip?.setStep(s.step);
      attributionPlot.setStep(s.step);
      header.setStep(s.step);
      showStep(s);
      navigate({ page: 'episode', rollout: route.rollout, episode: ep.index, step: s.step, edit: editText(state.get()) },
        { replace: ['play', 'step', 'scrub', 'init', 'clip'].includes(s.how) });
    }),
    // the scene draws the edited observation while there is an edit
    watch(state, ['recorded', 'edits'], ({ recorded, edits }) => {
      if (!recorded) return;
      scene.update(edits && edits.step === recorded.step ? applyEdits(recorded.row.observation, edits) : recorded.row.observation);
    }),
    state.subscribe((s, changed) => {
      if (changed.includes('playing') && !s.playing) live.ended();
      if (changed.includes('edits') && !changed.includes('step')) {
        navigate({ page: 'episode', rollout: route.rollout, episode: ep.index, step: s.step, edit: editText(s) }, { replace: true });
      }
    }),
  ];
  timeline.seek(state.get().step, 'init');
  if (live.following) timeline.play();

  return {
    rollout: route.rollout,
    episode: ep.index,
    state,
    /** Back or forward within the episode: the route's step, and its edit (or none). */
    seek(step, edit) {
      timeline.seek(step);
      state.set({ edits: routeEdits(edit, state.get().step) });
    },
    dispose() {
      disposed = true;
      live.dispose();
      unsubscribe.forEach((u) => u());
      compareLink.dispose();
      probe.dispose();
      stopSceneEditing();
      surgery.dispose();
      dock.dispose();
      policyFeed.dispose();
      wb.scene.removeEventListener('rld-policy-wanted', onPolicyWanted);
      stack.removeEventListener('rld-seek', onSeek);
      clip.dispose();
      hotspots.dispose();
      stopMarks();
      timeline.dispose();
      attribution.dispose();
      plots.dispose();
      strip?.dispose();
      attributionPlot.dispose();
      scene.dispose();
      document.body.classList.remove('workbench-page');
    },
  };
}
