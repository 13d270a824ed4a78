import test from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SCROLL_PX, episodeQuery, pagesFor, parseEpisodeSearch, scrollWindow } from '../src/episode-window.js';

test('a short table shows the rows under the viewport, with overscan', () => {
  assert.deepEqual(scrollWindow({ scrollTop: 0, viewport: 240, rowHeight: 24, total: 3 }),
    { start: 0, end: 3, top: 0, height: 72 });
  assert.deepEqual(scrollWindow({ scrollTop: 2400, viewport: 240, rowHeight: 24, total: 1000, overscan: 2 }),
    { start: 98, end: 113, top: 98 * 24, height: 24000 });
});

test('an empty table shows nothing', () => {
  assert.deepEqual(scrollWindow({ scrollTop: 0, viewport: 240, rowHeight: 24, total: 0 }),
    { start: 0, end: 0, top: 0, height: 0 });
});

test('a million rows scroll end to end within the height cap', () => {
  const total = 1_000_000;
  const top = scrollWindow({ scrollTop: 0, viewport: 480, rowHeight: 24, total, overscan: 0 });
  assert.equal(top.height, MAX_SCROLL_PX);
  assert.equal(top.start, 0);
  const bottom = scrollWindow({ scrollTop: MAX_SCROLL_PX - 480, viewport: 480, rowHeight: 24, total, overscan: 0 });
  assert.equal(bottom.end, total, 'the last row is reachable');
  assert.equal(bottom.top, MAX_SCROLL_PX - 480, 'the first drawn row sits at the scroll position');
  const middle = scrollWindow({ scrollTop: (MAX_SCROLL_PX - 480) / 2, viewport: 480, rowHeight: 24, total, overscan: 0 });
  assert.ok(Math.abs(middle.start - total / 2) < 20, `the middle maps to the middle: ${middle.start}`);
});

test('pages holding a range', () => {
  assert.deepEqual(pagesFor(0, 0, 200), []);
  assert.deepEqual(pagesFor(0, 30, 200), [0]);
  assert.deepEqual(pagesFor(190, 230, 200), [0, 1]);
  assert.deepEqual(pagesFor(400, 600, 200), [2]);
});

test('episode search text', () => {
  assert.deepEqual(parseEpisodeSearch('42'), { offset: 42, limit: 10 });
  assert.deepEqual(parseEpisodeSearch(' #7 '), { offset: 7, limit: 10 });
  assert.deepEqual(parseEpisodeSearch('100-103'), { offset: 100, limit: 4 });
  assert.deepEqual(parseEpisodeSearch('200..100'), { offset: 100, limit: 10 });
  assert.deepEqual(parseEpisodeSearch('5 to 6', 3), { offset: 5, limit: 2 });
  for (const bad of ['', 'abc', '-3', '1e5', '12345678901', '1-2-3']) assert.equal(parseEpisodeSearch(bad), null, bad);
});

test('table state as a query', () => {
  assert.equal(episodeQuery({}), 'sort=index&order=asc');
  assert.equal(episodeQuery({ sort: 'return', descending: true, outcome: 'truncated', minReturn: '10', maxReturn: 'x' }),
    'sort=return&order=desc&outcome=truncated&minReturn=10');
});
