package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server follows a file a real child JVM is recording, and survives the child's SIGKILL. */
class LiveServeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  static JsonNode get(RldServer server, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  /** Polls, without timing asserts: only a generous bound on how long it may take. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theServerFollowsARecordingChildAndSurvivesItsSigkill() throws Exception {
    Path file = dir.resolve("live.arrow");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), LiveRecorderChild.class.getName(), file.toString(), "5")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    AtomicInteger flushed = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
        while (lines.readLine() != null) {
          flushed.incrementAndGet();
        }
      } catch (java.io.IOException e) {
        // the child died
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      await("the child flushed its first episode", () -> flushed.get() >= 1);
      try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
        String id = server.ids().get(0);
        JsonNode meta = get(server, "/api/rollouts/" + id);
        int first = meta.get("episodes").asInt();
        assertFalse(meta.get("finished").asBoolean());
        List<String> events = new CopyOnWriteArrayList<>();
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + "/api/rollouts/" + id + "/live"))
            .header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(events::add));

        // Every answer while it grows: whole rows, the same ones each time they are read again.
        Map<String, JsonNode> seen = new HashMap<>();
        boolean[] grewWithinEpisode = {false};
        await("the API shows 4 more episodes", () -> {
          try {
            int n = get(server, "/api/rollouts/" + id).get("episodes").asInt();
            checkLastEpisode(server, id, n, seen, grewWithinEpisode);
            return n >= first + 4;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        await("a growing episode's rows appeared", () -> {
          try {
            checkLastEpisode(server, id, get(server, "/api/rollouts/" + id).get("episodes").asInt(), seen,
                grewWithinEpisode);
            return grewWithinEpisode[0];
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        try {
          await("the live route sent a growth event", () -> events.contains("event: grew"));
        } catch (AssertionError x) {
          throw new AssertionError(x.getMessage() + "; events: " + events);
        }
        assertEquals("event: state", events.get(0));
        String data = events.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
        JsonNode state = JSON.readTree(data.substring(6));
        assertTrue(state.has("episodes") && state.has("totalSteps") && state.has("lastEpisodeRows"));
        assertFalse(state.get("finished").asBoolean());

        child.destroyForcibly(); // SIGKILL: no footer
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        // The server stays up and, once it took in the last flushed batch, serves what a fresh open recovers.
        try (Rollout recovered = Rollout.open(file)) {
          List<EpisodeSummary> truth = recovered.episodes();
          await("the server serves every flushed batch", () -> {
            try {
              JsonNode m = get(server, "/api/rollouts/" + id);
              return m.get("episodes").asInt() == truth.size() && m.get("steps").asLong() == recovered.totalSteps();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
          EpisodeSummary last = truth.get(truth.size() - 1);
          JsonNode steps = get(server, "/api/rollouts/" + id + "/episodes/" + last.index() + "/steps");
          assertEquals(last.observations(), steps.get("observations").size());
        }
        assertFalse(get(server, "/api/rollouts/" + id).get("finished").asBoolean());
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The last episode's rows: complete rows only, and each row the same whenever it is read. */
  private static void checkLastEpisode(RldServer server, String id, int episodes, Map<String, JsonNode> seen,
      boolean[] grew) throws Exception {
    int e = episodes - 1;
    JsonNode entry = get(server, "/api/rollouts/" + id + "/episodes/" + e);
    int rows = entry.get("length").asInt() + (entry.get("complete").asBoolean() ? 1 : 0);
    JsonNode steps = get(server, "/api/rollouts/" + id + "/episodes/" + e + "/steps");
    int n = steps.get("observations").size();
    assertTrue(n >= rows, "episode " + e + " listed with " + rows + " rows, read " + n);
    for (String column : new String[] {"actions", "rewards", "terminations", "truncations", "infos"}) {
      assertEquals(n, steps.get(column).size(), column);
    }
    for (int r = 0; r < n; r++) {
      boolean finalRow = steps.get("actions").get(r).isNull();
      assertEquals(finalRow, r == n - 1 && steps.get("terminations").get(r).isNull(), "row " + r);
      assertNotNull(steps.get("observations").get(r));
      String key = e + "/" + r;
      JsonNode row = JSON.createArrayNode().add(steps.get("observations").get(r)).add(steps.get("actions").get(r))
          .add(steps.get("rewards").get(r));
      JsonNode before = seen.putIfAbsent(key, row);
      if (before != null) {
        assertEquals(before, row, "row " + r + " of episode " + e + " changed");
      }
    }
    // Seen before with fewer rows and not yet complete: the growing episode gained rows.
    JsonNode earlier = seen.get(e + "/rows");
    if (earlier != null && earlier.asInt() < n) {
      grew[0] = true;
    }
    if (!entry.get("complete").asBoolean()) {
      seen.put(e + "/rows", JSON.getNodeFactory().numberNode(n));
    }
  }
}
