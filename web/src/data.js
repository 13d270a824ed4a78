// The HTTP API (docs/api.md): JSON routes, and the steps as Arrow IPC streams decoded with apache-arrow.
import { tableFromIPC } from 'apache-arrow';
import { StepLoader } from './loader.js';
import { flattenObservation } from './spaces.js';

/**
 * A refused request: the server's {"error": ...} text, the HTTP status and the body's other
 * members (a 413 for cost carries cost, limit, unit and maxSteps: the fix the viewer offers).
 */
export class ApiError extends Error {
  constructor(status, message, details = {}) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

async function request(url, options) {
  const res = await fetch(url, options);
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    let details = {};
    try {
      const body = await res.json();
      if (body && body.error) ({ error: message, ...details } = body);
    } catch { /* not JSON */ }
    throw new ApiError(res.status, message, details);
  }
  return res;
}

const json = async (url, options) => (await request(url, options)).json();
const base = (id) => `/api/rollouts/${encodeURIComponent(id)}`;

export const listRollouts = () => json('/api/rollouts');
export const getConfig = () => json('/api/config');
export const getRollout = (id) => json(base(id));
/** A page of episodes: `query` is an episodeQuery string (sort, order, filters); {total, offset, limit, episodes}. */
/**
 * Follows a recording still being written: calls onState with each /live event's state
 * ({episodes, totalSteps, lastEpisodeRows, finished}) until the returned function is called or
 * the recording finished.
 */
export function followLive(id, onState) {
  const source = new EventSource(`${base(id)}/live`);
  const handle = (e) => {
    const state = JSON.parse(e.data);
    onState(state);
    if (state.finished) source.close();
  };
  for (const name of ['state', 'grew', 'finished']) source.addEventListener(name, handle);
  return () => source.close();
}

export const getEpisodePage = (id, query, offset, limit, signal) =>
  json(`${base(id)}/episodes?${query ? `${query}&` : ''}offset=${offset}&limit=${limit}`, { signal });
/** One episode's summary (404 when out of range). */
export const getEpisode = (id, episode) => json(`${base(id)}/episodes/${episode}`);
/** An episode's recorded columns in `buckets` buckets of steps: {rows, from, to, series: [{name, min, max, mean, last}]}. */
export const getSeries = (id, episode, buckets) => json(`${base(id)}/episodes/${episode}/series?buckets=${buckets}`);
/** Returns and lengths over the episodes in at most `buckets` buckets (docs/api.md). */
export const getOverview = (id, buckets = 1000) => json(`${base(id)}/overview?buckets=${buckets}`);

/** Attributions of rows [from, to) with the given query parameters; abortable with `signal`. */
export function getAttributions(id, episode, params, from, to, signal) {
  const q = new URLSearchParams({ ...params, from: String(from), to: String(to) });
  return json(`${base(id)}/episodes/${episode}/attributions?${q}`, { signal });
}

/**
 * Where the two attached policies disagree on rows [from, to) (docs/api.md, GET …/disagreement):
 * {episode, a, b, measure, from, to, steps: [{step, greedyA, greedyB, differs, distance}], disagreeing}.
 */
export const getDisagreement = (id, episode, from, to, signal) =>
  json(`${base(id)}/episodes/${episode}/disagreement?from=${from}&to=${to}`, { signal });

const postJson = (url, body, signal) => json(url, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal,
});

/** An episode's hotspots, ranked, and which detectors ran: {episode, hotspots, detectors} (docs/api.md). */
export const getHotspots = (id, episode, signal) => json(`${base(id)}/episodes/${episode}/hotspots`, { signal });

/** The recording's annotations of `episode`: {annotations, writable, version, error?}. */
export const getAnnotations = (id, episode) => json(`${base(id)}/annotations?episode=${episode}`);
/** Saves a new annotation {episode, from, to, title, note}; the server's copy back. */
export const createAnnotation = (id, body) => postJson(`${base(id)}/annotations`, body);
/** Changes annotation `aid`; the server's copy back. */
export const updateAnnotation = (id, aid, body) => json(`${base(id)}/annotations/${encodeURIComponent(aid)}`, {
  method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});
/** Deletes annotation `aid`. */
export const deleteAnnotation = async (id, aid) => {
  await request(`${base(id)}/annotations/${encodeURIComponent(aid)}`, { method: 'DELETE' });
};

/** The policy's answer for `observation` (raw JSON of the observation space): {output, outputs, probabilities?, action, value?}. */
export const evaluate = (id, observation, signal) => postJson(`${base(id)}/evaluate`, { observation }, signal);

/** The policy's landscape over two features (docs/api.md, POST …/landscape); abortable with `signal`. */
export const getLandscape = (id, body, signal) => postJson(`${base(id)}/landscape`, body, signal);

/**
 * Attributions of one observation that need not be recorded, with the GET route's query `params`;
 * `body` is {observation, action?, step?}. The GET route's answer shape with one step.
 */
export function explainObservation(id, params, body, signal) {
  return postJson(`${base(id)}/attributions?${new URLSearchParams(params)}`, body, signal);
}

/**
 * Rows [from, to) of an episode, fetched as one Arrow stream, as plain row objects (see toRows);
 * `observationSpace` (the metadata's) says how observations flatten.
 */
export async function getStepRows(id, episode, from, to, observationSpace) {
  const res = await request(`${base(id)}/episodes/${episode}/steps?format=arrow&from=${from}&to=${to}`);
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  return toRows(table, observationSpace);
}

/** A loader of an episode's rows, in cached Arrow chunks. */
export function episodeLoader(id, episode, rows, observationSpace, onChunk) {
  return new StepLoader(rows, (from, to) => getStepRows(id, episode, from, to, observationSpace), { onChunk });
}

/**
 * One object per row: {observation, rawObservation, action, reward, terminated, truncated,
 * info, probabilities, logits, value}; missing columns and final rows give null. `observation`
 * is the flat array of numbers in the order of metadata.features.observations (flattened by
 * `observationSpace` as gymnasium.spaces.flatten does: Discrete parts one-hot); without a space
 * it comes from the stream's own `rld.observation_space` metadata. `rawObservation` is the value
 * as stored (a Dict an object, a MultiDiscrete its integers).
 */
export function toRows(table, observationSpace = schemaSpace(table)) {
  const col = (name) => table.getChild(name);
  const cols = {
    observation: col('observations'), action: col('actions'), reward: col('rewards'),
    terminated: col('terminations'), truncated: col('truncations'), info: col('infos'),
    probabilities: col('action_probabilities'), logits: col('action_logits'), value: col('value'),
  };
  const rows = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const raw = cols.observation ? plain(cols.observation.get(i)) : null;
    let info = cols.info ? cols.info.get(i) : null;
    try { info = info ? JSON.parse(info) : {}; } catch { info = {}; }
    rows[i] = {
      observation: flattenObservation(observationSpace, raw),
      rawObservation: raw,
      action: cols.action ? plain(cols.action.get(i)) : null,
      reward: cols.reward ? plain(cols.reward.get(i)) : null,
      terminated: cols.terminated ? cols.terminated.get(i) : null,
      truncated: cols.truncated ? cols.truncated.get(i) : null,
      info,
      probabilities: cols.probabilities ? plain(cols.probabilities.get(i)) : null,
      logits: cols.logits ? plain(cols.logits.get(i)) : null,
      value: cols.value ? plain(cols.value.get(i)) : null,
    };
  }
  return rows;
}

/** An Arrow value as plain JS: BigInt -> Number, vectors and typed arrays -> arrays, structs -> objects. */
export function plain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  if (ArrayBuffer.isView(v)) return Array.from(v, plain);
  if (typeof v.toArray === 'function' && typeof v.length === 'number') return Array.from(v.toArray(), plain);
  if (typeof v.toJSON === 'function') {
    const o = v.toJSON();
    const out = {};
    for (const k of Object.keys(o)) out[k] = plain(o[k]);
    return out;
  }
  return v;
}

/** The observation space the Arrow stream's schema carries (docs/format.md), or null. */
function schemaSpace(table) {
  const text = table.schema?.metadata?.get('rld.observation_space');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * Like episodeLoader, each row also carrying its named scalars (the `scalars` struct column) as
 * `row.scalars` ({name: number | null}, or null where the row has none): the episode page plots them.
 */
export function recordedEpisodeLoader(id, episode, rows, observationSpace, onChunk) {
  return new StepLoader(rows, async (from, to) => {
    const res = await request(`${base(id)}/episodes/${episode}/steps?format=arrow&from=${from}&to=${to}`);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    return withScalars(toRows(table, observationSpace), table);
  }, { onChunk });
}

/** `rows` (toRows of `table`) with row.scalars from the table's `scalars` column (null without one). */
export function withScalars(rows, table) {
  const scalars = table.getChild('scalars');
  rows.forEach((r, i) => { r.scalars = scalars ? plain(scalars.get(i)) : null; });
  return rows;
}
