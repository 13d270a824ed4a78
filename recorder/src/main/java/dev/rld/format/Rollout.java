package dev.rld.format;

import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * An opened recording: one rollout file, or a directory of them (one per actor, say) read as one
 * dataset whose episodes are numbered across files in file-name order.
 *
 * <p>Opening reads only headers and episode indexes; {@link #read} reads the record batches a
 * step range needs and nothing else. Files that were not closed properly (a killed recorder)
 * open with every flushed batch, and {@link #recoveries()} says what was recovered and dropped.
 * Safe for concurrent {@code read} calls. Close it to release its Arrow memory.
 */
public final class Rollout implements AutoCloseable {
  /** Files in a directory with this suffix are attribution sidecars, not recordings. */
  public static final String SIDECAR_SUFFIX = ".attributions.arrow";

  private final Path path;
  private final BufferAllocator allocator;
  private final boolean ownsAllocator;
  private final List<RolloutFile> files;
  /** Files of a directory that end before their schema (their writer died before any step). */
  private final List<RecoveryReport> empty;
  /** Files of a directory that are corrupt or not rollouts, left out of the dataset. */
  private final List<SkippedFile> skipped;
  private final List<EpisodeSummary> episodes = new ArrayList<>();
  /** For each episode: its file and index entry. */
  private final List<Location> locations = new ArrayList<>();

  private record Location(RolloutFile file, EpisodeIndex.Entry entry) {}

  private Rollout(Path path, BufferAllocator allocator, boolean ownsAllocator, List<RolloutFile> files,
      List<RecoveryReport> empty, List<SkippedFile> skipped) {
    this.path = path;
    this.empty = empty;
    this.skipped = skipped;
    this.allocator = allocator;
    this.ownsAllocator = ownsAllocator;
    this.files = files;
    for (RolloutFile f : files) {
      for (EpisodeIndex.Entry e : f.index.episodes()) {
        episodes.add(new EpisodeSummary(episodes.size(), e.episodeId(), e.seed(), e.steps(),
            e.totalReturn(), e.terminated(), e.truncated(), e.complete()));
        locations.add(new Location(f, e));
      }
    }
  }

  /** Opens a rollout file, or every {@code *.arrow} file of a directory as one dataset. */
  public static Rollout open(Path path) throws IOException {
    RootAllocator allocator = new RootAllocator();
    try {
      return open(path, allocator, true);
    } catch (IOException | RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /** As {@link #open(Path)}, allocating from {@code allocator} (which the caller closes). */
  public static Rollout open(Path path, BufferAllocator allocator) throws IOException {
    return open(path, allocator, false);
  }

  private static Rollout open(Path path, BufferAllocator allocator, boolean owns) throws IOException {
    ArrowRuntime.check();
    List<Path> paths = filesOf(path);
    List<RolloutFile> files = new ArrayList<>();
    List<RecoveryReport> empty = new ArrayList<>();
    List<SkippedFile> skipped = new ArrayList<>();
    try {
      for (Path p : paths) {
        RolloutFile f;
        try {
          f = RolloutFile.open(p, allocator);
        } catch (InvalidRolloutException e) {
          if (!Files.isDirectory(path)) {
            throw e;
          }
          if (e.holdsNoData()) {
            // One actor of many died before its first step: the others' episodes still count.
            empty.add(new RecoveryReport(p, 0, 0, 0, 0, Files.size(p)));
          } else {
            // One bad file should not cost the others: serve them, report it.
            skipped.add(new SkippedFile(p, e.getMessage()));
          }
          continue;
        }
        files.add(f);
        RolloutHeader first = files.get(0).header;
        if (!f.header.observationSpace().equals(first.observationSpace())
            || !f.header.actionSpace().equals(first.actionSpace())) {
          throw new InvalidRolloutException(p, "its spaces differ from those of " + files.get(0).path
              + "; the files of one dataset must share observation and action spaces");
        }
      }
      if (files.isEmpty()) {
        throw new InvalidRolloutException(path, skipped.isEmpty() ? "no file in the directory holds any data yet"
            : "no file in the directory is readable; the first: " + skipped.get(0).reason());
      }
    } catch (IOException | RuntimeException e) {
      for (RolloutFile f : files) {
        f.close();
      }
      throw e;
    }
    return new Rollout(path, allocator, owns, files, empty, skipped);
  }

  static List<Path> filesOf(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new InvalidRolloutException(path, "no such file or directory");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> out;
    try (Stream<Path> s = Files.list(path)) {
      out = s.filter(p -> Files.isRegularFile(p))
          .filter(p -> p.getFileName().toString().endsWith(".arrow"))
          .filter(p -> !p.getFileName().toString().endsWith(SIDECAR_SUFFIX))
          .sorted().toList();
    }
    if (out.isEmpty()) {
      throw new InvalidRolloutException(path, "the directory holds no .arrow files");
    }
    return out;
  }

  /** The path that was opened (a file or a directory). */
  public Path path() {
    return path;
  }

  /** The files of this dataset, in episode order. */
  public List<Path> files() {
    return files.stream().map(f -> f.path).toList();
  }

  /** The header of the first file (all files share spaces). */
  public RolloutHeader header() {
    return files.get(0).header;
  }

  public Space observationSpace() {
    return header().observationSpace();
  }

  public Space actionSpace() {
    return header().actionSpace();
  }

  /** Every episode, in order. */
  public List<EpisodeSummary> episodes() {
    return Collections.unmodifiableList(episodes);
  }

  /** Total number of steps over all episodes. */
  public long totalSteps() {
    return episodes.stream().mapToLong(EpisodeSummary::length).sum();
  }

  /** What was recovered from files that were not closed properly; empty when all were. */
  public List<RecoveryReport> recoveries() {
    List<RecoveryReport> out = new ArrayList<>(empty);
    files.stream().map(f -> f.recovery).filter(r -> r != null).forEach(out::add);
    return out;
  }

  /** Files of a directory that could not be read and were left out; empty when none. */
  public List<SkippedFile> skipped() {
    return Collections.unmodifiableList(skipped);
  }

  /**
   * A fingerprint of the recording's content ({@code sha256:…}), to key what is computed from
   * it: it changes when any file is re-recorded, repaired, added or removed. Built from each
   * file's size, schema metadata and episode index (with format 1.1's per-batch checksums),
   * so it costs no read of the record batches.
   */
  public String fingerprint() throws IOException {
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (RolloutFile f : files) {
      f.fingerprintInto(digest);
    }
    return "sha256:" + java.util.HexFormat.of().formatHex(digest.digest());
  }

  /** The Arrow schema of the file holding {@code episode}. */
  public Schema schema(int episode) {
    return location(episode).file().schema;
  }

  /**
   * Rows {@code [from, to)} of an episode: row t holds observation t, the action taken there,
   * and the reward and flags that action brought; the last row of a complete episode holds the
   * final observation only. Reads only the record batches that hold those rows.
   */
  public Steps read(int episode, int from, int to) throws IOException {
    Location loc = location(episode);
    int rows = loc.entry().rows();
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("steps [" + from + ", " + to + ") are outside episode "
          + episode + ", which has " + rows + " rows (observations 0.." + (rows - 1) + ")");
    }
    RolloutFile file = loc.file();
    VectorSchemaRoot out = VectorSchemaRoot.create(file.schema, allocator);
    try {
      copyRows(file, loc.entry().firstRow() + from, loc.entry().firstRow() + to, out);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return new Steps(episodes.get(episode), from, out, header());
  }

  private static void copyRows(RolloutFile file, long from, long to, VectorSchemaRoot out) throws IOException {
    long[] starts = file.batchStarts;
    int written = 0;
    for (int b = EpisodeIndex.batchOf(starts, from); from < to; b++) {
      long batchEnd = starts[b + 1];
      if (batchEnd <= from) {
        continue; // an empty batch
      }
      try (VectorSchemaRoot batch = file.loadBatch(b)) {
        int r0 = (int) (from - starts[b]);
        int r1 = (int) (Math.min(to, batchEnd) - starts[b]);
        if (written == 0 && to <= batchEnd) {
          // The whole range in one batch: hand over its buffers instead of copying row by row.
          for (int c = 0; c < out.getFieldVectors().size(); c++) {
            batch.getVector(c).makeTransferPair(out.getVector(c)).splitAndTransfer(r0, r1 - r0);
          }
          out.setRowCount(r1 - r0);
          return;
        }
        for (int c = 0; c < out.getFieldVectors().size(); c++) {
          TransferPair tp = batch.getVector(c).makeTransferPair(out.getVector(c));
          for (int r = r0; r < r1; r++) {
            tp.copyValueSafe(r, written + r - r0);
          }
        }
        written += r1 - r0;
        from = starts[b] + r1;
      }
    }
    out.setRowCount(written);
  }

  private Location location(int episode) {
    if (episode < 0 || episode >= locations.size()) {
      throw new IndexOutOfBoundsException("episode " + episode + " does not exist; the recording has "
          + locations.size() + " episodes (0.." + (locations.size() - 1) + ")");
    }
    return locations.get(episode);
  }

  /** Closes the files and releases all Arrow memory; fails if a {@link Steps} is still open. */
  @Override
  public void close() throws IOException {
    for (RolloutFile f : files) {
      f.close();
    }
    if (ownsAllocator) {
      allocator.close();
    }
  }
}
