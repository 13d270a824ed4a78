package dev.rld.api;

import static dev.rld.hotspot.Recordings.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.hotspot.Hotspot;
import dev.rld.hotspot.Recordings;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hotspot routes over HTTP, on a recording with known events and a Java policy attached. */
class HotspotRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path dir;
  private static RldServer server;
  private static String base;

  /**
   * Episode 0: action 0 at p = 0.9 and reward 1, but action 1 at p = 0.01 at step 7 and +50 at
   * step 19; terminated after 30 steps. Episode 1: 40 quiet steps, truncated. Episode 2: 5 steps,
   * terminated. The policy prefers action 0, except at observations 12 and 13.
   */
  @BeforeAll
  static void start() throws IOException {
    Path file = Recordings.write(dir.resolve("events.arrow"),
        new Recordings.Episode(30, true, t -> new Recordings.Step(t == 7 ? 1 : 0, t == 19 ? 50 : 1,
            probabilities(t == 7 ? 0.99 : 0.9).withValue(1))),
        new Recordings.Episode(40, false, t -> new Recordings.Step(0, 1, probabilities(0.9).withValue(1))),
        new Recordings.Episode(5, true, t -> new Recordings.Step(0, 1, probabilities(0.9).withValue(1))));
    Policy policy = Policy.of(2, 2, Policy.Output.LOGITS, (x, batch) -> {
      float[] out = new float[2 * batch];
      for (int b = 0; b < batch; b++) {
        boolean right = x[2 * b] == 12 || x[2 * b] == 13;
        out[2 * b] = right ? 0 : 2 + 0.1f * x[2 * b];
        out[2 * b + 1] = right ? 3 : 0.05f * x[2 * b + 1];
      }
      return out;
    });
    server = RldServer.builder().recording(file, policy).port(0).start();
    base = server.url() + "api/rollouts/events";
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", path);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode detector(JsonNode answer, String kind) {
    for (JsonNode d : answer.get("detectors")) {
      if (d.get("kind").asText().equals(kind)) {
        return d;
      }
    }
    throw new AssertionError("no detector " + kind + " in " + answer);
  }

  @Test
  void anEpisodesHotspotsHaveTheirShape() throws Exception {
    JsonNode a = ok("/episodes/0/hotspots");
    assertEquals(Set.of("episode", "hotspots", "detectors"), keys(a));
    assertEquals(0, a.get("episode").asInt());
    JsonNode first = a.get("hotspots").get(0);
    assertEquals(Set.of("from", "to", "kind", "score", "reason"), keys(first));
    assertEquals(List.of(7, 7), List.of(first.get("from").asInt(), first.get("to").asInt()));
    assertEquals(Hotspot.UNLIKELY_ACTION, first.get("kind").asText());
    assertEquals(0.9, first.get("score").asDouble(), 1e-9);
    assertEquals("picked action 1 with probability 0.01 at step 7", first.get("reason").asText());
    JsonNode second = a.get("hotspots").get(1);
    assertEquals(Hotspot.REWARD, second.get("kind").asText());
    assertEquals(19, second.get("from").asInt());
    List<String> kinds = new ArrayList<>();
    for (JsonNode d : a.get("detectors")) {
      kinds.add(d.get("kind").asText());
      assertEquals(d.get("ran").asBoolean() ? Set.of("kind", "ran", "found") : Set.of("kind", "ran", "why"), keys(d));
    }
    assertEquals(Hotspot.KINDS, kinds);
    JsonNode disagrees = detector(a, Hotspot.POLICY_DISAGREES);
    assertEquals(2, disagrees.get("found").asInt(), "step 7 (the unlikely action), and steps 12 and 13");
    List<List<Integer>> ranges = new ArrayList<>();
    for (JsonNode h : a.get("hotspots")) {
      if (h.get("kind").asText().equals(Hotspot.POLICY_DISAGREES)) {
        ranges.add(List.of(h.get("from").asInt(), h.get("to").asInt()));
      }
    }
    assertEquals(Set.of(List.of(7, 7), List.of(12, 13)), Set.copyOf(ranges));
    assertEquals(a, ok("/episodes/0/hotspots"), "kept and answered again alike");
    HttpResponse<String> head = send("HEAD", "/episodes/0/hotspots");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void attributionShiftsRunOnceTheEpisodesAttributionsAreComputed() throws Exception {
    JsonNode before = detector(ok("/episodes/2/hotspots"), Hotspot.ATTRIBUTION_SHIFT);
    assertFalse(before.get("ran").asBoolean());
    assertTrue(before.get("why").asText().contains("not computed for every step"), before.toString());
    ok("/episodes/2/attributions"); // the viewer's default request: every row of the episode
    JsonNode after = detector(ok("/episodes/2/hotspots"), Hotspot.ATTRIBUTION_SHIFT);
    assertTrue(after.get("ran").asBoolean(), after.toString());
    assertTrue(after.get("found").isInt());
  }

  @Test
  void theRankingNamesEpisodesWorthALook() throws Exception {
    ok("/episodes/0/hotspots");
    JsonNode r = ok("/hotspots");
    assertEquals(Set.of("episodes", "ranked"), keys(r));
    JsonNode top = r.get("episodes").get(0);
    assertEquals(Set.of("index", "episodeId", "length", "return", "outcome", "score", "reasons", "hotspots"),
        keys(top));
    // episode 2 terminated after 5 of a mean 25 steps with the lowest return
    assertEquals(2, top.get("index").asInt());
    assertEquals("terminated", top.get("outcome").asText());
    assertEquals(5.0, top.get("return").asDouble());
    assertTrue(top.get("reasons").get(0).asText().startsWith("terminated early: after 5 steps"), top.toString());
    boolean sawZero = false;
    for (JsonNode e : r.get("episodes")) {
      if (e.get("index").asInt() == 0) {
        sawZero = true;
        assertTrue(e.get("hotspots").isInt() && e.get("hotspots").asInt() >= 3, e.toString());
      }
    }
    assertTrue(sawZero, "episode 0's hotspots were found: it ranks too " + r);
    assertEquals(1, ok("/hotspots?limit=1").get("episodes").size());
    assertEquals(r.get("ranked"), ok("/hotspots?limit=1").get("ranked"));
  }

  @Test
  void badEpisodesAndLimitsAreRefusedAsJson() throws Exception {
    for (String path : List.of("/episodes/3/hotspots", "/episodes/-1/hotspots", "/episodes/99999999999/hotspots")) {
      HttpResponse<String> r = send("GET", path);
      assertEquals(path.contains("99999999999") ? 400 : 404, r.statusCode(), path + ": " + r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().length() > 5);
    }
    assertEquals("episode 3 does not exist; recording 'events' has 3 episodes",
        JSON.readTree(send("GET", "/episodes/3/hotspots").body()).get("error").asText());
    for (String limit : List.of("0", "1001", "-5", "abc", "1.5")) {
      HttpResponse<String> r = send("GET", "/hotspots?limit=" + limit);
      assertEquals(400, r.statusCode(), limit);
      String error = JSON.readTree(r.body()).get("error").asText();
      assertTrue(error.startsWith("limit must be"), error);
    }
    HttpResponse<String> wrong = send("DELETE", "/episodes/0/hotspots");
    assertEquals(405, wrong.statusCode());
    assertEquals("GET, HEAD", wrong.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/nope/hotspots"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
  }
}
