package dev.rld.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The viewer's request mix from {@code clients} concurrent clients for {@code seconds}, against
 * {@code rld serve} in a child JVM (so that its RSS is the server's alone, read from /proc): a
 * 200 000-step CartPole recording (two 100 000-step episodes, made once in the temp directory)
 * with the CartPole ONNX policy. Kinds: the recording list, metadata, episodes, 1000-row Arrow
 * ranges, 100-row JSON steps, ablation attributions over 65 rows (the viewer's window) and the
 * viewer page. Prints throughput, p50/p99 latency per kind, errors, and the server's RSS.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.LoadBench [clients=100] [seconds=60]} from the repository root.
 */
final class LoadBench {
  static final Path MODEL = Path.of("models/cartpole/cartpole_mlp.onnx");
  static final String[] KINDS = {"list", "metadata", "episodes", "steps-arrow-1000", "steps-json-100",
      "attributions-65", "static"};
  static final int[] WEIGHTS = {5, 5, 5, 45, 15, 15, 10};

  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path recording = SliceLatencyBench.recording(200_000);
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "rld-loadbench-server.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.rld.cli.RldCli", "serve", recording + "=" + MODEL, "--port", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      run(server.pid(), "http://127.0.0.1:" + port, clients, seconds);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static void run(long pid, String base, int clients, int seconds) throws Exception {
    HttpClient probe = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    JsonNode list = waitForServer(probe, base);
    String id = list.get(0).get("id").asText();
    JsonNode episodes = new ObjectMapper()
        .readTree(get(probe, base + "/api/rollouts/" + id + "/episodes?limit=1000").body()).get("episodes");
    // The long episodes only (index, rows): some seeds end early, and a range needs 1000 rows.
    List<int[]> longEpisodes = new ArrayList<>();
    for (int e = 0; e < episodes.size(); e++) {
      int n = episodes.get(e).get("length").asInt() + 1;
      if (n >= 2000) {
        longEpisodes.add(new int[] {e, n});
      }
    }
    int[][] rows = longEpisodes.toArray(int[][]::new);
    System.out.printf("server pid %d on %s serves %s (%d episodes, %d of 2000+ rows); RSS idle %s%n", pid, base, id,
        episodes.size(), rows.length, Rss.of(pid));

    Map<String, List<long[]>> latencies = new ConcurrentHashMap<>();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    AtomicLong maxRss = new AtomicLong();
    long warmUpEnd = System.nanoTime() + Math.min(5, seconds / 6) * 1_000_000_000L;
    long end = warmUpEnd + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    HttpClient[] http = new HttpClient[(clients + 9) / 10]; // one client (connection pool) per ten users
    for (int i = 0; i < http.length; i++) {
      http[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        SplittableRandom rng = new SplittableRandom(client);
        Map<String, long[]> mine = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        while (System.nanoTime() < end) {
          int kind = pick(rng);
          String uri = base + path(KINDS[kind], id, rows, rng);
          long t0 = System.nanoTime();
          String error;
          try {
            HttpResponse<byte[]> r = get(http[client / 10], uri);
            error = r.statusCode() == 200 ? null : "status " + r.statusCode();
          } catch (IOException e) {
            error = e.getClass().getSimpleName();
          } catch (InterruptedException e) {
            return;
          }
          long t1 = System.nanoTime();
          if (t0 < warmUpEnd) {
            continue;
          }
          if (error != null) {
            errors.computeIfAbsent(KINDS[kind] + ": " + error, k -> new LongAdder()).increment();
          }
          long[] a = mine.computeIfAbsent(KINDS[kind], k -> new long[1024]);
          int n = counts.merge(KINDS[kind], 1, Integer::sum);
          if (n >= a.length) {
            a = Arrays.copyOf(a, a.length * 2);
            mine.put(KINDS[kind], a);
          }
          a[n] = t1 - t0; // a[0] is left unused; index n holds the n-th sample
        }
        mine.forEach((k, a) -> latencies.computeIfAbsent(k, x -> java.util.Collections.synchronizedList(new ArrayList<>()))
            .add(Arrays.copyOfRange(a, 1, counts.get(k) + 1)));
      }, "client-" + c);
      threads.add(t);
      t.start();
    }
    while (System.nanoTime() < end) {
      maxRss.accumulateAndGet(Rss.rssMb(pid), Math::max);
      Thread.sleep(1000);
    }
    for (Thread t : threads) {
      t.join();
    }
    report(latencies, errors, clients, seconds, pid, maxRss.get());
  }

  private static void report(Map<String, List<long[]>> latencies, Map<String, LongAdder> errors, int clients,
      int seconds, long pid, long maxRss) {
    long total = 0;
    System.out.printf("%n%d clients, %d s measured (after warm-up)%n", clients, seconds);
    System.out.printf("%-18s %9s %9s %9s %9s%n", "kind", "requests", "req/s", "p50 ms", "p99 ms");
    for (String kind : KINDS) {
      long[] all = latencies.getOrDefault(kind, List.of()).stream().flatMapToLong(Arrays::stream).sorted().toArray();
      total += all.length;
      if (all.length == 0) {
        System.out.printf("%-18s %9d%n", kind, 0);
        continue;
      }
      System.out.printf("%-18s %9d %9.1f %9.2f %9.2f%n", kind, all.length, all.length / (double) seconds,
          all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
    }
    System.out.printf("%-18s %9d %9.1f%n", "all", total, total / (double) seconds);
    long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
    System.out.printf("errors: %d %s%n", errorCount, new TreeMap<>(errors));
    System.out.printf("server RSS: max sampled %d MB; now %s%n", maxRss, Rss.of(pid));
  }

  private static int pick(SplittableRandom rng) {
    int r = rng.nextInt(Arrays.stream(WEIGHTS).sum());
    for (int k = 0; k < WEIGHTS.length; k++) {
      r -= WEIGHTS[k];
      if (r < 0) {
        return k;
      }
    }
    throw new AssertionError();
  }

  /** A request of this kind at a random place, as the viewer makes them. */
  private static String path(String kind, String id, int[][] episodes, SplittableRandom rng) {
    String r = "/api/rollouts/" + id;
    int[] episode = episodes[rng.nextInt(episodes.length)];
    int e = episode[0];
    int n = episode[1];
    return switch (kind) {
      case "list" -> "/api/rollouts";
      case "metadata" -> r;
      case "episodes" -> r + "/episodes";
      case "steps-arrow-1000" -> {
        int from = 1000 * rng.nextInt(n / 1000); // the viewer's 1000-row chunks
        yield r + "/episodes/" + e + "/steps?format=arrow&from=" + from + "&to=" + Math.min(n, from + 1000);
      }
      case "steps-json-100" -> {
        int from = rng.nextInt(n - 100);
        yield r + "/episodes/" + e + "/steps?from=" + from + "&to=" + (from + 100);
      }
      case "attributions-65" -> {
        int at = 32 + rng.nextInt(n - 65);
        yield r + "/episodes/" + e + "/attributions?target=all&from=" + (at - 32) + "&to=" + (at + 33);
      }
      default -> "/";
    };
  }

  private static HttpResponse<byte[]> get(HttpClient http, String uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode waitForServer(HttpClient http, String base) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      try {
        HttpResponse<byte[]> r = get(http, base + "/api/rollouts");
        if (r.statusCode() == 200) {
          return new ObjectMapper().readTree(r.body());
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the server did not start within 120 s (see its log in the temp directory)", e);
        }
      }
      Thread.sleep(200);
    }
  }
}
