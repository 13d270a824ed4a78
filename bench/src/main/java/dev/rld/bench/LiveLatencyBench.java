package dev.rld.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Latency from a step recorded to the API saying it exists, while a CartPole agent records at full
 * speed with the writer's defaults and {@code rld serve}'s server follows the file (target: p99 ≤
 * 2 s). The recorder notes, every 10 000 steps, how many steps it has recorded and when; a client
 * of {@code GET /api/rollouts/{id}/live} notes when each event arrives and the step count it
 * gives; a step's latency is the time from its note to the first event that counts it. Both run
 * in this JVM, on one clock.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.LiveLatencyBench [SECONDS] [AGENT]} (default 5 s, BALANCED; RANDOM for ~22-step
 * episodes).
 */
public final class LiveLatencyBench {
  private static final int NOTE_EVERY = 10_000;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    CartPoleAgents agent = args.length > 1 ? CartPoleAgents.valueOf(args[1]) : CartPoleAgents.BALANCED;
    Path dir = Files.createTempDirectory("rld-live-");
    Path file = dir.resolve("live.arrow");
    List<long[]> written = new ArrayList<>(); // {steps recorded, nanoTime}
    List<long[]> seen = new ArrayList<>(); // {steps the API counts, nanoTime}
    RecordingEnv<float[], Integer> env = new RecordingEnv<>(new CartPole(), RolloutWriter.builder(file));
    try {
      float[] obs = env.reset(0L).observation();
      env.step(agent.act(obs));
      env.writer().flush(); // a file with its schema and a batch for the server to open
      Thread.sleep(200);
      try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
        String id = server.ids().get(0);
        CountDownLatch finished = new CountDownLatch(1);
        ObjectMapper json = new ObjectMapper();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create(server.url() + "api/rollouts/" + id + "/live")).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(line -> {
              if (line.startsWith("data: ")) {
                try {
                  JsonNode state = json.readTree(line.substring(6));
                  synchronized (seen) {
                    seen.add(new long[] {state.get("totalSteps").asLong(), System.nanoTime()});
                  }
                  if (state.get("finished").asBoolean()) {
                    finished.countDown();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            }));
        long steps = 1;
        long seed = 1;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        obs = env.reset(seed).observation();
        while (true) {
          Step<float[]> s = env.step(agent.act(obs));
          steps++;
          obs = s.done() ? env.reset(++seed).observation() : s.observation();
          if (steps % NOTE_EVERY == 0) {
            long now = System.nanoTime();
            written.add(new long[] {steps, now});
            if (now > end) {
              break;
            }
          }
        }
        // The last steps: let the time bound (not close) bring them, so they are measured too.
        long last = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < last) {
          Thread.sleep(50);
          synchronized (seen) {
            if (!seen.isEmpty() && seen.get(seen.size() - 1)[0] >= written.get(written.size() - 2)[0]) {
              break;
            }
          }
        }
        env.close();
        finished.await(30, TimeUnit.SECONDS);
        report(agent, seconds, steps, written, seen, Files.size(file));
      }
    } finally {
      env.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void report(CartPoleAgents agent, double seconds, long steps, List<long[]> written,
      List<long[]> seen, long bytes) {
    List<long[]> events;
    synchronized (seen) {
      events = new ArrayList<>(seen);
    }
    // The final note may fall after the recorder's last flush-by-time: it is seen at close.
    List<long[]> notes = written.subList(0, written.size() - 1);
    double[] latencies = new double[notes.size()];
    int n = 0;
    for (long[] note : notes) {
      for (long[] event : events) {
        if (event[0] >= note[0] && event[1] >= note[1]) {
          latencies[n++] = (event[1] - note[1]) / 1e6;
          break;
        }
      }
    }
    double[] got = Arrays.copyOf(latencies, n);
    Arrays.sort(got);
    System.out.printf("%s: %d steps in %.1f s (%.1f M steps/s, %.0f MB), %d events; latency over %d of %d "
            + "noted steps: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        agent, steps, seconds, steps / seconds / 1e6, bytes / 1e6, events.size(), n, notes.size(),
        percentile(got, 0.5), percentile(got, 0.99), got.length == 0 ? Double.NaN : got[got.length - 1]);
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
