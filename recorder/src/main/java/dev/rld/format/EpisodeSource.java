package dev.rld.format;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Where a {@link Rollout}'s episodes come from: our own rollout files ({@link RolloutFiles}) or a
 * Minari dataset ({@link MinariDataset}). Rows are always handed out in our schema, so
 * {@link Steps} and everything above it reads both alike. Safe for concurrent {@link #read}s.
 */
interface EpisodeSource extends AutoCloseable {

  RolloutHeader header();

  /** Every episode, in order, with {@link EpisodeSummary#index()} its position. */
  List<EpisodeSummary> episodes();

  /** Steps over all episodes. */
  default long totalSteps() {
    return episodes().stream().mapToLong(EpisodeSummary::length).sum();
  }

  /** The files holding the episodes. */
  List<Path> files();

  /** The Arrow schema (ours) of the rows {@link #read} returns for {@code episode}. */
  Schema schema(int episode);

  /** Number of rows of {@code episode} (observations). */
  int rows(int episode);

  /** Rows {@code [from, to)} of {@code episode} (already checked to exist), allocated from {@code allocator}. */
  VectorSchemaRoot read(int episode, int from, int to, BufferAllocator allocator) throws IOException;

  /** Feeds what identifies the content into {@code digest}, without reading the steps. */
  void fingerprintInto(MessageDigest digest) throws IOException;

  List<RecoveryReport> recoveries();

  /** Takes in what was appended since; true when the episodes changed. */
  default boolean refresh() throws IOException {
    return false;
  }

  /** Whether {@link #refresh} may still find more (a file without footer, a directory). */
  default boolean growing() {
    return false;
  }

  List<SkippedFile> skipped();

  @Override
  void close() throws IOException;
}
