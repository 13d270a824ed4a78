// The episode page: scene, timeline and panels, kept on the step of the URL.
import * as THREE from 'three';
import { episodeLoader, getConfig, getEpisode, getRollout } from '../data.js';
import { createTimeline } from '../timeline.js';
import { baseFps } from '../playback.js';
import { loadScene } from '../scenes/index.js';
import { createObservationPanel } from '../panels/observation.js';
import { createActionPanel } from '../panels/action.js';
import { createRewardPanel } from '../panels/reward.js';
import { createAttributionPanel } from '../panels/attribution.js';
import { createProbabilityPanel } from '../panels/probabilities.js';
import { createAttributionPlot } from '../panels/attribution-plot.js';

/** Shows episode `route.episode` of `route.rollout` at `route.step`; returns {rollout, episode, seek, dispose}. */
export async function showEpisode(root, route, navigate) {
  root.innerHTML = '<div class="loading">loading…</div>';
  // Only this episode's summary: the picker asks the server for others as the user searches.
  const [metadata, ep, config] = await Promise.all([
    getRollout(route.rollout), getEpisode(route.rollout, route.episode), getConfig().catch(() => ({})),
  ]);
  const rows = ep.complete === false ? ep.length : ep.length + 1;

  root.innerHTML = `
    <div class="episode-head"><a href="#/">recordings</a> › <b></b></div>
    <div class="episode-grid">
      <div class="left"><div class="scene"></div><div class="timeline-box"></div><div class="reward"></div><div class="prob-plot"></div><div class="attr-plot"></div></div>
      <div class="right"><div class="obs"></div><div class="action"></div><div class="attr"></div></div>
    </div>`;
  root.querySelector('.episode-head b').textContent =
    `${route.rollout} (${metadata.envId || 'unknown env'}) — episode ${ep.index}: ${ep.length} steps, return ${ep.return}`;
  const $ = (sel) => root.querySelector(sel);

  const sceneModule = await loadScene(metadata.envId, config, metadata.observationSpace);
  // The third argument lends scenes loaded at run time (--viewer-file) the bundled libraries.
  const scene = sceneModule.create($('.scene'), metadata, { THREE });
  const observation = createObservationPanel($('.obs'), metadata);
  const action = createActionPanel($('.action'), metadata);
  const reward = createRewardPanel($('.reward'), rows);
  const probabilities = createProbabilityPanel($('.prob-plot'), rows, metadata);
  const attributionPlot = createAttributionPlot($('.attr-plot'));
  const attribution = createAttributionPanel($('.attr'), {
    rollout: route.rollout, episode: ep.index, rows, metadata, scene,
    onAnswer: (answer, from, to) => attributionPlot.show(answer, from, to),
  });

  let disposed = false;
  let wanted = 0;
  const loader = episodeLoader(route.rollout, ep.index, rows, metadata.observationSpace, (index, from, chunk) => {
    reward.addRows(from, chunk);
    probabilities.addRows(from, chunk);
  });
  // the plot wants every reward: fetch the episode's chunks in the background, one at a time (capped)
  (async () => {
    const chunks = Math.min(Math.ceil(rows / loader.size), 50);
    for (let i = 0; i < chunks && !disposed; i++) await loader.chunk(i).catch(() => {});
  })();

  async function showStep(step, how) {
    wanted = step;
    reward.setStep(step);
    probabilities.setStep(step);
    attributionPlot.setStep(step);
    let row = loader.peek(step);
    if (!row) {
      try {
        row = await loader.get(step);
      } catch (e) {
        $('.episode-head b').textContent = `could not load step ${step}: ${e.message}`;
        return;
      }
    } else {
      loader.get(step).catch(() => {}); // keep the next chunk coming
    }
    if (disposed || wanted !== step) return;
    scene.update(row.observation);
    observation.update(row);
    action.update(row);
    attribution.update(step, row, how === 'play');
  }

  const timeline = createTimeline($('.timeline-box'), {
    rollout: route.rollout,
    episodes: metadata.episodes,
    episode: ep.index,
    rows,
    fps: baseFps(metadata),
    onStep(step, how) {
      showStep(step, how);
      navigate({ page: 'episode', rollout: route.rollout, episode: ep.index, step },
        { replace: how === 'play' || how === 'step' || how === 'scrub' || how === 'init' });
    },
    onEpisode(index) {
      navigate({ page: 'episode', rollout: route.rollout, episode: index, step: 0 }, { silent: false });
    },
  });
  timeline.seek(Math.min(route.step, rows - 1), 'init');

  return {
    rollout: route.rollout,
    episode: ep.index,
    seek: (step) => timeline.seek(step),
    dispose() {
      disposed = true;
      timeline.dispose();
      attribution.dispose();
      reward.dispose();
      probabilities.dispose();
      attributionPlot.dispose();
      scene.dispose();
    },
  };
}
