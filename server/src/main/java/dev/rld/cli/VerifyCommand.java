package dev.rld.cli;

import dev.rld.format.RolloutVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code verify}: reads every byte of rollout files and says which are intact. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Checks rollout files completely: every record batch against its checksum (format 1.1), "
        + "every value against its space, the episode index against the rows. Prints one line per file; "
        + "exits with 1 when any file is bad.")
public final class VerifyCommand extends CliCommand {
  /** Files larger than this get a progress bar. */
  static final long PROGRESS_BYTES = 64L << 20;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Rollout files or directories of them")
  List<Path> paths;

  @Override
  protected int execute() throws IOException {
    boolean allGood = true;
    try (RootAllocator allocator = new RootAllocator()) {
      for (Path path : paths) {
        for (Path file : RolloutVerifier.files(path)) {
          RolloutVerifier.Result result = verify(file, allocator);
          out().println(result.describe());
          out().flush();
          allGood &= result.ok();
        }
      }
    }
    return allGood ? 0 : 1;
  }

  private RolloutVerifier.Result verify(Path file, RootAllocator allocator) throws IOException {
    if (Files.size(file) < PROGRESS_BYTES) {
      return RolloutVerifier.verify(file, allocator, (done, total) -> {});
    }
    try (ProgressBar bar = progressBar("Verifying " + file.getFileName(), 0, "batches")) {
      return RolloutVerifier.verify(file, allocator, (done, total) -> {
        bar.maxHint(total);
        bar.stepTo(done);
      });
    }
  }
}
