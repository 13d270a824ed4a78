package dev.rld.api;

import static dev.rld.api.HostileRequest.Expect.any;
import static dev.rld.api.HostileRequests.DT;
import static dev.rld.api.HostileRequests.LW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.HostileClient.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's contract against hostile clients (issue 9), on a real server on a loopback port
 * with a LineWalk and a 2×16×16 uint8 image recording, each with a Java policy that counts its
 * calls: a few hundred generated requests (fixed seed), checked by kind, and one test per point
 * of the contract.
 */
class HostileRequestsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int GENERATED = 400;
  static final long SEED = 20261201L;

  @TempDir static Path dir;
  static HostileServer fixture;
  static HostileClient client;

  @BeforeAll
  static void start() throws IOException {
    fixture = HostileServer.start(dir);
    client = new HostileClient(fixture.port());
  }

  @AfterAll
  static void stop() throws IOException {
    fixture.close();
  }

  @AfterEach
  void stillServes() {
    fixture.tripwire = false;
    fixture.slowMillis = 0;
    // Whatever a test sent, the server must go on answering ordinary requests.
    assertEquals(200, client.send(HostileRequest.get("valid", LW + "/episodes", any())).status());
  }

  /** One dynamic test per kind of request: every reply of that kind passes every check. */
  @TestFactory
  Stream<DynamicTest> generatedRequests() {
    Map<String, List<HostileRequest>> byKind = new TreeMap<>();
    for (HostileRequest r : new HostileRequests(SEED, fixture.port()).take(GENERATED)) {
      byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r);
    }
    return byKind.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + " (" + e.getValue().size() + ")",
        () -> {
          HostileChecks checks = new HostileChecks();
          for (HostileRequest r : e.getValue()) {
            checks.check(r, client.send(r));
          }
          assertEquals(List.of(), checks.violations(), e.getKey() + ":\n" + checks.report());
        }));
  }

  static Reply send(HostileRequest r) {
    Reply reply = client.send(r);
    assertEquals(List.of(), new HostileChecks().check(r, reply));
    return reply;
  }

  static String error(Reply r, int status) throws IOException {
    assertEquals(status, r.status(), r.shortText());
    assertTrue(HostileChecks.isJsonError(r), r.header("Content-Type") + ": " + r.shortText());
    return JSON.readTree(r.body()).get("error").asText();
  }

  static HostileRequest get(String target) {
    return HostileRequest.get("named", target, any());
  }

  static HostileRequest evaluate(String target, String contentType, String body) {
    return HostileBodies.post("named", target, contentType, body, any());
  }

  @Test
  void dnsRebindingForeignHostIsRefusedOnEveryPath() throws IOException {
    for (String path : List.of("/api/rollouts", LW + "/episodes/0/steps?to=3", "/", "/index.html", "/api/nothing")) {
      for (String host : List.of("evil.example", "evil.example:" + fixture.port(), "127.0.0.1.evil.example")) {
        error(send(get(path).withHeader("Host", host)), 403);
      }
    }
    int calls = fixture.policyCalls.get();
    error(send(evaluate(LW + "/evaluate", "application/json", "{\"observation\": [0.1, 0.2]}")
        .withHeader("Host", "evil.example").withHeader("Origin", "http://evil.example")), 403);
    assertEquals(calls, fixture.policyCalls.get(), "the policy ran for a foreign Host");
    for (String host : List.of("localhost", "localhost:1", "127.0.0.1", "[::1]:" + fixture.port())) {
      assertEquals(200, send(get("/api/rollouts").withHeader("Host", host)).status(), host);
    }
  }

  @Test
  void crossSiteTextPlainPostNeverRunsThePolicy() throws IOException {
    int calls = fixture.policyCalls.get();
    String body = "{\"observation\": [0.1, 0.2]}";
    Reply form = send(evaluate(LW + "/evaluate", "text/plain", body).withHeader("Origin", "http://evil.example")
        .withHeader("Sec-Fetch-Site", "cross-site"));
    assertTrue(form.status() == 403 || form.status() == 415, form.status() + " " + form.shortText());
    assertTrue(HostileChecks.isJsonError(form), form.shortText());
    error(send(evaluate(LW + "/evaluate", "text/plain", body)), 415);
    error(send(evaluate(LW + "/evaluate", "application/x-www-form-urlencoded", body)), 415);
    error(send(HostileRequest.post("named", LW + "/evaluate", null, body.getBytes(StandardCharsets.UTF_8), any())),
        415);
    assertEquals(calls, fixture.policyCalls.get(), "the policy ran for a refused POST");
    assertEquals(200, send(evaluate(LW + "/evaluate", "application/json; charset=utf-8", body)).status());
    assertEquals(calls + 1, fixture.policyCalls.get());
  }

  @Test
  void foreignOriginAndCrossSiteFetchesAreRefused() throws IOException {
    for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:" + fixture.port(),
        "http://localhost.evil.example:" + fixture.port())) {
      error(send(get("/api/rollouts").withHeader("Origin", origin)), 403);
    }
    error(send(get(LW).withHeader("Sec-Fetch-Site", "cross-site")), 403);
    error(send(get(LW).withHeader("Sec-Fetch-Site", "same-site")), 403);
    assertEquals(200, send(get(LW).withHeader("Origin", "http://127.0.0.1:" + fixture.port())).status());
    assertEquals(200, send(get(LW).withHeader("Origin", "http://localhost:" + fixture.port())).status());
    assertEquals(200, send(get(LW).withHeader("Sec-Fetch-Site", "same-origin")).status());
  }

  @Test
  void wrongMethodIs405WithAllow() throws IOException {
    Reply put = send(get("/api/rollouts").withMethod("PUT"));
    error(put, 405);
    assertTrue(put.header("Allow").contains("GET"), put.header("Allow"));
    Reply get = send(get(LW + "/evaluate"));
    error(get, 405);
    assertTrue(get.header("Allow").contains("POST"), get.header("Allow"));
    error(send(get(LW + "/episodes/0/steps").withMethod("DELETE")), 405);
    error(send(get(LW + "/episodes").withMethod("PATCH")), 405);
  }

  @Test
  void headAnswersAsGetWithoutBody() throws IOException {
    for (String path : List.of("/api/rollouts", LW, DT + "/episodes/1/steps?from=0&to=3&format=arrow")) {
      Reply get = send(get(path));
      Reply head = send(get(path).withMethod("HEAD"));
      assertEquals(200, get.status(), path);
      assertEquals(get.status(), head.status(), path);
      assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
      assertEquals(0, head.body().length, path);
    }
    Reply unknown = send(get("/api/rollouts/nope/episodes").withMethod("HEAD"));
    assertEquals(404, unknown.status());
    assertEquals(0, unknown.body().length);
  }

  @Test
  void jettyRefusalsAreJson() throws IOException {
    String host = "Host: 127.0.0.1:" + fixture.port() + "\r\nConnection: close";
    error(send(HostileRequest.rawHead("named", "GET /api/rollouts/" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host,
        new byte[0], any())), 414);
    error(send(HostileRequest.rawHead("named", "GET /api/rollouts HTTP/1.1\r\nX-Pad: " + "a".repeat(20_000) + "\r\n"
        + host, new byte[0], any())), 431);
    int calls = fixture.policyCalls.get();
    error(send(HostileRequest.rawHead("named", "POST " + LW + "/evaluate HTTP/1.1\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n" + host, "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), any())), 400);
    assertEquals(calls, fixture.policyCalls.get());
    error(send(HostileRequest.rawHead("named", "GET /api/rollouts HTTP/9.9\r\n" + host, new byte[0],
        HostileRequest.Expect.status("must-be-505", 505))), 505);
  }

  @Test
  void badValuesAre400NamingTheElement() throws IOException {
    int calls = fixture.policyCalls.get();
    assertTrue(error(send(get(LW + "/episodes/1/attributions?baseline=NaN,0")), 400).contains("baseline"));
    assertTrue(error(send(get(LW + "/episodes/1/attributions?baseline=0,Infinity")), 400).contains("baseline"));
    assertTrue(error(send(evaluate(DT + "/evaluate", "application/json", HostileBodies.image(100, "256"))), 400)
        .contains("256"));
    assertTrue(error(send(evaluate(LW + "/evaluate", "application/json", "{\"observation\": [\"NaN\", 0]}")), 400)
        .contains("NaN"));
    error(send(evaluate(LW + "/evaluate", "application/json", "{\"observation\": [0.1, 0.2, 0.3]}")), 400);
    assertEquals(calls, fixture.policyCalls.get(), "the policy ran for a refused value");
  }

  @Test
  void bodyOverTheLimitIs413() throws IOException {
    String big = "{\"observation\": [0.1, 0.2], \"pad\": \"" + "x".repeat(HostileBodies.OVER_LIMIT) + "\"}";
    error(send(evaluate(LW + "/evaluate", "application/json", big)), 413);
  }

  @Test
  void hugeOcclusionIs413NamingTheBudgetWithoutRunningThePolicy() throws IOException {
    int calls = fixture.policyCalls.get();
    fixture.tripwire = true; // a server that starts the work ends it at once (500) instead of for minutes
    String message = error(send(get(DT + "/episodes/0/attributions?method=occlusion&window=1,1&stride=1,1&target=all"
        + "&from=0&to=" + HostileServer.LONG_EPISODE)), 413);
    assertTrue(message.toLowerCase().contains("budget"), message);
    // Per pixel and per permutation on an image: one row alone is over any budget.
    error(send(get(DT + "/episodes/1/attributions?method=shapley&permutations=1000&from=0&to=1")), 413);
    fixture.tripwire = false;
    assertEquals(calls, fixture.policyCalls.get(), "the policy ran for a request over the budget");
    assertEquals(200, send(get(DT + "/episodes/1/attributions?method=occlusion&from=0&to=2")).status());
  }

  @Test
  void concurrentAttributionsAreServedOrToldToRetry() throws Exception {
    fixture.slowMillis = 300;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String q = "?method=shapley&permutations=25&seed=" + (1000 + i) + "&from=" + (100 * i) + "&to=" + (100 * i + 10);
        replies.add(pool.submit(() -> send(get(LW + "/episodes/0/attributions" + q))));
      }
      for (Future<Reply> f : replies) {
        Reply r = f.get();
        assertTrue(r.status() == 200 || r.status() == 429 && r.header("Retry-After") != null,
            r.status() + " " + r.shortText());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void clientDisconnectCancelsTheComputation() throws Exception {
    fixture.slowMillis = 100;
    String q = LW + "/episodes/0/attributions?method=shapley&permutations=1000&from=0&to=600&seed=";
    int before = fixture.policyCalls.get();
    assertEquals(200, send(get(q + 1)).status());
    int whole = fixture.policyCalls.get() - before;
    assertTrue(whole >= 6, "too few policy calls to see a cancellation: " + whole);
    before = fixture.policyCalls.get();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fixture.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + q + 2 + " HTTP/1.1\r\nHost: 127.0.0.1:" + fixture.port() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < 100 && fixture.policyCalls.get() == before; i++) {
        Thread.sleep(50); // until the computation has started
      }
    }
    // Wait as long as the whole computation took, and some: a server that goes on computing
    // makes every call; one that cancels stops within a batch or two.
    int seen = -1;
    for (int i = 0; i < 100 && seen != fixture.policyCalls.get(); i++) {
      seen = fixture.policyCalls.get();
      Thread.sleep(400);
    }
    int made = fixture.policyCalls.get() - before;
    assertTrue(made < whole, "after the client left the server made " + made + " of " + whole + " policy calls");
  }
}
