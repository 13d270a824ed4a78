package dev.rld.format;

import java.nio.file.Path;

/**
 * A file of a directory dataset that could not be read and was left out; the other files are
 * served. {@code reason} is the reader's message (it names the file and the problem).
 */
public record SkippedFile(Path file, String reason) {

  /** A sentence for users and logs. */
  public String describe() {
    return "skipped " + reason;
  }
}
