package dev.rld.bench;

import dev.rld.api.HostileChecks;
import dev.rld.api.HostileClient;
import dev.rld.api.HostileRequest;
import dev.rld.api.HostileRequests;
import dev.rld.api.HostileServer;
import dev.rld.api.SlowClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hostile-request suite at full scale (issue 9), against a real server on a loopback port
 * (the server module's test fixture: a LineWalk and a 2×16×16 uint8 image recording with Java
 * policies, in this JVM): {@code requests} generated requests from {@code seed} on
 * {@code threads} threads, then 1000 cross-site form POSTs to /evaluate (the policy must not run),
 * then {@code slow} connections trickling one byte every 2 s for {@code slowSeconds} while an
 * ordinary client asks every 0.5 s. Prints counts by status, kind and check, the violations,
 * and the JVM's RSS (server and clients share it).
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.HostileRequestsBench [seed] [requests] [threads] [slow] [slowSeconds]}
 */
final class HostileRequestsBench {
  private HostileRequestsBench() {}

  public static void main(String[] args) throws Exception {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int slow = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    int slowSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    Path dir = Files.createTempDirectory("rld-hostile");
    try (HostileServer server = HostileServer.start(dir)) {
      System.out.printf("server on 127.0.0.1:%d; RSS %s%n", server.port(), Rss.self());
      generated(server, seed, requests, threads);
      crossSite(server, 1000);
      slowClients(server, slow, slowSeconds);
      System.out.printf("after all: RSS %s%n", Rss.self());
    }
  }

  private static void generated(HostileServer server, long seed, int n, int threads) throws Exception {
    List<HostileRequest> all = new HostileRequests(seed, server.port()).take(n);
    HostileClient client = new HostileClient(server.port());
    HostileChecks checks = new HostileChecks();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (HostileRequest r : all) {
      done.add(pool.submit(() -> checks.check(r, client.send(r))));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%n== %d generated requests (seed %d, %d threads): %.1f s, %.0f req/s; RSS %s%n",
        n, seed, threads, s, n / s, Rss.self());
    System.out.print(checks.report());
    System.out.printf("violations: %d%n", checks.violationCount());
    // One line per distinct (check, kind): the full list is long and repetitive.
    Map<String, String> firstByCheckAndKind = new TreeMap<>();
    for (String v : checks.violations()) {
      String[] parts = v.split(" ", 3);
      String line = v.replaceAll("\\s+", " ");
      firstByCheckAndKind.putIfAbsent(parts[0] + " " + parts[1], line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }
    firstByCheckAndKind.values().forEach(v -> System.out.println("  " + v));
  }

  /** The CSRF case at scale: text/plain POSTs from a foreign origin must never reach the policy. */
  private static void crossSite(HostileServer server, int n) {
    HostileClient client = new HostileClient(server.port());
    HostileChecks checks = new HostileChecks();
    int before = server.policyCalls.get();
    for (int i = 0; i < n; i++) {
      HostileRequest r = HostileRequests.crossSiteForm(i);
      checks.check(r, client.send(r));
    }
    System.out.printf("%n== %d cross-site text/plain POSTs to /evaluate: policy calls %d (must be 0), violations %d%n",
        n, server.policyCalls.get() - before, checks.violationCount());
    System.out.print(checks.report());
  }

  private static void slowClients(HostileServer server, int count, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/rollouts/" + HostileServer.LINE_WALK
        + "/episodes/1/steps?from=0&to=5");
    int ok = 0;
    int failed = 0;
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    try (SlowClients slow = new SlowClients(server.port(), count, 2_000, seconds * 1000L)) {
      System.out.printf("%n== %d slow connections (1 byte / 2 s) for %d s; opened %d; RSS %s%n", count, seconds,
          slow.opened(), Rss.self());
      while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok++;
          } else {
            failed++;
            failures.add("status " + r.statusCode());
          }
        } catch (java.io.IOException e) {
          failed++;
          failures.add(e.getClass().getSimpleName());
        }
        Thread.sleep(500);
      }
      System.out.printf("ordinary requests meanwhile: %d answered 200, %d failed %s%n", ok, failed,
          failures.stream().distinct().toList());
      System.out.printf("slow connections cut off by the server: %d of %d; RSS %s%n", slow.cutOff(), slow.opened(),
          Rss.self());
    }
  }
}
