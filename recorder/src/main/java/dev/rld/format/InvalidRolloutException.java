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

  public InvalidRolloutException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
