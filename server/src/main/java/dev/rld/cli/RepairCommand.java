package dev.rld.cli;

import dev.rld.format.RolloutRepair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code repair}: gives files that a killed recorder left without a footer the footer they lack. */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Rewrites a rollout file that a killed recorder left without its Arrow footer so that any "
        + "Arrow reader (Arrow JS, pyarrow) opens it: keeps every complete record batch, drops an unfinished "
        + "one, and replaces the file atomically (a crash during repair leaves the original). Files that "
        + "were closed properly are left untouched. Prints one line per file; exits with 1 when any file "
        + "cannot be repaired. Run it only once the file's recorder is gone.")
public final class RepairCommand extends CliCommand {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rollout files")
  List<Path> files;

  @Override
  protected int execute() {
    boolean allGood = true;
    for (Path file : files) {
      try {
        out().println(RolloutRepair.repair(file).describe());
      } catch (IOException e) {
        // One file's failure does not stop the others: report it and go on.
        err().println(spec.qualifiedName() + ": " + describe(e) + " (the file is unchanged)");
        allGood = false;
      }
      out().flush();
      err().flush();
    }
    return allGood ? 0 : 1;
  }
}
