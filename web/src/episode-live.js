// The episode page of a recording still being written (docs/api.md, /live): a live / finished
// badge, the picker's episode count, the open episode growing as its rows reach the disk, and
// "follow": play the newest episode, and the next newest once it is played to its end.
import { followLive, getEpisode } from './data.js';
import { episodeLiveAction, liveBadge } from './live.js';

// Kept across the pages of a session: following opens the next episode as a new page.
let following = false;

/**
 * Live updates for the page showing `episode` (an /episodes entry) of recording `rollout`;
 * `slot` holds the badge and the follow switch. onGrow(ep) gets the shown episode's new summary;
 * onJump(index) opens another episode. Does nothing for a finished recording.
 */
export function createEpisodeLive(slot, { rollout, metadata, episode, timeline, onGrow, onJump }) {
  if (metadata.finished !== false) return { following: false, ended() {}, dispose() {} };
  slot.innerHTML = `<span data-testid="live-state"></span>
    <label class="follow" title="play the newest episode as it is recorded, then the next"><input type="checkbox"
      data-testid="follow-live"> follow</label>`;
  const badge = slot.querySelector('[data-testid="live-state"]');
  const box = slot.querySelector('input');
  box.checked = following;
  const shown = { episode: episode.index, complete: episode.complete !== false };
  let latest = null;
  let busy = false;
  const first = liveBadge(metadata);
  badge.textContent = first.text;
  badge.className = first.className;
  let disposed = false;

  async function act() {
    if (busy || !latest || disposed) return;
    busy = true;
    try {
      const atEnd = timeline.step >= timeline.last && !timeline.playing;
      const action = episodeLiveAction({ ...shown, atEnd }, latest, following);
      if (action.kind === 'refresh') {
        const ep = await getEpisode(rollout, shown.episode);
        if (disposed) return;
        shown.complete = ep.complete !== false;
        onGrow(ep);
        // following the growing episode: playback goes on into the new rows
        if (following && !timeline.playing && timeline.step < timeline.last) timeline.play();
      } else if (action.kind === 'jump') {
        onJump(action.episode);
      }
    } catch {
      // the next event tries again
    } finally {
      busy = false;
    }
  }

  const stop = followLive(rollout, (state) => {
    latest = state;
    const b = liveBadge(state);
    badge.textContent = b.text;
    badge.className = b.className;
    badge.title = `${state.episodes} episodes, ${state.totalSteps} steps so far`;
    timeline.setEpisodes(state.episodes);
    act();
  });
  box.addEventListener('change', () => {
    following = box.checked;
    if (!following) return;
    if (latest && latest.episodes - 1 > shown.episode) onJump(latest.episodes - 1);
    else if (timeline.step < timeline.last) timeline.play();
  });

  return {
    /** Whether the page should play as soon as it opens. */
    following,
    /** Playback stopped: at the end of the episode, following takes the newest one. */
    ended: act,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
