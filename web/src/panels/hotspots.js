// The hotspot list: the moments of the episode worth a look, as the server's detectors found them
// (docs/api.md "Hotspots"), and the user's own notes. A click, or N / P, goes to one; "+ note" on
// the timeline adds a note (saved beside the recording, never in it). Writes `hotspots` into the
// page's view state, which the timeline's marks draw; reads `step` to show where the user is.
import { createAnnotation, deleteAnnotation, getAnnotations, getHotspots, updateAnnotation } from '../data.js';
import { watch } from '../state.js';
import { detectorSummary, hotspotKind, hotspotsAt, mergeHotspots, nextHotspotStep, rangeText } from '../hotspot-kinds.js';
import { createAnnotationForm } from './annotation-form.js';

/**
 * The list in `container`, the "+ note" button at the end of `timelineEl`; `seek(step, how)` is
 * the timeline's. Returns {dispose}.
 */
export function createHotspotPanel(container, { store, rollout, episode, rows, timelineEl, seek }) {
  let last = Math.max(0, rows - 1);
  container.classList.add('hotspot-panel');
  container.innerHTML = `
    <div class="hs-head"><h3>Hotspots</h3><span class="hs-count" data-testid="hotspot-count"></span>
      <span class="hs-keys" title="next / previous hotspot"><kbd>N</kbd> <kbd>P</kbd></span></div>
    <div class="hs-status" data-testid="hotspot-status" data-state="loading">finding hotspots…</div>
    <ol class="hs-list" data-testid="hotspot-list"></ol>`;
  const status = container.querySelector('.hs-status');
  const listEl = container.querySelector('.hs-list');
  const addButton = document.createElement('button');
  addButton.type = 'button';
  addButton.className = 'note-button';
  addButton.dataset.testid = 'note-add';
  addButton.title = 'Add a note at this step (or the selected steps), saved beside the recording';
  addButton.textContent = '+ note';
  timelineEl.appendChild(addButton);

  let server = { hotspots: [], detectors: [] };
  let notes = { annotations: [], writable: false };
  let disposed = false;

  const form = createAnnotationForm({
    last,
    async onSave(value, existing) {
      if (existing) await updateAnnotation(rollout, existing.id, { episode, ...value });
      else await createAnnotation(rollout, { episode, ...value });
      await loadNotes();
    },
    async onDelete(existing) {
      await deleteAnnotation(rollout, existing.id);
      await loadNotes();
    },
  });

  function publish() {
    store.set({ hotspots: { list: mergeHotspots(server.hotspots, notes.annotations, last), detectors: server.detectors } });
  }

  async function loadNotes() {
    try {
      notes = await getAnnotations(rollout, episode);
    } catch (e) {
      notes = { annotations: [], writable: false, error: e.message };
    }
    if (disposed) return;
    addButton.disabled = !notes.writable;
    if (!notes.writable) addButton.title = notes.error ? `Notes are off: ${notes.error}` : 'Notes are off: the recording\'s folder is read-only';
    publish();
  }

  function item(h) {
    const li = document.createElement('li');
    li.dataset.testid = 'hotspot-item';
    li.dataset.kind = h.kind;
    li.dataset.from = String(h.from);
    li.dataset.to = String(h.to);
    li.tabIndex = 0;
    const kind = hotspotKind(h.kind);
    const top = document.createElement('div');
    top.className = 'hs-top';
    const swatch = document.createElement('i');
    swatch.style.background = kind.colour;
    const label = document.createElement('span');
    label.className = 'hs-kind';
    label.textContent = h.kind === 'note' ? h.title : kind.label;
    const range = document.createElement('span');
    range.className = 'hs-range';
    range.textContent = rangeText(h);
    top.append(swatch, label, range);
    if (h.score !== null && h.score !== undefined) {
      const score = document.createElement('span');
      score.className = 'hs-score';
      score.title = 'score: 0 (mild) to 1 (strong), comparable across kinds';
      score.textContent = h.score.toFixed(2);
      top.append(score);
    }
    if (h.annotation && notes.writable) {
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'hs-edit';
      edit.dataset.testid = 'note-edit';
      edit.title = 'edit or delete this note';
      edit.textContent = '✎';
      top.append(edit);
    }
    li.append(top);
    if (h.reason) {
      const reason = document.createElement('div');
      reason.className = 'hs-reason';
      reason.textContent = h.kind === 'note' ? h.reason : h.reason;
      reason.title = h.reason;
      li.append(reason);
    }
    li.hotspot = h;
    return li;
  }

  const stopList = watch(store, ['hotspots'], ({ hotspots }) => {
    const list = hotspots?.list || [];
    listEl.replaceChildren(...list.map(item));
    container.querySelector('.hs-count').textContent = hotspots ? `${list.length}` : '';
    markCurrent(store.get().step, false);
  });

  function markCurrent(step, scroll) {
    const here = new Set(hotspotsAt(store.get().hotspots?.list || [], step));
    let first = null;
    for (const li of listEl.children) {
      const on = here.has(li.hotspot);
      li.classList.toggle('current', on);
      if (on && !first) first = li;
    }
    if (scroll && first) first.scrollIntoView({ block: 'nearest' });
  }
  const stopStep = watch(store, ['step'], ({ step, how }) => markCurrent(step, how === 'hotspot'));

  listEl.addEventListener('click', (e) => {
    const li = e.target.closest('li');
    if (!li) return;
    const h = li.hotspot;
    if (e.target.closest('.hs-edit')) {
      form.open(e.target, { from: h.from, to: h.to, title: h.annotation.title, note: h.annotation.note || '' }, h.annotation);
      return;
    }
    store.set({ selection: { from: h.from, to: h.to } });
    seek(h.from, 'hotspot');
  });
  listEl.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.matches('li')) e.target.click();
  });
  addButton.addEventListener('click', () => {
    const { step, selection } = store.get();
    const sel = selection && Number.isInteger(selection.from) && Number.isInteger(selection.to) && selection.from <= step && step <= selection.to;
    form.open(addButton, sel ? { from: selection.from, to: selection.to } : { from: step, to: step });
  });

  function onKey(e) {
    const t = e.target;
    if (t && (t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'range' && t.type !== 'checkbox'))) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const dir = { n: 1, N: 1, p: -1, P: -1 }[e.key];
    if (!dir) return;
    e.preventDefault();
    const to = nextHotspotStep(store.get().hotspots?.list || [], store.get().step, dir);
    if (to !== null) seek(to, 'hotspot');
  }
  document.addEventListener('keydown', onKey);

  // the detectors run on the server the first time an episode is asked for: say so meanwhile
  const abort = new AbortController();
  Promise.all([
    getHotspots(rollout, episode, abort.signal).then((answer) => { server = answer; }, (e) => {
      if (e.name === 'AbortError') throw e;
      status.classList.add('error');
      status.textContent = `could not find hotspots: ${e.message}`;
      status.dataset.state = 'error';
    }),
    loadNotes(),
  ]).then(() => {
    if (disposed) return;
    if (status.dataset.state !== 'error') {
      const summary = detectorSummary(server.detectors);
      status.textContent = summary.line;
      status.title = summary.detail;
      status.dataset.state = 'done';
    }
    publish();
  }, () => {});

  let askedAt = 0;
  return {
    /** A live episode grew to `n` rows: its hotspots are asked for again (at most every 5 s). */
    grow(n) {
      last = Math.max(0, n - 1);
      if (Date.now() - askedAt < 5000) {
        publish();
        return;
      }
      askedAt = Date.now();
      getHotspots(rollout, episode, abort.signal).then((answer) => {
        server = answer;
        if (!disposed) publish();
      }, () => {});
    },
    dispose() {
      disposed = true;
      abort.abort();
      stopList();
      stopStep();
      document.removeEventListener('keydown', onKey);
      form.dispose();
      addButton.remove();
      container.replaceChildren();
    },
  };
}
