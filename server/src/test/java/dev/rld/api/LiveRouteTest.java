package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.env.RecordingEnv;
import dev.rld.format.RolloutWriter;
import dev.rld.testing.LineWalk;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /live route: growth events while a file grows, finished when its footer arrives, the guard. */
class LiveRouteTest {
  @TempDir Path dir;

  @Test
  void sendsGrowthThenFinishedAndIsGuarded() throws Exception {
    Path whole = dir.resolve("whole.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(40), RolloutWriter.builder(whole).flushEverySteps(8))) {
      for (int seed = 0; seed < 6; seed++) {
        float[] obs = env.reset((long) seed).observation();
        dev.rld.env.Step<float[]> step;
        do {
          step = env.step(obs[0] + 3 * obs[1] > 0 ? 0 : 2);
          obs = step.observation();
        } while (!step.done());
      }
    }
    byte[] bytes = Files.readAllBytes(whole);
    Path live = dir.resolve("live.arrow");
    Files.write(live, Arrays.copyOf(bytes, bytes.length / 3));
    try (RldServer server = RldServer.builder().recording(live).port(0).start()) {
      String base = server.url().replaceAll("/$", "");
      String id = server.ids().get(0);
      int first = LiveServeTest.get(server, "/api/rollouts/" + id).get("episodes").asInt();
      List<String> events = new CopyOnWriteArrayList<>();
      boolean[] ended = {false};
      LiveServeTest.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/rollouts/" + id + "/live"))
              .header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            r.body().forEach(events::add);
            ended[0] = true;
          });
      LiveServeTest.await("the first event", () -> events.contains("event: state"));
      try (OutputStream out = Files.newOutputStream(live, StandardOpenOption.APPEND)) {
        out.write(bytes, bytes.length / 3, bytes.length * 2 / 3 - bytes.length / 3);
        out.flush();
        LiveServeTest.await("a growth event " + events, () -> events.contains("event: grew"));
        assertTrue(LiveServeTest.get(server, "/api/rollouts/" + id).get("episodes").asInt() > first);
        out.write(bytes, bytes.length * 2 / 3, bytes.length - bytes.length * 2 / 3);
      }
      LiveServeTest.await("the finished event and the stream's end " + events,
          () -> events.contains("event: finished") && ended[0]);
      String last = events.stream().filter(l -> l.startsWith("data: ")).reduce((a, b) -> b).orElseThrow();
      JsonNode state = LiveServeTest.JSON.readTree(last.substring(6));
      assertTrue(state.get("finished").asBoolean());
      JsonNode meta = LiveServeTest.get(server, "/api/rollouts/" + id);
      assertEquals(6, meta.get("episodes").asInt());
      assertEquals(meta.get("steps").asLong(), state.get("totalSteps").asLong());
      assertTrue(meta.get("finished").asBoolean());
      // The Host guard applies to the stream as to every route.
      HttpResponse<String> foreign = LiveServeTest.HTTP.send(HttpRequest.newBuilder(
          URI.create(base + "/api/rollouts/" + id + "/live")).header("Accept", "text/event-stream").header("Origin", "http://evil.example").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, foreign.statusCode(), foreign.body());
    }
  }
}
