// The lazy step loader: fetches an episode's rows chunk by chunk, caches the chunks (bounded).
import { CHUNK_ROWS, chunkIndex, chunkRange, chunksAround } from './chunks.js';

export class StepLoader {
  /**
   * @param {number} rows the episode's number of rows
   * @param {(from: number, to: number) => Promise<object[]>} fetchRows one row object per row of [from, to)
   */
  constructor(rows, fetchRows, { size = CHUNK_ROWS, maxChunks = 64, onChunk = () => {} } = {}) {
    this.rows = rows;
    this.size = size;
    this.fetchRows = fetchRows;
    this.maxChunks = maxChunks;
    this.onChunk = onChunk;
    this.chunks = new Map(); // index -> {promise, rows?}; insertion order = least recently used first
  }

  /**
   * The episode has `rows` rows now (a live recording's last episode grew): the chunk that held
   * the old last row is fetched again, since it may now hold more rows.
   */
  grow(rows) {
    if (rows <= this.rows) return;
    if (this.rows > 0) this.chunks.delete(chunkIndex(this.rows - 1, this.size));
    this.rows = rows;
  }

  /** The row if its chunk is loaded, else undefined (does not fetch). */
  peek(row) {
    const c = this.chunks.get(chunkIndex(row, this.size));
    return c && c.rows ? c.rows[row - chunkIndex(row, this.size) * this.size] : undefined;
  }

  /** The row, fetching its chunk (and the next one, for playback) when needed. */
  async get(row) {
    if (row < 0 || row >= this.rows) throw new RangeError(`row ${row} outside [0, ${this.rows})`);
    const [own, ...next] = chunksAround(row, this.rows, this.size, 1);
    next.forEach((i) => this.chunk(i).catch(() => {}));
    const rows = await this.chunk(own);
    return rows[row - own * this.size];
  }

  /** Chunk `index`'s rows (cached; a failed fetch is forgotten so it can be retried). */
  chunk(index) {
    let c = this.chunks.get(index);
    if (c) {
      this.chunks.delete(index); // refresh its place in the LRU order
      this.chunks.set(index, c);
      return c.promise;
    }
    const { from, to } = chunkRange(index, this.rows, this.size);
    c = {};
    c.promise = this.fetchRows(from, to).then((rows) => {
      c.rows = rows;
      this.onChunk(index, from, rows);
      return rows;
    }, (err) => {
      this.chunks.delete(index);
      throw err;
    });
    this.chunks.set(index, c);
    while (this.chunks.size > this.maxChunks) this.chunks.delete(this.chunks.keys().next().value);
    return c.promise;
  }
}
