// The episode page's way into a comparison: "compare with…" beside the episode's name opens the
// compare page with this episode as A and the next one (the previous, for the last) as B, at the
// step shown; there each side's recording and episode pickers choose any other episode.
import { formatHash } from './router.js';
import { watch } from './state.js';

/** The compare route from episode `episode` of `rollout` (of `episodes` episodes) at `step`. */
export function compareRoute(rollout, episode, episodes, step) {
  const other = episode + 1 < episodes ? episode + 1 : Math.max(0, episode - 1);
  return { page: 'compare', a: { rollout, episode }, b: { rollout, episode: other }, step };
}

/** The link, after `after` (the header's episode name); it follows the view state's step. */
export function createCompareLink(after, store, { rollout, episode, episodes }) {
  const link = document.createElement('a');
  link.className = 'compare-link';
  link.dataset.testid = 'compare-link';
  link.textContent = 'compare with…';
  link.title = 'this episode and another (of any recording) side by side, on one timeline';
  after.after(' ', link);
  const stop = watch(store, ['step'], ({ step }) => { link.href = formatHash(compareRoute(rollout, episode, episodes, step)); });
  return { dispose: () => { stop(); link.remove(); } };
}
