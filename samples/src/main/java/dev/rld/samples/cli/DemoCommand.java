package dev.rld.samples.cli;

import dev.rld.api.RldServer;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.agents.TorchAgents;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.CartPoleContinuous;
import dev.rld.samples.envs.CartPoleUdrl;
import dev.rld.samples.envs.Catch;
import dev.rld.samples.envs.EnergyGridWorld;
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
        + "(pendulum-trained.arrow, 10 episodes), PeterAndTheWolf-v0 (gridworld-trained.arrow, "
        + "50 episodes), Catch-v0 (catch-trained.arrow, 20 episodes) and CartPoleSwingUp-v0 (swingup-tiny.arrow, "
        + "10 episodes, the tiny-policy search's network), CartPole-v1 with PPO and with its untrained start "
        + "(cartpole-ppo.arrow, cartpole-ppo-initial.arrow, 10 episodes each) and CartPoleUDRL-v1 (cartpole-udrl.arrow, "
        + "10 episodes, upside-down RL), Q-learning on CartPole-v1 (cartpole-qlearning.arrow, 10 episodes) and in "
        + "PeterAndTheWolfEnergy-v0 (energy-qlearning.arrow, 20 episodes); then serves them at "
        + "http://127.0.0.1:PORT/ with their policies attached: the PyTorch-trained ONNX MLP for "
        + "CartPole (compared with its round-0 checkpoint) and ONNX CNN for Catch, the swing-up "
        + "controller, the Q-learning table and the tiny policy as Java policies.")
final class DemoCommand extends SampleCommand {
  static final String AGENT = "trained";
  static final long SEED = 1;

  /** Makes the policy served with a recording; ONNX models are copied into the demo directory. */
  @FunctionalInterface
  interface PolicySource {
    Policy load(Path dir) throws IOException;
  }

  /** One recording of the demo: its agent, the policy served with it, and one to compare it with (or null). */
  record Demo(String envId, String file, int episodes, String agent, PolicySource policy, PolicySource compare) {
    Demo(String envId, String file, int episodes, PolicySource policy) {
      this(envId, file, episodes, AGENT, policy, null);
    }

    Demo(String envId, String file, int episodes, String agent, PolicySource policy) {
      this(envId, file, episodes, agent, policy, null);
    }
  }

  static final List<Demo> DEMOS = List.of(
      // Served with the actor-critic: the same actor, and a value head the viewer can explain;
      // compared with the same network after round 0 of its training (what training changed).
      new Demo(CartPole.ID, "cartpole-trained.arrow", 20, AGENT, dir -> onnx(dir, SamplePolicies.CARTPOLE_ACTOR_CRITIC),
          dir -> onnx(dir, SamplePolicies.CARTPOLE_ROUND0)),
      new Demo(Pendulum.ID, "pendulum-trained.arrow", 10, dir -> SamplePolicies.pendulum()),
      new Demo(GridWorld.ID, "gridworld-trained.arrow", 50, dir -> SamplePolicies.gridWorld()),
      new Demo(Catch.ID, "catch-trained.arrow", 20, dir -> onnx(dir, SamplePolicies.CATCH_MODEL)),
      // the tiny-policy search's 57-parameter network swinging the pole up (issue 15)
      new Demo(CartPoleContinuous.SWING_UP_ID, "swingup-tiny.arrow", 10, "tiny",
          dir -> SamplePolicies.tiny(CartPoleContinuous.SWING_UP_ID)),
      // PPO (PyTorch) compared with its untrained start, which also plays: what training changed
      new Demo(CartPole.ID, "cartpole-ppo.arrow", 10, "ppo", dir -> onnx(dir, TorchAgents.PPO_MODEL),
          dir -> onnx(dir, TorchAgents.PPO_INITIAL_MODEL)),
      new Demo(CartPole.ID, "cartpole-ppo-initial.arrow", 10, "ppo-initial", dir -> onnx(dir, TorchAgents.PPO_INITIAL_MODEL)),
      // upside-down RL: the observation holds the command, so attributions weigh command against state
      new Demo(CartPoleUdrl.ID, "cartpole-udrl.arrow", 10, "udrl", dir -> onnx(dir, TorchAgents.UDRL_MODEL)),
      // tabular Q-learning on CartPole (the tutorial's bins) and in the harder world of energy and fatigue
      new Demo(CartPole.ID, "cartpole-qlearning.arrow", 10, "qlearning", dir -> SamplePolicies.cartPoleQLearning()),
      new Demo(EnergyGridWorld.ID, "energy-qlearning.arrow", 20, "qlearning", dir -> SamplePolicies.energyGridWorld()));

  @Option(names = "--out", paramLabel = "DIR",
      description = "Directory for the recordings (default: $XDG_CACHE_HOME/rld/demo, else ~/.cache/rld/demo)")
  Path dir;

  @Option(names = "--episodes", paramLabel = "N",
      description = "Episodes for every recording (default: 20 for CartPole-v1, 10 for Pendulum-v1, "
          + "50 for PeterAndTheWolf-v0, 20 for Catch-v0 and PeterAndTheWolfEnergy-v0, 10 for the others)")
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
    if (dir == null) {
      dir = defaultDirectory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }
    List<Path> files = new ArrayList<>();
    for (Demo demo : DEMOS) {
      Path file = dir.resolve(demo.file()).toAbsolutePath().normalize();
      int n = episodes == null ? demo.episodes() : episodes;
      recordWithProgress(demo.envId(), demo.agent(), n, SEED, file, "Demo: " + demo.envId() + " with its " + demo.agent() + " agent");
      // Describe the file as read back, so the summary is what a reader of the file will see.
      try (Rollout rollout = Rollout.open(file)) {
        out().println(summary(file, demo.agent(), rollout));
        out().flush();
      }
      files.add(file);
    }
    out().println("  Look inside: java -jar " + jarPath() + " inspect " + files.get(0));
    out().flush();
    if (!serve) {
      return 0;
    }
    List<Policy> policies = new ArrayList<>();
    List<Policy> compared = new ArrayList<>();
    try {
      for (Demo demo : DEMOS) {
        policies.add(demo.policy().load(dir));
        compared.add(demo.compare() == null ? null : demo.compare().load(dir));
      }
      RldServer.Builder builder = RldServer.builder().port(port);
      for (int i = 0; i < files.size(); i++) {
        builder.recording(files.get(i), policies.get(i), compared.get(i));
      }
      try (RldServer server = builder.start()) {
        out().println("Serving at " + server.url() + " " + server.ids()
            + " with their policies attached (CartPole and Catch: the PyTorch-trained ONNX models).");
        server.notes().forEach(n -> out().println("  " + n));
        out().println("Press Ctrl+C to stop.");
        out().flush();
        server.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      policies.forEach(Policy::close);
      compared.stream().filter(java.util.Objects::nonNull).forEach(Policy::close);
    }
    return 0;
  }

  /**
   * Where the demo writes when not told: the user's cache (XDG), never the directory it runs in,
   * which may be a repository that would then hold untracked recordings.
   */
  static Path defaultDirectory(String xdgCacheHome, String userHome) {
    Path cache = xdgCacheHome != null && !xdgCacheHome.isBlank() ? Path.of(xdgCacheHome)
        : Path.of(userHome, ".cache");
    return cache.resolve("rld").resolve("demo");
  }

  /** This jar as the user can type it: relative to the working directory when inside it. */
  static String jarPath() {
    try {
      Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!jar.toString().endsWith(".jar")) {
        return "samples/target/rld-samples.jar"; // run from classes (tests): where the build puts it
      }
      Path cwd = Path.of("").toAbsolutePath();
      return jar.startsWith(cwd) ? cwd.relativize(jar).toString() : jar.toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "samples/target/rld-samples.jar";
    }
  }

  /** One line: what a recording holds. */
  static String summary(Path file, String agent, Rollout rollout) {
    var eps = rollout.episodes();
    return String.format(Locale.ROOT,
        "Recorded %s: %s, %s agent, %d episodes, %d steps, mean return %.2f, max return %.1f",
        file, rollout.header().envId(), agent, eps.size(), rollout.totalSteps(),
        eps.stream().mapToDouble(EpisodeSummary::totalReturn).average().orElse(Double.NaN),
        eps.stream().mapToDouble(EpisodeSummary::totalReturn).max().orElse(Double.NaN));
  }

  /** A sample ONNX policy, copied out of the jar next to the recordings (ONNX Runtime loads files). */
  private static Policy onnx(Path dir, String model) throws IOException {
    return OnnxPolicy.load(SamplePolicies.extractModel(model, dir.resolve(model).toAbsolutePath().normalize()),
        Policy.Output.LOGITS);
  }
}
