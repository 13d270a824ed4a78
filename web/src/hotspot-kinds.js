// What the hotspot list, the timeline's marks and the N / P keys share: each kind's label and
// colour, the server's hotspots and the user's annotations merged into one list, and which
// hotspot comes next from a step. Pure: no DOM, tested in web/test/hotspot-kinds.test.js.

/** The server's detectors (docs/api.md "Hotspots") and the user's notes: label and colour. */
export const HOTSPOT_KINDS = Object.freeze({
  'unlikely-action': { label: 'unlikely action', colour: '#d62728' },
  undecided: { label: 'undecided', colour: '#e6a700' },
  oscillation: { label: 'oscillation', colour: '#9467bd' },
  'value-drop': { label: 'value drop / TD error', colour: '#8c564b' },
  reward: { label: 'large reward', colour: '#2ca02c' },
  'attribution-shift': { label: 'attribution shift', colour: '#17becf' },
  termination: { label: 'before termination', colour: '#444444' },
  'policy-disagrees': { label: 'policy disagrees', colour: '#1f77b4' },
  note: { label: 'note', colour: '#e377c2' },
});

/** A kind's label and colour; kinds this viewer does not know yet are grey, named as sent. */
export function hotspotKind(kind) {
  return HOTSPOT_KINDS[kind] || { label: String(kind), colour: '#8a8f98' };
}

/**
 * One list of the server's hotspots (already ranked) and the user's annotations of this episode
 * (as notes, first: the user put them there). Every item: {from, to, kind, score, reason, title?,
 * annotation?}; ranges clamped to [0, last].
 */
export function mergeHotspots(hotspots = [], annotations = [], last = Infinity) {
  const clampRange = (h) => {
    const from = Math.max(0, Math.min(last, h.from));
    return { ...h, from, to: Math.max(from, Math.min(last, h.to)) };
  };
  const notes = annotations
    .slice()
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map((a) => clampRange({ from: a.from, to: a.to, kind: 'note', score: null, title: a.title, reason: a.note || '', annotation: a }));
  // a hotspot that starts past `last` is in rows this view does not have yet (a live episode that
  // grew since the view opened): left out, not squeezed onto the last step
  return [...notes, ...hotspots.filter((h) => h.from <= last).map(clampRange)];
}

/**
 * The step N (dir +1) or P (dir −1) goes to from `step`: the start of the nearest hotspot that
 * starts after (before) it, in step order whatever the ranking; null when there is none.
 */
export function nextHotspotStep(list, step, dir) {
  const starts = [...new Set(list.map((h) => h.from))].sort((a, b) => a - b);
  if (dir > 0) return starts.find((s) => s > step) ?? null;
  for (let i = starts.length - 1; i >= 0; i--) if (starts[i] < step) return starts[i];
  return null;
}

/** The hotspots whose range holds `step`. */
export const hotspotsAt = (list, step) => list.filter((h) => h.from <= step && step <= h.to);

/**
 * Where each hotspot goes on a track of the episode's rows (0 … last): left and width as
 * fractions of the track, at least `minWidth` wide so one step stays visible. Stronger scores
 * last, so they are drawn on top.
 */
export function markSegments(list, last, minWidth = 0.003) {
  const span = Math.max(1, last);
  return list
    .map((h) => {
      const left = h.from / span;
      const width = Math.max(minWidth, (h.to - h.from) / span);
      return { left: Math.min(left, 1 - minWidth), width, kind: h.kind, colour: hotspotKind(h.kind).colour, from: h.from, to: h.to, score: h.score ?? 1 };
    })
    .sort((a, b) => a.score - b.score);
}

/** "step 37" or "steps 37–52". */
export const rangeText = (h) => (h.from === h.to ? `step ${h.from}` : `steps ${h.from}–${h.to}`);

/**
 * The detectors' summary line and its longer text: which ran (and found how many), which were
 * skipped and why (`detectors` as the server sends them).
 */
export function detectorSummary(detectors = []) {
  const ran = detectors.filter((d) => d.ran);
  const skipped = detectors.filter((d) => !d.ran);
  const line = `${ran.length} detector${ran.length === 1 ? '' : 's'} ran${skipped.length ? ` · ${skipped.length} skipped` : ''}`;
  const detail = [
    ...ran.map((d) => `${hotspotKind(d.kind).label}: ${d.found ?? 0} found`),
    ...skipped.map((d) => `${hotspotKind(d.kind).label}: skipped — ${d.why || 'not run'}`),
  ].join('\n');
  return { line, detail };
}

/** An annotation form's values checked before they are sent: {value} or {error}. */
export function checkAnnotation({ title, from, to, note = '' }, last) {
  const t = String(title ?? '').trim();
  if (!t) return { error: 'give the note a title' };
  if (t.length > 200) return { error: 'the title is longer than 200 characters' };
  if (String(note).length > 10_000) return { error: 'the note is longer than 10 000 characters' };
  const a = Number(from);
  const b = Number(to);
  if (!Number.isInteger(a) || !Number.isInteger(b)) return { error: 'steps are whole numbers' };
  if (a < 0 || b > last || a > b) return { error: `steps go from 0 to ${last}, the first not after the last` };
  return { value: { title: t, from: a, to: b, note: String(note) } };
}
