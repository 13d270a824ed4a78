package dev.rld.cli;

import dev.rld.format.MinariExport;
import dev.rld.format.Rollout;
import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code export}: writes a recording in another tool's format (Minari's Arrow store). */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Writes a recording as a Minari dataset (Minari 0.5's Arrow store: data/metadata.json and "
        + "data/<episode>/part-0.arrow), which minari.load_dataset opens. Episodes cut off by a crash are left out.")
public final class ExportCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "RECORDING", converter = RecordingPath.class,
      description = "A rollout file, a directory of them, or a Minari dataset (its folder or minari:ID)")
  Path recording;

  @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "The format to write: minari")
  String format;

  @Parameters(index = "1", paramLabel = "OUT_DIR",
      description = "The dataset folder to create, e.g. ~/.minari/datasets/cartpole/expert-v0 (must not hold data/ yet)")
  Path out;

  @Option(names = "--dataset-id", paramLabel = "ID",
      description = "The dataset id, [namespace/]name-vN (default: the folder's name when it ends in -vN, "
          + "else the recording's name with -v0)")
  String datasetId;

  @Override
  protected int execute() throws IOException {
    if (!"minari".equals(format)) {
      throw usageError("--to " + format + " is not a format rld writes; the one it writes is: minari");
    }
    String id = datasetId != null ? datasetId : defaultId();
    if (!MinariExport.validDatasetId(id)) {
      throw usageError("'" + id + "' is not a Minari dataset id: give --dataset-id [namespace/]name-vN");
    }
    try (Rollout rollout = Rollout.open(recording);
        ProgressBar bar = progressBar("Exporting", rollout.episodes().size(), "episodes")) {
      MinariExport.Result r = MinariExport.write(rollout, out, id, (done, total) -> bar.stepTo(done));
      bar.close();
      out().printf("Wrote Minari dataset '%s' to %s: %d episodes, %d steps%s%n", id, r.dataset().resolve("data"),
          r.episodes(), r.steps(), r.incompleteSkipped() == 0 ? ""
              : " (" + r.incompleteSkipped() + " incomplete episodes left out: they have no final observation)");
      out().flush();
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    return 0;
  }

  private String defaultId() {
    String folder = out.toAbsolutePath().normalize().getFileName().toString();
    if (MinariExport.validDatasetId(folder)) {
      return folder;
    }
    String name = recording.toAbsolutePath().normalize().getFileName().toString().replaceFirst("\\.arrow$", "");
    return name.replaceAll("[^\\w-]", "_") + "-v0";
  }
}
