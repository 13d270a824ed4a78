package dev.rld.format;

import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An opened recording: one rollout file, a directory of them (one per actor, say) read as one
 * dataset whose episodes are numbered across files in file-name order, or a Minari dataset
 * directory (see {@link MinariDataset}), read as if it were our own.
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
  private final EpisodeSource source;

  private Rollout(Path path, BufferAllocator allocator, boolean ownsAllocator, EpisodeSource source) {
    this.path = path;
    this.allocator = allocator;
    this.ownsAllocator = ownsAllocator;
    this.source = source;
  }

  /**
   * Opens a rollout file, every {@code *.arrow} file of a directory as one dataset, or a Minari
   * dataset directory ({@code …/name-v0} or its {@code data} directory).
   */
  public static Rollout open(Path path) throws IOException {
    RootAllocator allocator = new RootAllocator();
    try {
      return open(path, allocator, true);
    } catch (IOException | RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /**
   * As {@link #open(Path)}, also accepting a Minari dataset id, {@code minari:ns/name-v0}, looked
   * up under {@code $MINARI_DATASETS_PATH} (default {@code ~/.minari/datasets}).
   */
  public static Rollout open(String pathOrId) throws IOException {
    return open(MinariDataset.resolve(pathOrId));
  }

  /** As {@link #open(Path)}, allocating from {@code allocator} (which the caller closes). */
  public static Rollout open(Path path, BufferAllocator allocator) throws IOException {
    return open(path, allocator, false);
  }

  private static Rollout open(Path path, BufferAllocator allocator, boolean owns) throws IOException {
    ArrowRuntime.check();
    EpisodeSource source = MinariDataset.isDataset(path) ? MinariDataset.open(path, allocator)
        : RolloutFiles.open(path, allocator);
    return new Rollout(path, allocator, owns, source);
  }

  /** The path that was opened (a file or a directory). */
  public Path path() {
    return path;
  }

  /** The files of this dataset, in episode order. */
  public List<Path> files() {
    return source.files();
  }

  /** The header of the first file (all files share spaces). */
  public RolloutHeader header() {
    return source.header();
  }

  public Space observationSpace() {
    return header().observationSpace();
  }

  public Space actionSpace() {
    return header().actionSpace();
  }

  /** Every episode, in order. */
  public List<EpisodeSummary> episodes() {
    return source.episodes();
  }

  /** Total number of steps over all episodes. */
  public long totalSteps() {
    return source.totalSteps();
  }

  /** What was recovered from files that were not closed properly; empty when all were. */
  public List<RecoveryReport> recoveries() {
    return source.recoveries();
  }

  /** Files of a directory that could not be read and were left out; empty when none. */
  public List<SkippedFile> skipped() {
    return source.skipped();
  }

  /**
   * A fingerprint of the recording's content ({@code sha256:…}), to key what is computed from
   * it: it changes when any file is re-recorded, repaired, added or removed. Built from each
   * file's size, schema metadata and episode index (with format 1.1's per-batch checksums),
   * so it costs no read of the record batches.
   */
  public String fingerprint() throws IOException {
    return fingerprint(source::fingerprintInto);
  }

  /** What fills a fingerprint's digest. */
  interface FingerprintFeed {
    void into(java.security.MessageDigest digest) throws IOException;
  }

  /** {@code sha256:…} of what {@code feed} puts into the digest. */
  static String fingerprint(FingerprintFeed feed) throws IOException {
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    feed.into(digest);
    return "sha256:" + java.util.HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Takes in what was written since the recording was opened or last refreshed: new complete
   * record batches of files without footer (a recorder still writing them; a batch only part
   * on disk waits for the next refresh), a file that got its footer, and in a directory new
   * files. Episodes only ever grow: new ones follow, and the last one of a file being written
   * gains rows. Safe while other threads read; readers see the old state or the new one whole.
   * A directory of several growing files numbers its episodes across them in file-name order,
   * so an earlier file's new episodes shift a later file's numbers.
   *
   * @return true when the episodes changed
   */
  public boolean refresh() throws IOException {
    return source.refresh();
  }

  /**
   * Whether {@link #refresh} may still find more: a file has no footer yet (it is being written,
   * or its recorder died), or a directory was opened (new files may appear).
   */
  public boolean growing() {
    return source.growing();
  }

  /** The Arrow schema of the file holding {@code episode}. */
  public Schema schema(int episode) {
    checkEpisode(episode);
    return source.schema(episode);
  }

  /**
   * Rows {@code [from, to)} of an episode: row t holds observation t, the action taken there,
   * and the reward and flags that action brought; the last row of a complete episode holds the
   * final observation only. Reads only the record batches that hold those rows.
   */
  public Steps read(int episode, int from, int to) throws IOException {
    checkEpisode(episode);
    int rows = source.rows(episode);
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("steps [" + from + ", " + to + ") are outside episode "
          + episode + ", which has " + rows + " rows (observations 0.." + (rows - 1) + ")");
    }
    VectorSchemaRoot out = source.read(episode, from, to, allocator);
    return new Steps(episodes().get(episode), from, out, header());
  }

  private void checkEpisode(int episode) {
    int n = source.episodes().size();
    if (episode < 0 || episode >= n) {
      throw new IndexOutOfBoundsException("episode " + episode + " does not exist; the recording has "
          + n + " episodes (0.." + (n - 1) + ")");
    }
  }

  /** Closes the files and releases all Arrow memory; fails if a {@link Steps} is still open. */
  @Override
  public void close() throws IOException {
    source.close();
    if (ownsAllocator) {
      allocator.close();
    }
  }
}
