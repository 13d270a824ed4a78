// URL <-> view: #/ (the recordings) and #/r/{id}/e/{episode}/s/{step} (an episode at a step).

/** The route of a location hash: {page: 'home'} or {page: 'episode', rollout, episode, step}. */
export function parseHash(hash) {
  const path = (hash || '').replace(/^#/, '').replace(/^\/+|\/+$/g, '');
  if (path === '') return { page: 'home' };
  const parts = path.split('/');
  if (parts[0] === 'r' && parts.length >= 2 && parts[1] !== '') {
    const rollout = decodeURIComponent(parts[1]);
    const episode = parts[2] === 'e' ? toIndex(parts[3]) : 0;
    const step = parts[4] === 's' ? toIndex(parts[5]) : 0;
    if (episode === null || step === null) return { page: 'notfound', hash };
    return { page: 'episode', rollout, episode, step };
  }
  return { page: 'notfound', hash };
}

/** The hash of a route (the inverse of parseHash). */
export function formatHash(route) {
  if (!route || route.page === 'home') return '#/';
  return `#/r/${encodeURIComponent(route.rollout)}/e/${route.episode ?? 0}/s/${route.step ?? 0}`;
}

function toIndex(s) {
  if (s === undefined || s === '') return 0;
  return /^\d+$/.test(s) ? Number(s) : null;
}

/**
 * Calls onRoute(route) now and on every hash change (links, back/forward).
 * Returns navigate(route, {replace}): push a new history entry, or replace the current one
 * (playback replaces, so history holds the places the user chose, not every frame).
 */
export function startRouter(onRoute) {
  let current = null; // the hash shown; null: nothing shown yet
  const fire = () => {
    if (location.hash === current) return;
    current = location.hash;
    onRoute(parseHash(location.hash));
  };
  window.addEventListener('hashchange', fire);
  fire();
  return (route, { replace = false, silent = true } = {}) => {
    const hash = formatHash(route);
    if (hash === location.hash) return;
    if (silent) current = hash; // the page already shows it: no re-render
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    if (!silent) fire();
  };
}
