package dev.rld.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a readable rollout: not Arrow, truncated before any data, a foreign or
 * wrong schema, or a format version this reader does not know. The message names the file and
 * the problem.
 */
public final class InvalidRolloutException extends IOException {
  private final Path file;
  private final boolean holdsNoData;

  public InvalidRolloutException(Path file, String problem) {
    this(file, problem, false);
  }

  InvalidRolloutException(Path file, String problem, boolean holdsNoData) {
    super(file + ": " + problem);
    this.file = file;
    this.holdsNoData = holdsNoData;
  }

  /** The file ends before its schema: a writer that died before its first step leaves one. */
  boolean holdsNoData() {
    return holdsNoData;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
