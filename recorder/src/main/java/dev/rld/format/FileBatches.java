package dev.rld.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One rollout file read a record batch at a time, from any source of positional reads: for
 * engines that split a file across workers (rld-spark reads it through Hadoop file systems).
 * Opening reads the footer only, as {@link Rollout#open} does; episodes are numbered within this
 * file. Safe for concurrent {@link #read} calls; close it before its allocator.
 */
public final class FileBatches implements AutoCloseable {
  private final RolloutFile file;
  private final List<EpisodeSummary> episodes;
  /** First row of each episode, ascending. */
  private final long[] episodeStarts;

  private FileBatches(RolloutFile file) {
    this.file = file;
    List<EpisodeSummary> list = new ArrayList<>();
    List<EpisodeIndex.Entry> entries = file.index.episodes();
    episodeStarts = new long[entries.size()];
    for (EpisodeIndex.Entry e : entries) {
      episodeStarts[list.size()] = e.firstRow();
      list.add(new EpisodeSummary(list.size(), e.episodeId(), e.seed(), e.steps(), e.totalReturn(), e.terminated(),
          e.truncated(), e.complete()));
    }
    this.episodes = Collections.unmodifiableList(list);
  }

  /** Opens a local file. */
  public static FileBatches open(Path path, BufferAllocator allocator) throws IOException {
    ArrowRuntime.check();
    return new FileBatches(RolloutFile.open(path, allocator));
  }

  /**
   * Opens the file {@code channel} reads; only its positional {@code read(ByteBuffer, long)},
   * {@code size()} and {@code close()} are used. {@code name} names the file in messages. The
   * channel is closed with this object, or at once when the file cannot be opened.
   */
  public static FileBatches open(Path name, FileChannel channel, BufferAllocator allocator) throws IOException {
    ArrowRuntime.check();
    return new FileBatches(RolloutFile.openOn(name, channel, allocator));
  }

  public RolloutHeader header() {
    return file.header;
  }

  /** The file's Arrow schema (agent-output columns are optional). */
  public Schema schema() {
    return file.fileSchema;
  }

  /** Every episode of this file, numbered from 0 in file order. */
  public List<EpisodeSummary> episodes() {
    return episodes;
  }

  /** What was recovered when the file had no footer; null for a file closed properly. */
  public RecoveryReport recovery() {
    return file.recovery;
  }

  public int batchCount() {
    return file.batchCount();
  }

  /** The file row where {@code episode}'s step 0 lies. */
  public long firstRow(int episode) {
    return episodeStarts[episode];
  }

  /** The first row of record batch {@code b}; {@code batchStart(batchCount())} is the row count. */
  public long batchStart(int b) {
    return file.batchStarts[b];
  }

  /** Rows of record batch {@code b}. */
  public int batchRows(int b) {
    return (int) (file.batchStarts[b + 1] - file.batchStarts[b]);
  }

  /** The fingerprint {@link Rollout#fingerprint()} gives for this file opened alone. */
  public String fingerprint() throws IOException {
    return Rollout.fingerprint(file::fingerprintInto);
  }

  /**
   * Reads record batch {@code b}, checksum and values checked as {@link Rollout#read} checks
   * them. Columns are decoded only when their accessors are called.
   */
  public Batch read(int b) throws IOException {
    if (b < 0 || b >= batchCount()) {
      throw new IndexOutOfBoundsException("record batch " + b + " does not exist; the file has " + batchCount());
    }
    VectorSchemaRoot root = file.loadBatch(b);
    long first = file.batchStarts[b];
    int n = root.getRowCount();
    int[] episode = new int[n];
    int[] step = new int[n];
    int e = episodeAt(first);
    for (int i = 0; i < n; i++) {
      long row = first + i;
      while (e + 1 < episodeStarts.length && episodeStarts[e + 1] <= row) {
        e++;
      }
      episode[i] = e;
      step[i] = episodeStarts.length == 0 ? -1 : (int) (row - episodeStarts[e]);
    }
    EpisodeSummary head = episodes.isEmpty() ? null : episodes.get(episode.length == 0 ? 0 : episode[0]);
    return new Batch(new Steps(head, step.length == 0 ? 0 : step[0], root, file.header), episode, step);
  }

  /** The last episode starting at or before {@code row} (0 when none does). */
  private int episodeAt(long row) {
    int lo = 0;
    int hi = episodeStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (episodeStarts[mid] <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * One record batch: its rows may belong to several episodes. {@link #rows()} reads the values
   * of row {@code i} (its {@code episode()} and {@code from()} describe row 0 only);
   * {@link #episode(int)} and {@link #step(int)} place each row.
   */
  public static final class Batch implements AutoCloseable {
    private final Steps rows;
    private final int[] episode;
    private final int[] step;

    Batch(Steps rows, int[] episode, int[] step) {
      this.rows = rows;
      this.episode = episode;
      this.step = step;
    }

    public Steps rows() {
      return rows;
    }

    public int size() {
      return episode.length;
    }

    /** The episode (numbered in the file) of row {@code i}. */
    public int episode(int i) {
      return episode[i];
    }

    /** The step number within its episode of row {@code i}. */
    public int step(int i) {
      return step[i];
    }

    @Override
    public void close() {
      rows.close();
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
