// URL <-> view: #/ (the recordings) and #/r/{id}/e/{episode}/s/{step} (an episode at a step),
// optionally ?edit=RUNS: an edited observation at that step (edits.js encodes it), so a link
// reproduces the edit.

/**
 * The route of a location hash: {page: 'home'} or {page: 'episode', rollout, episode, step}, with
 * `edit` (the edit's text, "" for edit mode without changes) when the hash has ?edit=.
 */
export function parseHash(hash) {
  const [pathPart, queryPart] = (hash || '').replace(/^#/, '').split('?');
  const path = pathPart.replace(/^\/+|\/+$/g, '');
  if (path === '') return { page: 'home' };
  const parts = path.split('/');
  if (parts[0] === 'r' && parts.length >= 2 && parts[1] !== '') {
    const rollout = decodeURIComponent(parts[1]);
    const episode = parts[2] === 'e' ? toIndex(parts[3]) : 0;
    const step = parts[4] === 's' ? toIndex(parts[5]) : 0;
    if (episode === null || step === null) return { page: 'notfound', hash };
    const edit = queryParam(queryPart, 'edit');
    return edit === null ? { page: 'episode', rollout, episode, step } : { page: 'episode', rollout, episode, step, edit };
  }
  return { page: 'notfound', hash };
}

/** The hash of a route (the inverse of parseHash). */
export function formatHash(route) {
  if (!route || route.page === 'home') return '#/';
  const edit = typeof route.edit === 'string' ? `?edit=${route.edit}` : '';
  return `#/r/${encodeURIComponent(route.rollout)}/e/${route.episode ?? 0}/s/${route.step ?? 0}${edit}`;
}

/** A query parameter's value (percent-decoded; '+' kept: edits never hold spaces), or null. */
function queryParam(query, name) {
  for (const part of (query || '').split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key !== name) continue;
    try {
      return decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      return null;
    }
  }
  return null;
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
