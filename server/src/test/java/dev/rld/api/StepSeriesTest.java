package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.RecordingEnv;
import dev.rld.format.AgentOutput;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.space.Discrete;
import dev.rld.format.Steps;
import dev.rld.testing.LineWalk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The series route: an episode's recorded columns per bucket of steps, against the reader's rows. */
class StepSeriesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path dir;
  static Path recording;

  @BeforeAll
  static void record() throws Exception {
    recording = dir.resolve("walk.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(25_000), recording)) {
      float[] x = env.reset(5L).observation();
      for (boolean done = false; !done; ) {
        int action = x[0] + 3 * x[1] > 0 ? 0 : 2;
        env.attach(AgentOutput.ofProbabilities(new float[] {0.2f, 0.3f, 0.5f}).withValue(x[0])
            .withScalar("speed", Math.abs(x[1])));
        var step = env.step(action);
        x = step.observation();
        done = step.done();
      }
    }
  }

  static HttpResponse<String> get(RldServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theEpisodeListGivesTheEnvsOwnWordForHowAnEpisodeEnded() throws Exception {
    Path file = dir.resolve("ends.arrow");
    String[] words = {"won", null, "eaten"};
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(LineWalk.OBSERVATION_SPACE, new Discrete(3)).open()) {
      for (String word : words) {
        w.beginEpisode(1L, null, new float[] {0, 0}, Map.of());
        w.step(1, 0.5, true, false, new float[] {0.1f, 0}, word == null ? Map.of() : Map.of("outcome", word),
            AgentOutput.none());
      }
    }
    try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
      JsonNode page = JSON.readTree(get(server, "api/rollouts/ends/episodes").body());
      for (int e = 0; e < 3; e++) {
        JsonNode ep = page.get("episodes").get(e);
        assertEquals("terminated", ep.get("outcome").asText(), "the footer's flags stay");
        assertEquals(words[e] == null ? "null" : words[e], ep.get("envOutcome").isNull() ? "null"
            : ep.get("envOutcome").asText(), "episode " + e);
      }
      assertEquals("eaten", JSON.readTree(get(server, "api/rollouts/ends/episodes/2").body()).get("envOutcome").asText());
    }
  }

  @Test
  void bucketsHoldTheMinMaxAndMeanOfEveryRecordedColumn() throws Exception {
    try (RldServer server = RldServer.builder().recording(recording).port(0).start();
        Rollout rollout = Rollout.open(recording)) {
      int rows = rollout.episodes().get(0).observations();
      assertTrue(rows > 20_000, rows + " rows: more than two slices of 10 000");
      HttpResponse<String> r = get(server, "api/rollouts/walk/episodes/0/series?buckets=7");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      assertEquals(rows, body.get("rows").asInt());
      Map<String, JsonNode> lines = new java.util.HashMap<>();
      body.get("series").forEach(l -> lines.put(l.get("name").asText(), l));
      assertEquals(java.util.Set.of("reward", "return", "value", "action", "scalar:speed"), lines.keySet());
      double ret = 0;
      try (Steps s = rollout.read(0, 0, rows)) {
        for (int k = 0; k < 7; k++) {
          int from = body.get("from").get(k).asInt();
          int to = body.get("to").get(k).asInt();
          assertEquals((long) k * rows / 7, from);
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          double vSum = 0;
          double aMax = Double.NEGATIVE_INFINITY;
          int n = 0;
          int nv = 0;
          for (int i = from; i < to; i++) {
            if (s.reward(i) != null) {
              min = Math.min(min, s.reward(i));
              max = Math.max(max, s.reward(i));
              sum += s.reward(i);
              ret += s.reward(i);
              n++;
            }
            if (s.value(i) != null) {
              vSum += s.value(i);
              nv++;
            }
            if (s.action(i) != null) {
              aMax = Math.max(aMax, ((Number) s.action(i)).doubleValue());
            }
          }
          assertEquals(min, lines.get("reward").get("min").get(k).asDouble(), 1e-12, "bucket " + k);
          assertEquals(max, lines.get("reward").get("max").get(k).asDouble(), 1e-12);
          assertEquals(sum / n, lines.get("reward").get("mean").get(k).asDouble(), 1e-9);
          assertEquals(ret, lines.get("return").get("last").get(k).asDouble(), 1e-6);
          assertEquals(vSum / nv, lines.get("value").get("mean").get(k).asDouble(), 1e-6);
          assertEquals(aMax, lines.get("action").get("max").get(k).asDouble(), 0);
        }
      }
      // Hostile parameters: a JSON 4xx naming the problem.
      assertEquals(400, get(server, "api/rollouts/walk/episodes/0/series?buckets=0").statusCode());
      assertEquals(400, get(server, "api/rollouts/walk/episodes/0/series?buckets=100001").statusCode());
      assertEquals(400, get(server, "api/rollouts/walk/episodes/0/series?buckets=x").statusCode());
      HttpResponse<String> missing = get(server, "api/rollouts/walk/episodes/9/series");
      assertEquals(404, missing.statusCode());
      assertTrue(missing.body().contains("episode 9 does not exist"), missing.body());
    }
  }
}
