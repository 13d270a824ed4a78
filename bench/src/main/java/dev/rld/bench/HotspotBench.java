package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.cli.SamplesCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The hotspot routes over HTTP: one episode's hotspots (all eight detectors, the policy-disagrees
 * one evaluating the attached ONNX model on every step) on the trained CartPole agent's 500-step
 * episodes, first request and cached; and the ranking of episodes worth a look on recordings of
 * many short episodes, which reads the footer index only.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.HotspotBench [episodes for the ranking ..., default 100000,1000000]}.
 */
public final class HotspotBench {
  private static final int TRAINED_EPISODES = 20;

  public static void main(String[] args) throws Exception {
    int[] sizes = {100_000, 1_000_000};
    if (args.length > 0) {
      sizes = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    }
    Path work = Files.createTempDirectory("rld-hotspot-bench");
    Path trained = work.resolve("cartpole-trained.arrow");
    int code = new CommandLine(new SamplesCli()).execute("record", "--env", "CartPole-v1", "--agent", "trained",
        "--episodes", String.valueOf(TRAINED_EPISODES), "--seed", "0", "--out", trained.toString());
    if (code != 0) {
      throw new IllegalStateException("recording the trained CartPole agent failed: " + code);
    }
    try (RldServer server = RldServer.builder().recording(trained, SamplePolicies.cartPole()).port(0).start()) {
      String base = server.url() + "api/rollouts/" + server.ids().get(0) + "/episodes/";
      StartPageBench.millis(base + "0/hotspots"); // warms the JIT and ONNX Runtime on one episode
      double[] first = new double[TRAINED_EPISODES - 1];
      double[] again = new double[TRAINED_EPISODES - 1];
      for (int e = 1; e < TRAINED_EPISODES; e++) {
        first[e - 1] = StartPageBench.millis(base + e + "/hotspots");
        again[e - 1] = StartPageBench.millis(base + e + "/hotspots");
      }
      System.out.printf(Locale.ROOT, "one episode's hotspots (trained CartPole, 500 steps, policy attached),"
          + " median of %d episodes: first %.1f ms, cached %.2f ms%n", first.length, StartPageBench.median(first), StartPageBench.median(again));
    }
    for (int episodes : sizes) {
      Path file = StartPageBench.recording(episodes);
      try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
        String url = server.url() + "api/rollouts/" + server.ids().get(0) + "/hotspots?limit=";
        double[] top20 = new double[5];
        double[] top1000 = new double[5];
        for (int i = 0; i < top20.length; i++) {
          top20[i] = StartPageBench.millis(url + 20);
          top1000[i] = StartPageBench.millis(url + 1000);
        }
        System.out.printf(Locale.ROOT, "episodes worth a look over %,d episodes (medians of %d): limit=20 %.0f ms,"
            + " limit=1000 %.0f ms; first request %.0f ms%n", episodes, top20.length, StartPageBench.median(top20), StartPageBench.median(top1000),
            top20[0]);
      }
    }
  }
}
