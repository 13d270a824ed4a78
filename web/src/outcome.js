// How an episode ended, for the header: the env's own word when its final info gives one (the
// grid world's {"outcome": "won" | "eaten" | "drowned"}), else terminated / truncated / cut off.
import { episodeEnd } from './tables.js';

/** Info keys envs use to say how an episode ended, tried in order. */
const OUTCOME_KEYS = ['outcome', 'result', 'status'];

/**
 * {label, kind} of an episode (an /episodes entry) given the infos of its last rows (the step row
 * that ended it and the final row, either may be null): kind is the flag (terminated, truncated,
 * complete, cut-off) for colouring; label the env's outcome when an info has one, else the flag.
 */
export function episodeOutcome(ep, infos = []) {
  const end = episodeEnd(ep);
  const kind = end.replace(' ', '-');
  for (const info of infos) {
    if (!info || typeof info !== 'object') continue;
    for (const k of OUTCOME_KEYS) {
      const v = info[k];
      if (typeof v === 'string' && v) return { label: v, kind, end };
      if (typeof v === 'boolean' && k === 'outcome') return { label: String(v), kind, end };
    }
  }
  return { label: end, kind, end };
}

/** The rows whose infos may say how an episode of `rows` rows ended: the last step row, then the final row. */
export function outcomeRows(ep, rows) {
  return ep.complete === false ? [rows - 1] : [rows - 2, rows - 1].filter((r) => r >= 0);
}
