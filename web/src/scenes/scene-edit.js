// Editing by dragging in a scene (observation surgery): while the view state holds an edit
// (state.js `edits`), a press on the scene's element asks the scene what it grabbed, and each
// move turns the pointer into changed elements of the flat observation, written into `edits`.
// Scenes draw the recorded pose as a faint ghost behind an edited one (watchGhost).
import { applyEdits, withChanges } from '../edits.js';
import { watch } from '../state.js';

/**
 * Lets the user edit by dragging on `element`. `grab(event, observation)` is called on a press
 * with the observation as edited so far; it returns null (nothing there) or
 * {move(event) -> pairs ([index, value], value null restores) or null, stamp}: with `stamp` each
 * move replaces what the previous moves of this drag did (a copied patch follows the pointer),
 * else moves add up (a brush stroke). The element gets the class `editing` while editing.
 * Returns the function that stops it.
 */
export function dragToEdit(store, element, grab) {
  const editable = () => {
    const { edits, recorded } = store.get();
    return edits && recorded?.row && recorded.step === edits.step ? { edits, recorded } : null;
  };
  function down(e) {
    const at = editable();
    if (!at || e.button !== 0) return;
    const drag = grab(e, applyEdits(at.recorded.row.observation, at.edits));
    if (!drag) return;
    e.preventDefault();
    try {
      element.setPointerCapture(e.pointerId); // the drag goes on outside the element
    } catch { /* a synthetic event's pointer cannot be captured */ }
    const start = at.edits;
    const apply = (ev) => {
      const now = editable();
      const pairs = now && drag.move(ev);
      if (!pairs) return;
      const base = drag.stamp ? { ...start, step: now.edits.step } : now.edits;
      store.set({ edits: withChanges(base, now.recorded.row.observation, pairs) });
    };
    apply(e);
    const up = () => {
      element.removeEventListener('pointermove', apply);
      element.removeEventListener('pointerup', up);
      element.removeEventListener('pointercancel', up);
    };
    element.addEventListener('pointermove', apply);
    element.addEventListener('pointerup', up);
    element.addEventListener('pointercancel', up);
  }
  element.addEventListener('pointerdown', down);
  const unwatch = watch(store, ['edits'], (s) => element.classList.toggle('editing', Boolean(s.edits)));
  return () => {
    unwatch();
    element.removeEventListener('pointerdown', down);
    element.classList.remove('editing');
  };
}

/** Distance from point p to the segment a–b (all {x, y}). */
export function segmentDistance(p, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** `v` rounded to `decimals` and within [low, high] where those are finite (rounding never leaves the bounds). */
export function clampTo(v, low, high, decimals = 4) {
  const k = 10 ** decimals;
  let r = Math.round(v * k) / k;
  if (Number.isFinite(high) && r > high) r = Math.floor(high * k) / k;
  if (Number.isFinite(low) && r < low) r = Math.ceil(low * k) / k;
  return r;
}

/** The grey see-through material of a ghost (the recorded pose behind an edited one). */
export function ghostMaterial(THREE) {
  return new THREE.MeshBasicMaterial({ color: 0x9aa4ae, transparent: true, opacity: 0.45, depthWrite: false });
}

/**
 * Calls draw(recorded flat observation) while the step's observation has changes, draw(null)
 * otherwise; returns the unsubscribe function.
 */
export function watchGhost(store, draw) {
  return watch(store, ['recorded', 'edits'], ({ recorded, edits }) => {
    const edited = edits && recorded?.row && edits.step === recorded.step && edits.changes.size > 0;
    draw(edited ? recorded.row.observation : null);
  });
}
