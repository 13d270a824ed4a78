// Range arithmetic of the lazy step loader: rows are fetched in fixed-size chunks [i*size, (i+1)*size).

/** Rows per chunk: one Arrow request of at most this many rows (the server allows 20 000). */
export const CHUNK_ROWS = 1000;

/** The chunk holding `row`. */
export function chunkIndex(row, size = CHUNK_ROWS) {
  if (!Number.isInteger(row) || row < 0) throw new RangeError(`row must be a non-negative integer, got ${row}`);
  return Math.floor(row / size);
}

/** The half-open row range [from, to) of chunk `index` in an episode of `rows` rows. */
export function chunkRange(index, rows, size = CHUNK_ROWS) {
  const from = index * size;
  return { from, to: Math.max(from, Math.min(rows, from + size)) };
}

/** Number of chunks of an episode of `rows` rows. */
export function chunkCount(rows, size = CHUNK_ROWS) {
  return Math.ceil(rows / size);
}

/** The chunk indices covering rows [from, to), clipped to [0, rows). */
export function chunksCovering(from, to, rows, size = CHUNK_ROWS) {
  const lo = Math.max(0, from);
  const hi = Math.min(rows, to);
  if (hi <= lo) return [];
  const out = [];
  for (let i = chunkIndex(lo, size); i <= chunkIndex(hi - 1, size); i++) out.push(i);
  return out;
}

/** The chunks to have around `row`: its own, then `ahead` following ones (playback goes forward). */
export function chunksAround(row, rows, size = CHUNK_ROWS, ahead = 1) {
  const first = chunkIndex(Math.min(Math.max(0, row), Math.max(0, rows - 1)), size);
  const out = [];
  for (let i = first; i <= first + ahead && i < chunkCount(rows, size); i++) out.push(i);
  return out;
}
