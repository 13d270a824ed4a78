// "Clip": exports the episode, or a range of it, as a WebM video or an animated GIF of the scene
// with its overlays and a step counter. A button at the end of the timeline opens a small form
// (format, steps, every k-th step, frame rate) that says what the clip will be before it is made,
// then a progress bar while frames are encoded; the result downloads and stays as a link.
import { CLIP_LIMITS, captionText, clipFileName, formatBytes, planClip } from '../clip/clip-plan.js';

/**
 * The clip control after the timeline's slider in `timelineEl`. `store`: the page's view state;
 * `seek(step, how)` and `pause()`: the timeline's; `sceneEl`: the scene's element; `attributionEl`:
 * the attribution panel's (its overlay is waited for when the scene draws one).
 */
export function createClipControl(timelineEl, { store, seek, pause, sceneEl, attributionEl, sceneDrawsOverlay, recording, metadata, episode, rows, fps }) {
  const last = Math.max(0, rows - 1);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'clip-button';
  button.dataset.testid = 'clip-button';
  button.title = 'Export the episode or a range as a video or GIF';
  button.textContent = '⤓ clip';
  timelineEl.appendChild(button);

  const form = document.createElement('div');
  form.className = 'clip-popover';
  form.dataset.testid = 'clip-dialog';
  form.hidden = true;
  form.innerHTML = `
    <div class="clip-title">Export a clip <button type="button" class="clip-close" title="close">×</button></div>
    <label>format <select data-testid="clip-format">
      <option value="webm">WebM video (VP9)</option><option value="gif">animated GIF</option></select></label>
    <div class="clip-row"><label>steps <input type="number" data-testid="clip-from" min="0" max="${last}" step="1" value="0"></label>
      <label>to <input type="number" data-testid="clip-to" min="0" max="${last}" step="1" value="${last}"></label>
      <button type="button" data-range="here" title="from the current step">from here</button>
      <button type="button" data-range="all">whole episode</button></div>
    <div class="clip-row"><label>every <input type="number" data-testid="clip-every" min="1" step="1" value="1"> step(s)</label>
      <label>at <input type="number" data-testid="clip-fps" min="1" max="120" step="1" value="${Math.round(fps)}"> frames/s</label></div>
    <div class="clip-summary" data-testid="clip-summary"></div>
    <div class="clip-row"><button type="button" class="clip-go" data-testid="clip-export">export</button>
      <button type="button" class="clip-cancel" data-testid="clip-cancel" hidden>cancel</button>
      <progress data-testid="clip-progress" max="1" value="0" hidden></progress></div>
    <div class="clip-message" data-testid="clip-message"></div>
    <a class="clip-download" data-testid="clip-download" hidden></a>`;
  document.body.appendChild(form);
  const $ = (id) => form.querySelector(`[data-testid="${id}"]`);
  const fields = { format: $('clip-format'), from: $('clip-from'), to: $('clip-to'), every: $('clip-every'), fps: $('clip-fps') };
  const progress = $('clip-progress');
  const message = $('clip-message');
  const link = $('clip-download');
  let controller = null;
  let url = null;

  function plan() {
    const box = sceneEl.getBoundingClientRect();
    return planClip({
      format: fields.format.value, from: Number(fields.from.value), to: Number(fields.to.value), last,
      every: Number(fields.every.value), fps: Number(fields.fps.value), sceneWidth: box.width, sceneHeight: box.height,
    });
  }

  function summarise() {
    const p = plan();
    const summary = $('clip-summary');
    summary.classList.toggle('error', Boolean(p.error));
    summary.textContent = p.error || `${p.steps.length} frames · ${(p.steps.length / p.fps).toFixed(1)} s at ${p.fps} frames/s · `
      + `${p.width}×${p.height} px · at most ${formatBytes(CLIP_LIMITS[p.format].maxBytes)}`;
    $('clip-export').disabled = Boolean(p.error) || controller !== null;
    return p;
  }

  function place() {
    const r = button.getBoundingClientRect();
    form.style.right = `${Math.max(8, window.innerWidth - r.right)}px`;
    form.style.bottom = `${window.innerHeight - r.top + 6}px`;
  }

  function open(show) {
    form.hidden = !show;
    button.setAttribute('aria-expanded', String(show));
    if (show) {
      const sel = store.get().selection;
      if (sel && Number.isInteger(sel.from) && Number.isInteger(sel.to)) {
        fields.from.value = String(sel.from);
        fields.to.value = String(sel.to);
      }
      place();
      summarise();
    }
  }

  async function run() {
    const p = summarise();
    if (p.error) return;
    pause();
    const back = store.get().step;
    controller = new AbortController();
    const started = performance.now();
    message.textContent = '';
    message.classList.remove('error');
    link.hidden = true;
    progress.hidden = false;
    progress.max = p.steps.length;
    progress.value = 0;
    $('clip-cancel').hidden = false;
    summarise();
    form.dataset.state = 'encoding';
    let goTo = null;
    try {
      const { exportClip, episodeFrameSource } = await import('../clip/clip-export.js');
      goTo = episodeFrameSource({ store, seek: (s) => seek(s, 'clip'), attributionEl, waitForAttributions: sceneDrawsOverlay });
      const result = await exportClip({
        plan: p, sceneEl, goTo, signal: controller.signal,
        caption: (step) => {
          const row = store.get().recorded?.row;
          return captionText({ envId: metadata.envId, episode, step, last, reward: row?.reward, action: row?.action, actionSpace: metadata.actionSpace });
        },
        onProgress: (done, total, bytes) => {
          progress.value = done;
          message.textContent = `frame ${done} / ${total} · ${formatBytes(bytes)}`;
        },
      });
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(result.blob);
      link.href = url;
      link.download = clipFileName(recording, episode, p);
      link.textContent = `download ${link.download} (${formatBytes(result.bytes)})`;
      link.dataset.frames = String(result.frames);
      link.dataset.bytes = String(result.bytes);
      link.dataset.codec = result.codec;
      link.hidden = false;
      message.textContent = `${result.frames} frames encoded in ${((performance.now() - started) / 1000).toFixed(1)} s (${result.codec})`
        + (goTo.note ? `; ${goTo.note}` : '');
      form.dataset.state = 'done';
      link.click();
    } catch (e) {
      message.textContent = e.name === 'AbortError' ? 'cancelled' : `could not export the clip: ${e.message || e}`;
      message.classList.toggle('error', e.name !== 'AbortError');
      form.dataset.state = e.name === 'AbortError' ? 'cancelled' : 'error';
    } finally {
      controller = null;
      progress.hidden = true;
      $('clip-cancel').hidden = true;
      seek(back, 'clip');
      summarise();
    }
  }

  button.addEventListener('click', () => open(form.hidden));
  form.querySelector('.clip-close').addEventListener('click', () => open(false));
  form.addEventListener('input', summarise);
  form.addEventListener('click', (e) => {
    const range = e.target.closest('[data-range]')?.dataset.range;
    if (range === 'here') fields.from.value = String(store.get().step);
    if (range === 'all') {
      fields.from.value = '0';
      fields.to.value = String(last);
    }
    if (range) summarise();
  });
  // keys typed in the form are not the timeline's shortcuts
  form.addEventListener('keydown', (e) => e.stopPropagation());
  $('clip-export').addEventListener('click', run);
  $('clip-cancel').addEventListener('click', () => controller?.abort());
  window.addEventListener('resize', place);

  return {
    dispose() {
      controller?.abort();
      window.removeEventListener('resize', place);
      if (url) URL.revokeObjectURL(url);
      form.remove();
      button.remove();
    },
  };
}
