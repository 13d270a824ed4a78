package dev.rld.samples.cli;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: records sample rollouts to look at; it will also serve them once the server exists. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Records CartPole-v1 with the random agent into a demo directory.")
final class DemoCommand extends SampleCommand {
  static final String FILE = "cartpole-random.arrow";
  static final long SEED = 1;

  @Option(names = "--out", defaultValue = "rld-demo", paramLabel = "DIR",
      description = "Directory for the recordings (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--episodes", defaultValue = "20", paramLabel = "N",
      description = "Episodes per recording (default: ${DEFAULT-VALUE})")
  int episodes;

  @Override
  protected int execute() throws IOException {
    if (episodes < 1) {
      throw usageError("--episodes must be at least 1, got " + episodes);
    }
    Path file = dir.resolve(FILE).toAbsolutePath().normalize();
    recordWithProgress(CartPole.ID, "random", episodes, SEED, file,
        "Demo: " + CartPole.ID + " with a random agent");
    // Describe the file as read back, so the summary is what a reader of the file will see.
    try (Rollout rollout = Rollout.open(file)) {
      var eps = rollout.episodes();
      out().println("Recorded " + file);
      out().printf(Locale.ROOT, "  %s, random agent: %d episodes, %d steps, mean return %.2f, max return %.1f%n",
          rollout.header().envId(), eps.size(), rollout.totalSteps(),
          eps.stream().mapToDouble(EpisodeSummary::totalReturn).average().orElse(Double.NaN),
          eps.stream().mapToDouble(EpisodeSummary::totalReturn).max().orElse(Double.NaN));
      out().println("  Look inside: java -jar rld-samples.jar inspect " + file);
      out().flush();
    }
    return 0;
  }
}
