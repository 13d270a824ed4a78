// The form that adds, edits or deletes a note (a hotspot of the user's own: title, steps, note),
// a small popover above what opened it. What it does with the values is the caller's (hotspots.js).
import { checkAnnotation } from '../hotspot-kinds.js';

/**
 * A form for notes on rows 0 … last. onSave(value, existing) and onDelete(existing) return
 * promises; a refusal's message is shown in the form, which stays open with what was typed.
 */
export function createAnnotationForm({ last, onSave, onDelete }) {
  const form = document.createElement('div');
  form.className = 'note-popover';
  form.dataset.testid = 'note-dialog';
  form.hidden = true;
  form.innerHTML = `
    <div class="note-head"><span class="note-heading">Add a note</span> <button type="button" class="note-close" title="close">×</button></div>
    <label>title <input type="text" data-testid="note-title" maxlength="200" placeholder="what happens here"></label>
    <div class="note-row"><label>steps <input type="number" data-testid="note-from" min="0" max="${last}" step="1"></label>
      <label>to <input type="number" data-testid="note-to" min="0" max="${last}" step="1"></label></div>
    <textarea data-testid="note-text" rows="3" maxlength="10000" placeholder="note (optional)"></textarea>
    <div class="note-row"><button type="button" data-testid="note-save">save</button>
      <button type="button" data-testid="note-delete" class="danger" hidden>delete</button>
      <span class="note-message" data-testid="note-message"></span></div>`;
  document.body.appendChild(form);
  const $ = (id) => form.querySelector(`[data-testid="${id}"]`);
  const message = $('note-message');
  let editing = null;
  let busy = false;

  function say(text, error = false) {
    message.textContent = text;
    message.classList.toggle('error', error);
  }

  function place(anchor) {
    const r = anchor.getBoundingClientRect();
    form.style.left = `${Math.max(8, Math.min(window.innerWidth - 340, r.left))}px`;
    form.style.bottom = `${Math.max(8, window.innerHeight - r.top + 6)}px`;
  }

  async function run(work, done) {
    if (busy) return;
    busy = true;
    say('saving…');
    try {
      await work();
      close();
      done?.();
    } catch (e) {
      say(e.message, true);
    } finally {
      busy = false;
    }
  }

  $('note-save').addEventListener('click', () => {
    const checked = checkAnnotation({ title: $('note-title').value, from: $('note-from').value, to: $('note-to').value, note: $('note-text').value }, last);
    if (checked.error) {
      say(checked.error, true);
      return;
    }
    run(() => onSave(checked.value, editing));
  });
  $('note-delete').addEventListener('click', () => {
    if (editing) run(() => onDelete(editing));
  });
  form.querySelector('.note-close').addEventListener('click', () => close());
  // typing here must not play, step or jump (the timeline and N / P listen on the document)
  form.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Escape') close();
  });

  function open(anchor, { from, to, title = '', note = '' }, existing = null) {
    editing = existing;
    form.querySelector('.note-heading').textContent = existing ? 'Edit the note' : 'Add a note';
    $('note-title').value = title;
    $('note-from').value = String(from);
    $('note-to').value = String(to);
    $('note-text').value = note;
    $('note-delete').hidden = !existing;
    say('');
    form.hidden = false;
    place(anchor);
    $('note-title').focus();
  }

  function close() {
    form.hidden = true;
    editing = null;
  }

  return {
    open,
    close,
    dispose: () => form.remove(),
  };
}
