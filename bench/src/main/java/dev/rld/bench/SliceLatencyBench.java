package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.viewer.LongEpisode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Latency of a 1000-step slice through the HTTP API ({@code format=arrow}) from a 10 M-step and
 * from a 10 k-step recording, and the Arrow payload against the JSON one. Targets: p50 ≤ 5 ms,
 * p99 ≤ 20 ms, the large file no more than 50 % slower, Arrow ≤ 1/3 of JSON.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.SliceLatencyBench} (recordings
 * are made once in the temp directory).
 */
public final class SliceLatencyBench {
  static final int SLICE = 1000;
  static final int EPISODE = 100_000;

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Path large = recording(10_000_000);
    Path small = recording(10_000);
    try (RldServer server = RldServer.builder().recording(large).recording(small).port(0).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String base = server.url() + "api/rollouts/";
      System.out.printf("%-10s %8s %8s %8s %8s%n", "recording", "steps", "p50 ms", "p99 ms", "mean ms");
      double[] p50 = new double[2];
      int i = 0;
      for (String id : server.ids()) {
        // Episodes long enough for a slice, from the recording itself.
        List<EpisodeSummary> longEnough;
        long steps;
        try (Rollout r = Rollout.open(id.contains("10000000") ? large : small)) {
          longEnough = r.episodes().stream().filter(e -> e.observations() > SLICE).toList();
          steps = r.totalSteps();
        }
        SplittableRandom rng = new SplittableRandom(1);
        double[] ms = new double[requests];
        for (int r = -requests / 5; r < requests; r++) { // the first fifth warms up
          EpisodeSummary ep = longEnough.get(rng.nextInt(longEnough.size()));
          int e = ep.index();
          int from = rng.nextInt(ep.observations() - SLICE);
          URI uri = URI.create(base + id + "/episodes/" + e + "/steps?format=arrow&from=" + from + "&to=" + (from + SLICE));
          long t0 = System.nanoTime();
          HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
          long t1 = System.nanoTime();
          if (res.statusCode() != 200) {
            throw new IllegalStateException(uri + " -> " + res.statusCode() + " " + new String(res.body()));
          }
          if (r >= 0) {
            ms[r] = (t1 - t0) / 1e6;
          }
        }
        Arrays.sort(ms);
        p50[i++] = ms[requests / 2];
        System.out.printf("%-10s %8d %8.2f %8.2f %8.2f%n", id.replace("rld-bench-", ""), steps,
            ms[requests / 2], ms[(int) (requests * 0.99)], Arrays.stream(ms).average().orElse(0));
      }
      System.out.printf("large / small p50: %.2f%n", p50[0] / p50[1]);
      int episode;
      try (Rollout r = Rollout.open(small)) {
        episode = r.episodes().stream().filter(e -> e.observations() > SLICE).findFirst().orElseThrow().index();
      }
      String slice = base + server.ids().get(1) + "/episodes/" + episode + "/steps?from=0&to=" + SLICE + "&format=";
      int arrow = payload(http, slice + "arrow");
      int json = payload(http, slice + "json");
      System.out.printf("1000-step payload: arrow %d B, json %d B, ratio %.3f%n", arrow, json, (double) arrow / json);
    }
  }

  private static int payload(HttpClient http, String uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(uri + " -> " + res.statusCode() + " " + new String(res.body()));
    }
    return res.body().length;
  }

  /** A CartPole recording of {@code steps} steps in episodes of up to 100 000 steps, made once. */
  static Path recording(long steps) throws IOException {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "rld-bench-" + steps + ".arrow");
    if (Files.exists(file)) {
      return file;
    }
    Path partial = Path.of(file + ".partial");
    try (var env = new RecordingEnv<>(new LongEpisode.Unlimited(EPISODE), RolloutWriter.builder(partial))) {
      long done = 0;
      for (long seed = 0; done < steps; seed++) {
        float[] obs = env.reset(seed).observation();
        Step<float[]> s;
        do {
          s = env.step(CartPoleAgents.BALANCED.act(obs));
          obs = s.observation();
          done++;
        } while (!s.done() && done < steps);
      }
    }
    Files.move(partial, file);
    return file;
  }
}
