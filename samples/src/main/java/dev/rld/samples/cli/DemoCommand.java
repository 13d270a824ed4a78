package dev.rld.samples.cli;

import dev.rld.api.RldServer;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: records sample rollouts, then serves them with their policies attached so the
 * viewer and the attribution API have something real to show.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Records CartPole-v1 with the random agent into a demo directory and serves it, "
        + "with the PyTorch-trained ONNX policy attached, at http://127.0.0.1:PORT/.")
final class DemoCommand extends SampleCommand {
  static final String FILE = "cartpole-random.arrow";
  static final String MODEL = SamplePolicies.CARTPOLE_MODEL;
  static final long SEED = 1;

  @Option(names = "--out", defaultValue = "rld-demo", paramLabel = "DIR",
      description = "Directory for the recordings (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--episodes", defaultValue = "20", paramLabel = "N",
      description = "Episodes per recording (default: ${DEFAULT-VALUE})")
  int episodes;

  @Option(names = "--port", defaultValue = "8080", description = "Port to serve on (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--serve", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Serve the recordings after recording them; --no-serve only records (default: serve)")
  boolean serve;

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
    if (!serve) {
      return 0;
    }
    Policy policy = OnnxPolicy.load(extractModel(), Policy.Output.LOGITS);
    try (RldServer server = RldServer.builder().recording(file, policy).port(port).start()) {
      out().println("Serving at " + server.url() + " " + server.ids()
          + " with the CartPole policy trained in PyTorch (ONNX) attached. Press Ctrl+C to stop.");
      out().flush();
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The sample policy, copied out of the jar next to the recordings (ONNX Runtime loads files). */
  private Path extractModel() throws IOException {
    return SamplePolicies.extractCartPoleModel(dir.resolve(MODEL).toAbsolutePath().normalize());
  }
}
