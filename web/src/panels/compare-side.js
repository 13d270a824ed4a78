// One side (A or B) of the compare page: a head naming it in its plot colour with its recording
// (a picker of the served recordings) and episode (the episode search box), how the episode ended
// and the step it shows, then its scene, large. It reads the page's store: at each timeline step
// it draws its own row, or holds its last frame once its episode has ended.
import * as THREE from 'three';
import { loadScene } from '../scenes/index.js';
import { createEpisodeSearch } from '../episode-search.js';
import { heldRow, sideStepText } from '../compare.js';
import { watch } from '../state.js';
import { fmtSig } from '../format.js';

/**
 * Side `key` ('a' or 'b') of the store's `sides` in `container`; `recordings` (GET /api/rollouts)
 * feed the recording picker, `open(side)` opens the comparison with this side replaced.
 */
export async function createCompareSide(container, { key, store, config, recordings, open }) {
  const side = store.get().sides[key];
  const { metadata, summary, rows, loader } = side;
  container.classList.add('cmp-side', `cmp-${key}`);
  container.innerHTML = `
    <div class="cmp-side-head">
      <b class="cmp-key" style="background:${side.colour}">${side.name}</b>
      <select class="cmp-recording" data-testid="compare-recording-${key}" title="the recording of ${side.name}"></select>
      <span class="cmp-episode"></span>
      <span class="kv">return <b></b></span>
      <span class="outcome"></span>
      <span class="cmp-step" data-testid="compare-step-${key}"></span>
    </div>
    <div class="scene cmp-scene" data-testid="compare-scene-${key}"></div>`;
  const $ = (s) => container.querySelector(s);

  const select = $('.cmp-recording');
  for (const r of recordings) {
    const option = new Option(r.id, r.id, false, r.id === side.rollout);
    option.title = `${r.title || r.id} (${r.envId || 'unknown env'}, ${r.episodes} episodes)`;
    select.add(option);
  }
  select.addEventListener('change', () => open({ rollout: select.value, episode: 0 }));
  createEpisodeSearch($('.cmp-episode'), {
    rollout: side.rollout, count: metadata.episodes, episode: side.episode,
    onPick: (episode) => open({ rollout: side.rollout, episode }),
  });
  $('.kv b').textContent = fmtSig(summary.return);
  const outcome = $('.outcome');
  outcome.textContent = side.end;
  outcome.className = `outcome end-${summary.outcome.replace(' ', '-')}`;

  const sceneModule = await loadScene(metadata.envId, config, metadata.observationSpace);
  const scene = sceneModule.create($('.cmp-scene'), metadata, { THREE });
  const label = $('.cmp-step');
  let disposed = false;

  async function show(step) {
    const row = heldRow(step, rows);
    label.textContent = sideStepText(step, rows, side.end);
    label.dataset.step = String(row);
    label.classList.toggle('ended', step > rows - 1);
    let recorded = loader.peek(row);
    if (!recorded) {
      try {
        recorded = await loader.get(row);
      } catch (e) {
        label.textContent = `could not load step ${row}: ${e.message}`;
        return;
      }
    }
    // a later step may have been asked for while this one loaded
    if (!disposed && heldRow(store.get().step, rows) === row) scene.update(recorded.observation);
  }

  const unwatch = watch(store, ['step'], (s) => { show(s.step); });
  return {
    dispose() {
      disposed = true;
      unwatch();
      scene.dispose();
    },
  };
}
