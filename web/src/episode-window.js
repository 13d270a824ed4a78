// Pure logic of the paged episode lists: which rows a scrolled table shows, which server pages
// hold them, and what an episode search box's text asks for.

/** Tallest scroll area we make: browsers cap element heights (Firefox near 17.9 M px). */
export const MAX_SCROLL_PX = 8_000_000;

/**
 * The rows [start, end) a virtual table of `total` rows of `rowHeight` px draws at `scrollTop` in a
 * `viewport` px tall container (with `overscan` rows either side), the scroll area's `height`, and
 * `top`, where the row `start` goes in it. Past MAX_SCROLL_PX the scroll position maps to rows
 * proportionally, so a million rows still scroll end to end.
 */
export function scrollWindow({ scrollTop, viewport, rowHeight, total, overscan = 5 }) {
  const full = total * rowHeight;
  const height = Math.min(full, MAX_SCROLL_PX);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  const scaled = full > MAX_SCROLL_PX;
  let first;
  if (!scaled) {
    first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  } else {
    const room = Math.max(1, height - viewport);
    first = Math.round(Math.min(1, Math.max(0, scrollTop) / room) * Math.max(0, total - visible + 1));
  }
  first = Math.max(0, Math.min(first, total - 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visible + overscan);
  const top = scaled ? Math.max(0, scrollTop - (first - start) * rowHeight) : start * rowHeight;
  return { start, end, top, height };
}

/** The numbers of the `pageSize`-row pages that hold rows [start, end). */
export function pagesFor(start, end, pageSize) {
  const pages = [];
  for (let p = Math.floor(start / pageSize); p * pageSize < end; p++) pages.push(p);
  return pages;
}

/**
 * What an episode search asks for: "42" → episodes from 42, "100-200" (or "100..200", "100 to
 * 200") → that range, inclusive; anything else → null. `limit` is how many to list at most.
 */
export function parseEpisodeSearch(text, limit = 10) {
  const t = String(text ?? '').trim();
  let m = /^#?(\d{1,9})$/.exec(t);
  if (m) return { offset: Number(m[1]), limit };
  m = /^#?(\d{1,9})\s*(?:-|\.\.|to)\s*(\d{1,9})$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const from = Math.min(a, b);
    return { offset: from, limit: Math.min(limit, Math.max(a, b) - from + 1) };
  }
  return null;
}

/** The episodes route's query string of a table state (docs/api.md): sort, order and filters. */
export function episodeQuery({ sort = 'index', descending = false, outcome = '', minReturn = '', maxReturn = '' }) {
  const q = new URLSearchParams({ sort, order: descending ? 'desc' : 'asc' });
  if (outcome) q.set('outcome', outcome);
  if (minReturn !== '' && Number.isFinite(Number(minReturn))) q.set('minReturn', String(Number(minReturn)));
  if (maxReturn !== '' && Number.isFinite(Number(maxReturn))) q.set('maxReturn', String(Number(maxReturn)));
  return q.toString();
}
