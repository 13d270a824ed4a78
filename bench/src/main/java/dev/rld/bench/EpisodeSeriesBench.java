package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.format.AgentOutput;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The timeline's plots of one very long episode: the series route (an episode's reward, return,
 * value and action downsampled into buckets of steps) over a 10 M-step CartPole-shaped episode
 * with action probabilities and a value, through a real server on a loopback port: the first
 * request (reads the episode in slices) and a repeated one (kept), and the heap the server used.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx512m -cp bench/target/rld-bench.jar
 * dev.rld.bench.EpisodeSeriesBench [steps]} from the repository root.
 */
public final class EpisodeSeriesBench {
  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "rld-series-" + steps + ".arrow");
    if (!Files.exists(file)) {
      long t0 = System.nanoTime();
      CartPole env = new CartPole();
      SplittableRandom rng = new SplittableRandom(1);
      // A random walk in CartPole's space: the series route reads columns, not physics.
      try (RolloutWriter w = RolloutWriter.builder(file).spaces(env.observationSpace(), env.actionSpace())
          .envId("CartPole-v1").open()) {
        float[] x = new float[4];
        w.beginEpisode(0L, null, x.clone(), Map.of());
        for (int t = 0; t < steps; t++) {
          for (int i = 0; i < 4; i++) {
            x[i] = (float) Math.max(-0.2, Math.min(0.2, x[i] + rng.nextDouble(-0.01, 0.01)));
          }
          float p = (float) rng.nextDouble();
          w.step(p < 0.5 ? 0 : 1, 1.0, false, t == steps - 1, x.clone(), Map.of(),
              AgentOutput.ofProbabilities(p, 1 - p).withValue(100 * (1 - Math.abs(x[2]))));
        }
      }
      System.out.printf("recorded %d steps to %s in %.1f s (%d MB)%n", steps, file, (System.nanoTime() - t0) / 1e9,
          Files.size(file) >> 20);
    }
    HttpClient http = HttpClient.newHttpClient();
    Runtime rt = Runtime.getRuntime();
    try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
      String url = server.url() + "api/rollouts/" + server.ids().get(0) + "/episodes/0/series?buckets=2000";
      System.gc();
      long heapBefore = rt.totalMemory() - rt.freeMemory();
      for (int i = 0; i < 4; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("%s series request: %d, %.0f ms, %d KB of JSON%n", i == 0 ? "first" : "again", r.statusCode(),
            ms, r.body().length() >> 10);
      }
      long heapAfter = rt.totalMemory() - rt.freeMemory();
      System.out.printf("heap used by the JVM: %d MB before, %d MB after (max heap %d MB)%n", heapBefore >> 20,
          heapAfter >> 20, rt.maxMemory() >> 20);
    }
  }
}
