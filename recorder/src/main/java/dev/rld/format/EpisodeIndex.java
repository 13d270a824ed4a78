package dev.rld.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each episode's rows lie in one file, and its summary. The writer keeps it as it goes and
 * leaves it in the footer ({@code rld.index}); the reader takes it from there, or rebuilds it by
 * scanning the small columns when a file has none (a crash, another writer).
 *
 * <p>Rows are counted across the whole file; {@code batchStarts()[b]} is the first row of batch
 * b. The JSON form is {@code {"batch_rows": [n, …], "fields": [names], "episodes": [[values], …]}}:
 * one short array per episode, streamed in and out without building a tree, so that recordings
 * with hundreds of thousands of episodes open in a small heap.
 */
final class EpisodeIndex {
  static final List<String> FIELDS = List.of("episode_id", "first_row", "rows", "steps", "return",
      "seed", "terminated", "truncated", "complete");

  private int[] batchRows = new int[16];
  /** CRC32C of each batch's bytes (format 1.1); null when the file has none (1.0, recovered). */
  private long[] batchCrcs;
  /** CRC32C of the schema message at byte 8 (format 1.1); null when unknown. */
  Long schemaCrc;
  private int batches;
  /**
   * The episodes, column by column: a recorder of short episodes adds hundreds of thousands per
   * minute, and as objects they would be a growing live set for every young collection to copy.
   */
  private final Episodes episodes = new Episodes();

  /** One episode: rows {@code [firstRow, firstRow + rows)}. */
  record Entry(int episodeId, long firstRow, int rows, int steps, double totalReturn, Long seed,
      boolean terminated, boolean truncated, boolean complete) {}

  void addBatch(int rows) {
    grow();
    batchRows[batches++] = rows;
  }

  /** A batch and the CRC32C of its bytes as written (metadata and body). */
  void addBatch(int rows, long crc) {
    if (batchCrcs == null) {
      batchCrcs = new long[batchRows.length];
    }
    grow();
    batchCrcs[batches] = crc;
    batchRows[batches++] = rows;
  }

  private void grow() {
    if (batches == batchRows.length) {
      batchRows = Arrays.copyOf(batchRows, batches * 2);
      if (batchCrcs != null) {
        batchCrcs = Arrays.copyOf(batchCrcs, batchRows.length);
      }
    }
  }

  /** An independent copy (a growing file's index is copied for each snapshot). */
  EpisodeIndex copy() {
    EpisodeIndex c = new EpisodeIndex();
    c.batchRows = batchRows.clone();
    c.batchCrcs = batchCrcs == null ? null : batchCrcs.clone();
    c.schemaCrc = schemaCrc;
    c.batches = batches;
    c.episodes.copyFrom(episodes);
    return c;
  }

  /** The CRC32C recorded for batch {@code b}, or null when the index has none. */
  Long crc(int b) {
    return batchCrcs == null ? null : batchCrcs[b];
  }

  boolean hasCrcs() {
    return batchCrcs != null;
  }

  int batchRows(int b) {
    return batchRows[b];
  }

  void addEpisode(Entry e) {
    episodes.add(e);
  }

  List<Entry> episodes() {
    return episodes;
  }

  /** Steps over all episodes. */
  long totalSteps() {
    return episodes.totalSteps;
  }

  int batches() {
    return batches;
  }

  /** First row of each batch, plus the total row count at the end. */
  long[] batchStarts() {
    long[] starts = new long[batches + 1];
    for (int b = 0; b < batches; b++) {
      starts[b + 1] = starts[b] + batchRows[b];
    }
    return starts;
  }

  /** Batch holding {@code row}, given {@link #batchStarts()}. */
  static int batchOf(long[] starts, long row) {
    int i = Arrays.binarySearch(starts, row);
    // Empty batches repeat a start: take the last batch starting at or before the row.
    if (i >= 0) {
      while (i + 1 < starts.length - 1 && starts[i + 1] == row) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = RolloutSchema.JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("batch_rows");
      for (int b = 0; b < batches; b++) {
        g.writeNumber(batchRows[b]);
      }
      g.writeEndArray();
      if (schemaCrc != null) {
        g.writeNumberField("schema_crc32c", schemaCrc);
      }
      if (batchCrcs != null) {
        g.writeArrayFieldStart("batch_crc32c");
        for (int b = 0; b < batches; b++) {
          g.writeNumber(batchCrcs[b]);
        }
        g.writeEndArray();
      }
      g.writeArrayFieldStart("fields");
      for (String f : FIELDS) {
        g.writeString(f);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("episodes");
      for (Entry e : episodes) {
        g.writeStartArray();
        g.writeNumber(e.episodeId());
        g.writeNumber(e.firstRow());
        g.writeNumber(e.rows());
        g.writeNumber(e.steps());
        g.writeNumber(e.totalReturn());
        if (e.seed() == null) {
          g.writeNull();
        } else {
          g.writeNumber(e.seed());
        }
        g.writeBoolean(e.terminated());
        g.writeBoolean(e.truncated());
        g.writeBoolean(e.complete());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  static EpisodeIndex fromJson(String json) throws IOException {
    EpisodeIndex index = new EpisodeIndex();
    List<Long> crcs = null;
    try (JsonParser p = RolloutSchema.JSON.getFactory().createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (key.equals("batch_rows")) {
          expect(value, JsonToken.START_ARRAY);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            index.addBatch(p.getIntValue());
          }
        } else if (key.equals("schema_crc32c")) {
          index.schemaCrc = crc(p);
        } else if (key.equals("batch_crc32c")) {
          expect(value, JsonToken.START_ARRAY);
          crcs = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            crcs.add(crc(p));
          }
        } else if (key.equals("fields")) {
          List<String> fields = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            fields.add(p.getText());
          }
          if (!fields.equals(FIELDS)) {
            throw new IOException("unknown episode fields " + fields);
          }
        } else if (key.equals("episodes")) {
          expect(value, JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_ARRAY) {
            index.addEpisode(entry(p));
          }
        } else {
          p.skipChildren(); // a later minor version may add entries
        }
      }
    }
    if (crcs != null) {
      if (crcs.size() != index.batches) {
        throw new IOException("batch_crc32c has " + crcs.size() + " entries but batch_rows " + index.batches);
      }
      index.batchCrcs = crcs.stream().mapToLong(Long::longValue).toArray();
    }
    return index;
  }

  /**
   * What in this index contradicts itself or {@code rows} (the file's row count), or null:
   * episodes must tile the rows from 0 in order, and have one step per row but a final one.
   */
  String inconsistency() {
    long total = 0;
    for (int b = 0; b < batches; b++) {
      if (batchRows[b] < 0) {
        return "batch_rows[" + b + "] is negative";
      }
      total += batchRows[b];
    }
    long next = 0;
    for (int i = 0; i < episodes.size(); i++) {
      Entry e = episodes.get(i);
      if (e.firstRow() != next || e.rows() < 1 || e.firstRow() + e.rows() > total) {
        return "episode " + i + " (rows " + e.firstRow() + " + " + e.rows() + ") does not follow the previous "
            + "episode (which ends at row " + next + ") within the " + total + " rows of the batches";
      }
      if (e.steps() != (e.complete() ? e.rows() - 1 : e.rows())) {
        return "episode " + i + " has " + e.rows() + " rows but " + e.steps() + " steps";
      }
      next += e.rows();
    }
    return next == total ? null : "its episodes hold " + next + " rows but the batches " + total;
  }

  private static Entry entry(JsonParser p) throws IOException {
    int id = nextInt(p);
    long firstRow = next(p).getLongValue();
    int rows = nextInt(p);
    int steps = nextInt(p);
    double ret = next(p).getDoubleValue();
    Long seed = next(p).currentToken() == JsonToken.VALUE_NULL ? null : p.getLongValue();
    boolean terminated = next(p).getBooleanValue();
    boolean truncated = next(p).getBooleanValue();
    boolean complete = next(p).getBooleanValue();
    expect(p.nextToken(), JsonToken.END_ARRAY);
    return new Entry(id, firstRow, rows, steps, ret, seed, terminated, truncated, complete);
  }

  private static long crc(JsonParser p) throws IOException {
    long crc = p.getLongValue();
    if (crc < 0 || crc > 0xFFFFFFFFL) {
      throw new IOException(crc + " is no CRC32C");
    }
    return crc;
  }

  private static JsonParser next(JsonParser p) throws IOException {
    p.nextToken();
    return p;
  }

  private static int nextInt(JsonParser p) throws IOException {
    return next(p).getIntValue();
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) {
      throw new IOException("expected " + want + " but found " + got);
    }
  }

  /** Entries in primitive arrays, read as a list of {@link Entry}. */
  private static final class Episodes extends java.util.AbstractList<Entry> implements java.util.RandomAccess {
    private static final byte SEEDED = 1;
    private static final byte TERMINATED = 2;
    private static final byte TRUNCATED = 4;
    private static final byte COMPLETE = 8;
    private int size;
    /** The sum of the episodes' steps. */
    long totalSteps;
    private int[] ids = new int[64];
    private long[] firstRows = new long[64];
    private int[] rows = new int[64];
    private int[] steps = new int[64];
    private double[] returns = new double[64];
    private long[] seeds = new long[64];
    private byte[] flags = new byte[64];

    @Override
    public boolean add(Entry e) {
      if (size == ids.length) {
        int n = size * 2;
        ids = Arrays.copyOf(ids, n);
        firstRows = Arrays.copyOf(firstRows, n);
        rows = Arrays.copyOf(rows, n);
        steps = Arrays.copyOf(steps, n);
        returns = Arrays.copyOf(returns, n);
        seeds = Arrays.copyOf(seeds, n);
        flags = Arrays.copyOf(flags, n);
      }
      ids[size] = e.episodeId();
      firstRows[size] = e.firstRow();
      rows[size] = e.rows();
      steps[size] = e.steps();
      returns[size] = e.totalReturn();
      seeds[size] = e.seed() == null ? 0 : e.seed();
      flags[size] = (byte) ((e.seed() != null ? SEEDED : 0) | (e.terminated() ? TERMINATED : 0)
          | (e.truncated() ? TRUNCATED : 0) | (e.complete() ? COMPLETE : 0));
      size++;
      totalSteps += e.steps();
      return true;
    }

    @Override
    public Entry get(int i) {
      java.util.Objects.checkIndex(i, size);
      byte f = flags[i];
      return new Entry(ids[i], firstRows[i], rows[i], steps[i], returns[i],
          (f & SEEDED) != 0 ? seeds[i] : null, (f & TERMINATED) != 0, (f & TRUNCATED) != 0,
          (f & COMPLETE) != 0);
    }

    @Override
    public int size() {
      return size;
    }

    void copyFrom(Episodes o) {
      size = o.size;
      totalSteps = o.totalSteps;
      ids = o.ids.clone();
      firstRows = o.firstRows.clone();
      rows = o.rows.clone();
      steps = o.steps.clone();
      returns = o.returns.clone();
      seeds = o.seeds.clone();
      flags = o.flags.clone();
    }
  }
}
