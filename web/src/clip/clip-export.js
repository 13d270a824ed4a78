// Exports a clip: for each planned step, move the page there, wait until the scene (and the
// attribution overlay, when the scene draws one) shows that step, compose the frame and encode it.
// Loaded on demand (the encoders and the rasteriser are a separate chunk of the bundle).
import { createFrameComposer } from './clip-frame.js';
import { createEncoder } from './clip-encoders.js';

/**
 * Encodes `plan` (clip-plan.js). goTo(step) shows a step and resolves once it is drawn;
 * caption(step) is the frame's caption; onProgress(done, total, bytes) after each frame.
 * Resolves {blob, frames, codec, bytes}; rejects with the reason (or an AbortError on `signal`).
 */
export async function exportClip({ plan, sceneEl, goTo, caption, onProgress = () => {}, signal }) {
  const composer = createFrameComposer(sceneEl, plan);
  const encoder = await createEncoder(plan, composer.canvas);
  try {
    for (let i = 0; i < plan.steps.length; i++) {
      if (signal?.aborted) throw new DOMException('the export was cancelled', 'AbortError');
      const step = plan.steps[i];
      await goTo(step);
      await composer.draw(caption(step));
      await encoder.add();
      onProgress(i + 1, plan.steps.length, encoder.bytes);
    }
    const blob = await encoder.finish();
    return { blob, frames: plan.steps.length, codec: encoder.codec, bytes: blob.size };
  } catch (e) {
    await encoder.cancel();
    throw e;
  }
}

/**
 * goTo(step) for the episode page: seeks, then waits for the view state's recorded row of that
 * step and for the attribution panel `attributionEl` to speak of it (its overlay is part of the
 * scene). A panel that fails, asks for confirmation or stalls twice is not waited for again;
 * goTo.note then says why the clip may lack the overlay.
 */
export function episodeFrameSource({ store, seek, attributionEl, waitForAttributions }) {
  let waitAttributions = Boolean(attributionEl && waitForAttributions);
  let stalls = 0;
  const goTo = async (step) => {
    seek(step);
    if (!(await until(() => store.get().recorded?.step === step, 15_000))) {
      throw new Error(`step ${step} did not load within 15 s`);
    }
    if (waitAttributions) {
      // a window of steps is explained per request: a long wait comes once per window
      const settled = () => attributionEl.dataset.step === String(step) && attributionEl.dataset.state !== 'computing';
      stalls = (await until(settled, 20_000)) ? 0 : stalls + 1;
      const state = attributionEl.dataset.state;
      if (stalls >= 2 || state === 'error' || state === 'confirm') {
        waitAttributions = false;
        goTo.note = `the attribution overlay is missing from step ${step} on (the attribution panel: ${stalls >= 2 ? 'no answer' : state})`;
      }
    }
    await nextPaint();
  };
  goTo.note = '';
  return goTo;
}

/** Resolves true once test() holds (checked every animation frame), false after `ms`. */
function until(test, ms) {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const check = () => {
      if (test()) resolve(true);
      else if (performance.now() > end) resolve(false);
      else requestAnimationFrame(check);
    };
    check();
  });
}

// two frames: the scene's render of this step has reached its canvas
const nextPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
