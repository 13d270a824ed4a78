// The start page's episode table, virtualised: a scrolling container that draws only the rows in
// view, fetched page by page from the server, which sorts and filters (docs/api.md). A million
// episodes cost what a hundred do.
import { getEpisodePage } from '../data.js';
import { formatHash } from '../router.js';
import { fmt } from '../tables.js';
import { episodeQuery, pagesFor, scrollWindow } from '../episode-window.js';

const ROW_HEIGHT = 24;
const PAGE = 200;
const KEPT_PAGES = 40;
const OUTCOMES = ['terminated', 'truncated', 'complete', 'cut off'];
const COLUMNS = [['index', 'episode'], ['length', 'length'], ['return', 'return'], ['seed', 'seed'],
  ['outcome', 'outcome']];

/**
 * A virtual episode table of recording `id` in `container`: {ready} resolves once the first rows
 * are drawn; refresh() asks again for the rows in view (a live recording grew), keeping the
 * scroll position. With `picks` (compare-picks.js) each row has a "compare" box that picks its
 * episode.
 */
export function createEpisodeTable(container, id, picks = null) {
  container.classList.add('episode-list');
  container.innerHTML = `
    <div class="episode-filters">
      <label>outcome <select data-testid="episode-filter-outcome"><option value="">any</option>${OUTCOMES.map((o) => `<option>${o}</option>`).join('')}</select></label>
      <label>return ≥ <input type="number" step="any" data-testid="episode-filter-min" size="8"></label>
      <label>≤ <input type="number" step="any" data-testid="episode-filter-max" size="8"></label>
      <span class="episode-total" data-testid="episode-total"></span>
    </div>
    <table class="episodes sortable episode-head-row"><thead><tr>${COLUMNS.map(([k, l]) => `<th data-key="${k}">${l}</th>`).join('')}${picks ? '<th class="pick" title="tick two episodes to compare them side by side">compare</th>' : ''}</tr></thead></table>
    <div class="episode-scroll" data-testid="episode-scroll"><div class="episode-sizer">
      <table class="episodes" data-testid="episode-table"><tbody></tbody></table>
    </div></div>`;
  const $ = (sel) => container.querySelector(sel);
  const scroller = $('.episode-scroll');
  const sizer = $('.episode-sizer');
  const table = $('[data-testid="episode-table"]');
  const body = table.tBodies[0];
  const totalLabel = $('[data-testid="episode-total"]');
  const state = { sort: 'index', descending: false, outcome: '', minReturn: '', maxReturn: '' };
  let query = episodeQuery(state);
  let total = null;
  let pages = new Map(); // page number → promise of episodes, for the current query
  let generation = 0;
  let frame = 0;

  function page(p) {
    let hit = pages.get(p);
    if (!hit) {
      const asked = generation;
      hit = getEpisodePage(id, query, p * PAGE, PAGE).then((answer) => {
        if (asked === generation) total = answer.total;
        return answer.episodes;
      });
      hit.catch(() => pages.delete(p));
      pages.set(p, hit);
      // Oldest first out: a Map keeps insertion order.
      while (pages.size > KEPT_PAGES) pages.delete(pages.keys().next().value);
    }
    return hit;
  }

  async function draw() {
    const asked = generation;
    if (total === null) await page(0);
    if (asked !== generation) return;
    const w = scrollWindow({ scrollTop: scroller.scrollTop, viewport: scroller.clientHeight || 480, rowHeight: ROW_HEIGHT, total });
    sizer.style.height = `${w.height}px`;
    const got = await Promise.all(pagesFor(w.start, w.end, PAGE).map(page));
    if (asked !== generation) return;
    const first = Math.floor(w.start / PAGE) * PAGE;
    const rows = got.flat().slice(w.start - first, w.end - first);
    table.style.top = `${w.top}px`;
    body.replaceChildren(...rows.map(row));
    // After the rows: the total shown always describes the rows drawn.
    totalLabel.textContent = `${total.toLocaleString('en')} episodes${query === episodeQuery({}) ? '' : ' match'}`;
    totalLabel.dataset.total = String(total);
  }

  function row(ep) {
    const tr = document.createElement('tr');
    tr.dataset.index = String(ep.index);
    tr.innerHTML = '<td><a></a></td><td class="num"></td><td class="num"></td><td class="num"></td><td></td>';
    if (picks) {
      const td = tr.insertCell();
      td.className = 'pick';
      td.innerHTML = '<label><input type="checkbox" data-testid="compare-pick"> compare</label>';
      const box = td.querySelector('input');
      box.checked = picks.isPicked(id, ep.index);
      box.title = `compare episode ${ep.index} with another`;
      box.addEventListener('change', () => picks.toggle(id, ep.index, box.checked));
    }
    const a = tr.querySelector('a');
    a.href = formatHash({ page: 'episode', rollout: id, episode: ep.index, step: 0 });
    a.textContent = `episode ${ep.index}`;
    tr.children[1].textContent = ep.length;
    tr.children[2].textContent = fmt(ep.return);
    tr.children[3].textContent = ep.seed ?? '—';
    // the env's own word when its final info has one ("won (terminated)"), else the flags'
    tr.children[4].textContent = ep.envOutcome ? `${ep.envOutcome} (${ep.outcome})` : ep.outcome;
    tr.children[4].className = `end-${ep.outcome.replace(' ', '-')}`;
    // the whole row opens the episode, not only its link
    tr.addEventListener('click', (e) => {
      if (e.target.tagName !== 'A' && !e.target.closest('td.pick')) location.hash = a.getAttribute('href');
    });
    return tr;
  }

  function requery() {
    query = episodeQuery(state);
    generation++;
    pages = new Map();
    total = null;
    scroller.scrollTop = 0;
    container.querySelectorAll('th').forEach((th) => {
      th.className = th.dataset.key === state.sort ? (state.descending ? 'desc' : 'asc') : '';
    });
    return draw().catch(showError);
  }

  function showError(e) {
    totalLabel.textContent = e.message;
  }

  container.querySelectorAll('th').forEach((th) => th.addEventListener('click', () => {
    const key = th.dataset.key;
    if (!key || key === 'seed') return; // the server sorts by index, length, return and outcome
    state.descending = state.sort === key ? !state.descending : key === 'return' || key === 'length';
    state.sort = key;
    requery();
  }));
  $('[data-testid="episode-filter-outcome"]').addEventListener('change', (e) => { state.outcome = e.target.value; requery(); });
  for (const [sel, key] of [['min', 'minReturn'], ['max', 'maxReturn']]) {
    $(`[data-testid="episode-filter-${sel}"]`).addEventListener('change', (e) => { state[key] = e.target.value; requery(); });
  }
  // a pick cleared elsewhere (the bar) unticks its box
  if (picks) {
    picks.store.subscribe(() => body.querySelectorAll('tr').forEach((tr) => {
      const box = tr.querySelector('[data-testid="compare-pick"]');
      if (box) box.checked = picks.isPicked(id, Number(tr.dataset.index));
    }));
  }
  scroller.addEventListener('scroll', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => draw().catch(showError));
  });
  function refresh() {
    generation++;
    pages = new Map();
    total = null;
    return draw().catch(showError);
  }
  return { ready: requery(), refresh };
}
