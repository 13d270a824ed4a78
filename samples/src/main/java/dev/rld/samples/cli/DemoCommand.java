package dev.rld.samples.cli;

import dev.rld.api.RldServer;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: records every sample env with its trained agent, then serves the recordings with
 * their policies attached so the viewer and the attribution API have something real to show.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Records every sample env with its trained agent (--agent trained) into a demo "
        + "directory: CartPole-v1 (cartpole-trained.arrow, 20 episodes), Pendulum-v1 "
        + "(pendulum-trained.arrow, 10 episodes) and PeterAndTheWolf-v0 (gridworld-trained.arrow, "
        + "50 episodes); then serves them at http://127.0.0.1:PORT/ with their policies attached: "
        + "the PyTorch-trained ONNX MLP for CartPole, the swing-up controller and the Q-learning "
        + "table as Java policies.")
final class DemoCommand extends SampleCommand {
  static final String MODEL = SamplePolicies.CARTPOLE_MODEL;
  static final String AGENT = "trained";
  static final long SEED = 1;

  /** One recording of the demo. */
  record Demo(String envId, String file, int episodes) {}

  static final List<Demo> DEMOS = List.of(
      new Demo(CartPole.ID, "cartpole-trained.arrow", 20),
      new Demo(Pendulum.ID, "pendulum-trained.arrow", 10),
      new Demo(GridWorld.ID, "gridworld-trained.arrow", 50));

  @Option(names = "--out", defaultValue = "rld-demo", paramLabel = "DIR",
      description = "Directory for the recordings (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--episodes", paramLabel = "N",
      description = "Episodes for every recording (default: 20 for CartPole-v1, 10 for Pendulum-v1, "
          + "50 for PeterAndTheWolf-v0)")
  Integer episodes;

  @Option(names = "--port", defaultValue = "8080", description = "Port to serve on (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--serve", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Serve the recordings after recording them; --no-serve only records (default: serve)")
  boolean serve;

  @Override
  protected int execute() throws IOException {
    if (episodes != null && episodes < 1) {
      throw usageError("--episodes must be at least 1, got " + episodes);
    }
    List<Path> files = new ArrayList<>();
    for (Demo demo : DEMOS) {
      Path file = dir.resolve(demo.file()).toAbsolutePath().normalize();
      int n = episodes == null ? demo.episodes() : episodes;
      recordWithProgress(demo.envId(), AGENT, n, SEED, file, "Demo: " + demo.envId() + " with its trained agent");
      // Describe the file as read back, so the summary is what a reader of the file will see.
      try (Rollout rollout = Rollout.open(file)) {
        out().println(summary(file, rollout));
        out().flush();
      }
      files.add(file);
    }
    out().println("  Look inside: java -jar rld-samples.jar inspect " + files.get(0));
    out().flush();
    if (!serve) {
      return 0;
    }
    List<Policy> policies = List.of(
        OnnxPolicy.load(extractModel(), Policy.Output.LOGITS),
        SamplePolicies.pendulum(),
        SamplePolicies.gridWorld());
    try {
      RldServer.Builder builder = RldServer.builder().port(port);
      for (int i = 0; i < files.size(); i++) {
        builder.recording(files.get(i), policies.get(i));
      }
      try (RldServer server = builder.start()) {
        out().println("Serving at " + server.url() + " " + server.ids()
            + " with their policies attached (CartPole: the PyTorch-trained ONNX MLP). Press Ctrl+C to stop.");
        out().flush();
        server.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      policies.forEach(Policy::close);
    }
    return 0;
  }

  /** One line: what a recording holds. */
  static String summary(Path file, Rollout rollout) {
    var eps = rollout.episodes();
    return String.format(Locale.ROOT,
        "Recorded %s: %s, %s agent, %d episodes, %d steps, mean return %.2f, max return %.1f",
        file, rollout.header().envId(), AGENT, eps.size(), rollout.totalSteps(),
        eps.stream().mapToDouble(EpisodeSummary::totalReturn).average().orElse(Double.NaN),
        eps.stream().mapToDouble(EpisodeSummary::totalReturn).max().orElse(Double.NaN));
  }

  /** The sample policy, copied out of the jar next to the recordings (ONNX Runtime loads files). */
  private Path extractModel() throws IOException {
    return SamplePolicies.extractCartPoleModel(dir.resolve(MODEL).toAbsolutePath().normalize());
  }
}
