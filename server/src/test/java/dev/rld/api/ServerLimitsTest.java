package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.AttributionCache;
import dev.rld.env.RecordingEnv;
import dev.rld.policy.Policy;
import dev.rld.testing.LineWalk;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one request may cost (docs/api.md, "Limits"): attribution work on a bounded pool that
 * answers 429 when full, is cancelled when the client leaves or its time runs out, a cache
 * bounded in bytes, requests priced before work, and the access token.
 */
class ServerLimitsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path recording;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void record() throws Exception {
    recording = dir.resolve("walk.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(6_000), recording)) {
      float[] x = env.reset(3L).observation();
      for (boolean done = false; !done; ) {
        var step = env.step(x[0] + 3 * x[1] > 0 ? 0 : 2); // steer back to the middle
        x = step.observation();
        done = step.done();
      }
    }
  }

  /** A policy whose every batch takes {@code millis}, counting its calls. */
  static Policy slowPolicy(AtomicInteger calls, long millis) {
    return Policy.of(2, 3, Policy.Output.LOGITS, (obs, batch) -> {
      calls.incrementAndGet();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      float[] out = new float[3 * batch];
      for (int b = 0; b < batch; b++) {
        out[3 * b] = obs[2 * b];
        out[3 * b + 1] = obs[2 * b + 1];
      }
      return out;
    });
  }

  /** Shapley with 1 000 permutations of 2 features: 2 001 rows a step, 32 steps a policy batch. */
  static final String SLOW = "api/rollouts/walk/episodes/0/attributions?method=shapley&permutations=1000&from=0&to=";

  static HttpResponse<String> get(RldServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void workStopsWhenTheClientGoesAway() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (RldServer server = RldServer.builder().recording(recording, slowPolicy(calls, 40)).port(0).start()) {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /" + SLOW + "5000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        waitFor(() -> calls.get() >= 3);
      }
      // 157 batches of 40 ms would take over 6 s; after the socket closes, a batch or two more at most.
      Thread.sleep(1_000);
      int afterClose = calls.get();
      Thread.sleep(1_000);
      assertEquals(afterClose, calls.get(), "the policy is still called after the client left");
      assertTrue(afterClose < 60, afterClose + " batches");
      // The worker is free again: a small request is answered.
      assertEquals(200, get(server, SLOW.replace("permutations=1000", "permutations=1") + "10").statusCode());
    }
  }

  @Test
  void workOverTheTimeLimitIsStoppedWith503() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Limits limits = Limits.defaults().withAttributionWork(1, 4, Duration.ofMillis(500));
    try (RldServer server = RldServer.builder().recording(recording, slowPolicy(calls, 40)).limits(limits)
        .port(0).start()) {
      HttpResponse<String> r = get(server, SLOW + "5000");
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().contains("longer than the server's limit of 500 ms"),
          r.body());
      Thread.sleep(500);
      int after = calls.get();
      Thread.sleep(500);
      assertEquals(after, calls.get(), "the computation went on after its time limit");
    }
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Limits limits = Limits.defaults().withAttributionWork(1, 1, Duration.ofSeconds(30));
    try (RldServer server = RldServer.builder().recording(recording, slowPolicy(calls, 100)).limits(limits)
        .port(0).start()) {
      // One computing, one waiting; each a different range so the cache cannot answer.
      List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        running.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.url()
            + SLOW.replace("from=0", "from=" + (i * 100)) + (i * 100 + 64))).build(), HttpResponse.BodyHandlers.ofString()));
        waitFor(() -> calls.get() >= 1);
        Thread.sleep(100);
      }
      HttpResponse<String> refused = get(server, SLOW.replace("from=0", "from=1000") + "1064");
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("2", refused.headers().firstValue("Retry-After").orElse(""));
      assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("busy"), refused.body());
      for (var f : running) {
        assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode());
      }
    }
  }

  @Test
  void theCacheStaysWithinItsBytes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    long budget = 200_000;
    Limits limits = Limits.defaults().withCacheBytes(budget);
    try (RldServer server = RldServer.builder().recording(recording, slowPolicy(calls, 0)).limits(limits)
        .port(0).start()) {
      // Each step with target=all holds 3 targets x 2 features: ~300 bytes; 6 000 steps are ~1.8 MB.
      for (int from = 0; from < 6_000; from += 1_000) {
        assertEquals(200, get(server, "api/rollouts/walk/episodes/0/attributions?from=" + from + "&to="
            + (from + 1_000)).statusCode());
      }
      AttributionCache cache = cacheOf(server);
      assertTrue(cache.weightedBytes() <= budget, cache.weightedBytes() + " bytes cached");
      assertTrue(cache.weightedBytes() > budget / 2, "the cache is used: " + cache.weightedBytes());
    }
  }

  @Test
  void requestsOverTheBudgetAreRefusedBeforeWorkWith413() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Limits limits = Limits.defaults().withCost(100_000, 1L << 30, 256L << 20, 64L << 20);
    try (RldServer server = RldServer.builder().recording(recording, slowPolicy(calls, 0)).limits(limits)
        .port(0).start()) {
      HttpResponse<String> r = get(server, SLOW + "100");
      assertEquals(413, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      // 100 steps x 2 001 rows each; 49 steps fit in 100 000 rows.
      assertEquals(200_100, body.get("cost").asLong());
      assertEquals(100_000, body.get("limit").asLong());
      assertEquals(49, body.get("maxSteps").asInt());
      assertTrue(body.get("error").asText().contains("from=0&to=49"), r.body());
      assertEquals(0, calls.get(), "nothing was computed");
      assertEquals(200, get(server, SLOW + "49").statusCode(), "the cheaper request it named is answered");
    }
  }

  @Test
  void stepsAnswersArePricedInBytes() throws Exception {
    // A LineWalk row is ~11 JSON values (176 bytes as priced): a budget of 100 rows' worth.
    long perRow;
    try (var rollout = dev.rld.format.Rollout.open(recording)) {
      perRow = RowSize.jsonBytes(rollout.schema(0));
    }
    Limits limits = Limits.defaults().withCost(1L << 24, 1L << 30, 256L << 20, 100 * perRow);
    try (RldServer server = RldServer.builder().recording(recording).limits(limits).port(0).start()) {
      HttpResponse<String> over = get(server, "api/rollouts/walk/episodes/0/steps?from=10&to=500");
      assertEquals(413, over.statusCode(), over.body());
      JsonNode body = JSON.readTree(over.body());
      assertEquals(100, body.get("maxSteps").asInt());
      assertTrue(body.get("error").asText().contains("from=10&to=110"), over.body());
      JsonNode open = JSON.readTree(get(server, "api/rollouts/walk/episodes/0/steps?from=10").body());
      assertEquals(110, open.get("to").asInt(), "without to, the answer stops where the budget does");
      assertEquals(100, open.get("rewards").size());
    }
  }

  @Test
  void aTokenIsRequiredWhenSet() throws Exception {
    try (RldServer server = RldServer.builder().recording(recording).token("s3cret").port(0).start()) {
      String base = "http://127.0.0.1:" + server.port() + "/";
      assertEquals(base + "?token=s3cret", server.url());
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "api/rollouts")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      assertTrue(refused.body().contains("access token"), refused.body());
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "api/rollouts?token=guess"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());
      HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "?token=s3cret")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, first.statusCode());
      String cookie = first.headers().firstValue("Set-Cookie").orElse("");
      assertTrue(cookie.startsWith("rld-token=s3cret") && cookie.contains("HttpOnly")
          && cookie.contains("SameSite=Strict"), cookie);
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "api/rollouts"))
          .header("Cookie", "rld-token=s3cret").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "api/rollouts"))
          .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void loopbackNeedsNoTokenAndAWildcardBindMakesOne() throws Exception {
    try (RldServer server = RldServer.builder().recording(recording).port(0).start()) {
      assertEquals(null, server.token());
    }
    assertTrue(RequestGuard.isLoopback("127.0.0.1") && RequestGuard.isLoopback("::1")
        && !RequestGuard.isLoopback("0.0.0.0"));
  }

  static AttributionCache cacheOf(RldServer server) {
    return server.attributionCache();
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      never.await(25, TimeUnit.MILLISECONDS);
    }
    assertTrue(condition.getAsBoolean(), "timed out waiting");
  }
}
