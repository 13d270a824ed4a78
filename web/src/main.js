// The viewer's entry: routes the hash to the start page, an episode page or the compare page.
import { startRouter } from './router.js';
import { showHome } from './pages/home.js';
import { showEpisode } from './pages/episode.js';
import { compareKey, showCompare } from './pages/compare.js';

const root = document.getElementById('app');
let page = null; // the episode or compare page shown, if any
let generation = 0;

function fail(e) {
  const div = document.createElement('div');
  div.className = 'error';
  div.dataset.testid = 'page-error';
  div.textContent = e.message || String(e);
  root.replaceChildren(div);
  const back = document.createElement('p');
  back.innerHTML = '<a href="#/">all recordings</a>';
  root.appendChild(back);
}

const navigate = startRouter(async (route) => {
  const mine = ++generation;
  if (route.page === 'episode' && page && page.rollout === route.rollout && page.episode === route.episode) {
    page.seek(route.step, route.edit); // back/forward within the same episode
    return;
  }
  if (route.page === 'compare' && page && page.key === compareKey(route)) {
    page.seek(route.step); // back/forward within the same comparison
    return;
  }
  if (page) {
    page.dispose();
    page = null;
  }
  // an episode page that failed half-built leaves no dispose: the next page must scroll again
  document.body.classList.remove('workbench-page');
  try {
    if (route.page === 'home') await showHome(root);
    else if (route.page === 'episode' || route.page === 'compare') {
      const show = route.page === 'episode' ? showEpisode : showCompare;
      const shown = await show(root, route, (r, opts) => navigate(r, opts));
      if (mine !== generation) shown.dispose();
      else page = shown;
    } else throw new Error(`no such page: ${route.hash}`);
  } catch (e) {
    if (mine === generation) fail(e);
  }
});
