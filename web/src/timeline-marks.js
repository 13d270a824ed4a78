// The hotspots as marks in the band under the timeline's slider, coloured by kind (the list's
// swatches are the legend); a click on a mark goes to its first step. Reads `hotspots` from the
// page's view state.
import { watch } from './state.js';
import { hotspotKind, markSegments, rangeText } from './hotspot-kinds.js';

/**
 * Draws `store`'s hotspots into `band` (the timeline's `marks`) over rows 0 … last (a number, or a
 * function for a live episode that grows); returns dispose().
 */
export function createTimelineMarks(band, store, { last, seek }) {
  const lastRow = typeof last === 'function' ? last : () => last;
  const onClick = (e) => {
    const mark = e.target.closest('.mark');
    if (mark) seek(Number(mark.dataset.from), 'hotspot');
  };
  band.addEventListener('click', onClick);
  const stop = watch(store, ['hotspots'], ({ hotspots }) => {
    const list = hotspots?.list || [];
    band.dataset.count = String(list.length);
    band.replaceChildren(...markSegments(list, lastRow()).map((m) => {
      const el = document.createElement('span');
      el.className = 'mark';
      el.dataset.kind = m.kind;
      el.dataset.from = String(m.from);
      el.style.left = `${(m.left * 100).toFixed(3)}%`;
      el.style.width = `${(m.width * 100).toFixed(3)}%`;
      el.style.background = m.colour;
      el.title = `${hotspotKind(m.kind).label}, ${rangeText(m)}`;
      return el;
    }));
  });
  return () => {
    stop();
    band.removeEventListener('click', onClick);
    band.replaceChildren();
  };
}
