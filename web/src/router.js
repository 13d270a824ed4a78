// URL <-> view: #/ (the recordings) and #/r/{id}/e/{episode}/s/{step} (an episode at a step),
// optionally ?edit=RUNS: an edited observation at that step (edits.js encodes it), so a link
// reproduces the edit; #/compare?a={id}/{episode}&b={id}/{episode}&step={step}: two episodes side
// by side (the ids percent-encoded, so the episode is what follows the last '/').

/**
 * The route of a location hash: {page: 'home'} or {page: 'episode', rollout, episode, step}, with
 * `edit` (the edit's text, "" for edit mode without changes) when the hash has ?edit=.
 */
export function parseHash(hash) {
  const [pathPart, queryPart] = (hash || '').replace(/^#/, '').split('?');
  const path = pathPart.replace(/^\/+|\/+$/g, '');
  if (path === '') return { page: 'home' };
  if (path === 'compare') return parseCompare(queryPart);
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

/**
 * A compare route: {page: 'compare', a, b, step}, each side {rollout, episode}; a side missing or
 * malformed is null (the page says what the URL lacks rather than showing nothing).
 */
function parseCompare(query) {
  const step = toIndex(queryParam(query, 'step') ?? '');
  return { page: 'compare', a: parseSide(queryParam(query, 'a')), b: parseSide(queryParam(query, 'b')), step: step ?? 0 };
}

/** "{id}/{episode}" (decoded: an id may hold '/', the episode after the last one never does) as {rollout, episode}, or null. */
function parseSide(text) {
  if (!text) return null;
  const slash = text.lastIndexOf('/');
  const episode = slash < 0 || slash === text.length - 1 ? null : toIndex(text.slice(slash + 1));
  return slash <= 0 || episode === null ? null : { rollout: text.slice(0, slash), episode };
}

const formatSide = (side) => `${encodeURIComponent(side.rollout)}/${side.episode ?? 0}`;

/** The hash of a route (the inverse of parseHash). */
export function formatHash(route) {
  if (!route || route.page === 'home') return '#/';
  if (route.page === 'compare') return `#/compare?a=${formatSide(route.a)}&b=${formatSide(route.b)}&step=${route.step ?? 0}`;
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
