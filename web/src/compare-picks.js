// Choosing two episodes to compare from the start page's episode tables: each row's "compare" box
// picks its episode (any recording); a bar says what is picked, and the second pick opens the
// compare page. The tables and the bar read one store of the picks.
import { createStore, watch } from './state.js';
import { formatHash } from './router.js';

/** The picks after ticking (`on`) or unticking {rollout, episode}: at most two, in the order picked. */
export function togglePick(picks, pick, on) {
  const rest = picks.filter((p) => !(p.rollout === pick.rollout && p.episode === pick.episode));
  return on ? [...rest, pick].slice(-2) : rest;
}

/** The compare page's hash once two episodes are picked, else null. */
export function pickedHash(picks) {
  return picks.length === 2 ? formatHash({ page: 'compare', a: picks[0], b: picks[1], step: 0 }) : null;
}

/** The picks' store and their bar in `bar`; `open(hash)` goes to the compare page (default: the location). */
export function createComparePicks(bar, { open = (hash) => { location.hash = hash; } } = {}) {
  const store = createStore({ picks: [] });
  bar.className = 'compare-picks';
  bar.dataset.testid = 'compare-picks';
  bar.innerHTML = '<span class="what"></span> <button type="button" class="clear">clear</button>';
  const what = bar.querySelector('.what');
  const clear = bar.querySelector('.clear');
  clear.addEventListener('click', () => store.set({ picks: [] }));
  watch(store, ['picks'], ({ picks }) => {
    clear.hidden = picks.length === 0;
    what.textContent = picks.length === 0
      ? 'Compare two episodes side by side: tick "compare" on two rows (of one recording or two).'
      : `A: ${picks[0].rollout}, episode ${picks[0].episode} — tick a second episode to compare with it.`;
    const hash = pickedHash(picks);
    if (hash) {
      store.set({ picks: [] }); // back on this page, nothing is half-picked
      open(hash);
    }
  });
  return {
    bar,
    store,
    isPicked: (rollout, episode) => store.get().picks.some((p) => p.rollout === rollout && p.episode === episode),
    toggle: (rollout, episode, on) => store.set({ picks: togglePick(store.get().picks, { rollout, episode }, on) }),
  };
}
