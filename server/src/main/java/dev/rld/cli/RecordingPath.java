package dev.rld.cli;

import dev.rld.format.MinariDataset;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/**
 * A recording argument: a path, or a Minari dataset id ({@code minari:cartpole/expert-v0})
 * resolved under {@code $MINARI_DATASETS_PATH} (default {@code ~/.minari/datasets}).
 */
final class RecordingPath implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    return of(value);
  }

  static Path of(String value) {
    return MinariDataset.resolve(value);
  }
}
