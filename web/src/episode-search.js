// The episode page's episode picker: a search box (an index, or a range "100-200") with a small
// dropdown of the matching episodes, asked of the server a page at a time, so a recording of a
// million episodes costs the page nothing until the user searches.
import { getEpisodePage } from './data.js';
import { parseEpisodeSearch } from './episode-window.js';

/** A picker in `container` for recording `rollout` (of `count` episodes) showing `episode`; calls onPick(index). */
export function createEpisodeSearch(container, { rollout, count, episode, onPick }) {
  container.classList.add('episode-search');
  container.innerHTML = `<label>episode <input type="search" data-testid="episode-search" autocomplete="off"
    size="12"></label><ul class="episode-options" data-testid="episode-options" hidden></ul>`;
  const input = container.querySelector('input');
  const list = container.querySelector('ul');
  input.value = String(episode);
  input.dataset.episode = String(episode);
  function showCount() {
    input.placeholder = `0–${Math.max(0, count - 1)}`;
    input.title = `type an episode (0 to ${count - 1}) or a range such as 100-200`;
  }
  showCount();
  let asked = 0;
  let shown = [];

  async function search() {
    const want = parseEpisodeSearch(input.value);
    const ticket = ++asked;
    if (!want || want.offset >= count) {
      show([], want ? `no episode ${want.offset} (0–${count - 1})` : 'an index or a range, e.g. 100-200');
      return;
    }
    try {
      const page = await getEpisodePage(rollout, '', want.offset, want.limit);
      if (ticket === asked) show(page.episodes, '');
    } catch (e) {
      if (ticket === asked) show([], e.message);
    }
  }

  function show(episodes, note) {
    shown = episodes;
    list.replaceChildren(...episodes.map((ep) => {
      const li = document.createElement('li');
      li.dataset.testid = 'episode-option';
      li.dataset.index = String(ep.index);
      li.textContent = `${ep.index} — ${ep.length} steps, return ${ep.return}, ${ep.outcome}`;
      li.addEventListener('mousedown', (e) => {
        e.preventDefault(); // keep the focus, so blur does not close the list first
        pick(ep.index);
      });
      return li;
    }));
    if (note) {
      const li = document.createElement('li');
      li.className = 'note';
      li.textContent = note;
      list.appendChild(li);
    }
    list.hidden = false;
  }

  function pick(index) {
    list.hidden = true;
    input.blur();
    if (index !== episode) onPick(index);
  }

  input.addEventListener('input', search);
  input.addEventListener('focus', () => input.select());
  input.addEventListener('blur', () => {
    list.hidden = true;
    input.value = String(episode);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && shown.length) pick(shown[0].index);
    if (e.key === 'Escape') input.blur();
  });
  return {
    input,
    /** A live recording has `n` episodes now. */
    setCount(n) {
      count = n;
      showCount();
    },
  };
}
