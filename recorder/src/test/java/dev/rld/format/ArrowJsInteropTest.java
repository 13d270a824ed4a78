package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Discrete;
import dev.rld.space.SpaceJson;
import dev.rld.testing.ArrowJs;
import dev.rld.testing.LineWalk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout format across implementations: Apache Arrow JS (recorder/src/test/js, installed
 * by {@code npm ci} in generate-test-resources) writes a file from docs/format.md alone that our
 * reader must read, and reads a file our writer wrote. Needs node on the PATH: without it the
 * test fails, it does not skip.
 */
class ArrowJsInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsAFileArrowJsWroteFromTheSpec(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("from-spec.arrow");
    Path expectedFile = dir.resolve("expected.json");
    node(dir, "write_from_spec.mjs", file.toString(), expectedFile.toString());
    JsonNode expected = JSON.readTree(expectedFile.toFile());

    RootAllocator allocator = new RootAllocator();
    try (Rollout rollout = Rollout.open(file, allocator)) {
      assertEquals(List.of(), rollout.recoveries(), "a file Arrow JS closed needs no recovery");
      RolloutHeader h = rollout.header();
      assertEquals("1.0", h.formatVersion());
      assertEquals(expected.get("env_id").asText(), h.envId());
      assertEquals(SpaceJson.fromTree(expected.get("observation_space")), h.observationSpace());
      assertEquals(new Discrete(2), h.actionSpace());
      assertEquals("arrow-js-spec-writer/1", h.recorderVersion());
      assertEquals("2025-01-02T03:04:05Z", h.created());
      JsonNode meta = expected.get("metadata");
      assertEquals(meta.get("title").asText(), h.metadata().title());
      assertEquals(meta.get("description").asText(), h.metadata().description());
      assertEquals(meta.get("agent").asText(), h.metadata().agent());
      assertJsonEquals(meta.get("extra"), JSON.valueToTree(h.metadata().extra()), "metadata extra");

      JsonNode episodes = expected.get("episodes");
      assertEquals(episodes.size(), rollout.episodes().size(), "episodes");
      JsonNode rows = expected.get("rows");
      int row = 0;
      for (int e = 0; e < episodes.size(); e++) {
        JsonNode x = episodes.get(e);
        EpisodeSummary s = rollout.episodes().get(e);
        String ep = "episode " + e + ": ";
        assertEquals(e, s.index(), ep + "index");
        assertEquals(x.get("episode_id").asInt(), s.episodeId(), ep + "episode_id");
        assertEquals(x.get("length").asInt(), s.length(), ep + "length");
        assertEquals(x.get("rows").asInt(), s.observations(), ep + "rows");
        assertEquals(x.get("return").asDouble(), s.totalReturn(), ep + "return");
        assertEquals(x.get("terminated").asBoolean(), s.terminated(), ep + "terminated");
        assertEquals(x.get("truncated").asBoolean(), s.truncated(), ep + "truncated");
        assertEquals(x.get("complete").asBoolean(), s.complete(), ep + "complete");
        assertNull(s.seed(), ep + "no rld.index, so no seed");

        try (Steps steps = rollout.read(e, 0, s.observations())) {
          assertTrue(steps.has(RolloutSchema.PROBABILITIES));
          for (int i = 0; i < steps.size(); i++, row++) {
            JsonNode r = rows.get(row);
            String at = ep + "row " + i + ": ";
            assertEquals(e, r.get("episode_index").asInt(), at + "EXPECTED.json out of step");
            assertEquals(i, r.get("step").asInt(), at + "EXPECTED.json out of step");
            assertArrayEquals(floats(r.get("observation")), (float[]) steps.observation(i), at + "observation");
            assertJsonEquals(info(r.get("info")), JSON.valueToTree(steps.info(i)), at + "info");
            boolean fin = r.get("action").isNull();
            if (fin) {
              assertNull(steps.action(i), at + "action");
              assertNull(steps.reward(i), at + "reward");
              assertTrue(isNull(steps, RolloutSchema.TERMINATIONS, i), at + "terminations is null");
              assertTrue(isNull(steps, RolloutSchema.TRUNCATIONS, i), at + "truncations is null");
              assertNull(steps.probabilities(i), at + "probabilities");
            } else {
              assertEquals(r.get("action").asInt(), steps.action(i), at + "action");
              assertEquals(r.get("reward").asDouble(), steps.reward(i), at + "reward");
              assertEquals(r.get("terminated").asBoolean(), steps.terminated(i), at + "terminated");
              assertEquals(r.get("truncated").asBoolean(), steps.truncated(i), at + "truncated");
              assertArrayEquals(floats(r.get("action_probabilities")), steps.probabilities(i), at + "probabilities");
            }
          }
        }
      }
      assertEquals(rows.size(), row, "rows read");
    }
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked");
    allocator.close();
  }

  /** One row as the Java side recorded it. */
  private record Row(int episodeId, float[] observation, Map<String, Object> info, Integer action,
      Double reward, Boolean terminated, Boolean truncated, float[] probabilities, Float value) {}

  @Test
  void arrowJsReadsAFileJavaWrote(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("linewalk.arrow");
    RolloutMetadata metadata = new RolloutMetadata("interop", "LineWalk read by Arrow JS", "scripted",
        Map.of("seeds", List.of(7, 8, 9, 10)));
    List<Row> rows = new ArrayList<>();
    SplittableRandom policy = new SplittableRandom(5);
    // Small batches, so that batches and episodes do not line up.
    try (RecordingEnv<float[], Integer> env = new RecordingEnv<>(new LineWalk(12),
        RolloutWriter.builder(file).flushEverySteps(4).metadata(metadata))) {
      int episodeId = 0;
      for (long seed = 7; seed <= 10; seed++, episodeId++) {
        // Seed 7 pushes right until it terminates, 8 dithers until truncated at 12 steps, 9 is
        // random, and 10 is stopped by the caller after 5 steps (complete, neither flag).
        Reset<float[]> reset = env.reset(seed);
        float[] obs = reset.observation();
        // What a plain Arrow reader sees in the first row: reset's info plus the reserved entry.
        Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("rld.reset", Map.of("seed", seed));
        info.putAll(reset.info());
        for (int t = 0; ; t++) {
          int action = seed == 7 ? 2 : seed == 8 ? (t % 2) * 2 : policy.nextInt(3);
          float[] p = {0.25f - 0.01f * t, 0.25f, 0.5f + 0.01f * t};
          float value = (float) (seed - t / 7.0);
          env.attach(AgentOutput.ofProbabilities(p).withValue(value));
          Step<float[]> s = env.step(action);
          rows.add(new Row(episodeId, obs, info, action, s.reward(), s.terminated(), s.truncated(), p, value));
          obs = s.observation();
          info = s.info();
          if (s.done() || (seed == 10 && t == 4)) {
            rows.add(new Row(episodeId, obs, info, null, null, null, null, null, null));
            break;
          }
        }
      }
    }
    assertTrue(rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.terminated())), "some episode terminated");
    assertTrue(rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.truncated())), "some episode truncated");

    JsonNode out = JSON.readTree(node(dir, "read_rld.mjs", file.toString()));

    JsonNode m = out.get("metadata");
    assertEquals("1.1", m.get("rld.format_version").asText());
    assertEquals("LineWalk-v0", m.get("rld.env_id").asText());
    assertEquals(JSON.readTree(SpaceJson.toJson(LineWalk.OBSERVATION_SPACE)), m.get("rld.observation_space"));
    assertEquals(JSON.readTree(SpaceJson.toJson(new Discrete(3))), m.get("rld.action_space"));
    assertEquals(JSON.readTree("{\"title\":\"interop\",\"description\":\"LineWalk read by Arrow JS\","
        + "\"agent\":\"scripted\",\"extra\":{\"seeds\":[7,8,9,10]}}"), m.get("rld.metadata"));
    assertEquals(JSON.readTree("{\"observations\":[{\"label\":\"position\",\"unit\":\"m\",\"group\":\"\"},"
        + "{\"label\":\"velocity\",\"unit\":\"m/s\",\"group\":\"\"}],\"actions\":[{\"label\":\"=0\",\"unit\":\"\","
        + "\"group\":\"\"},{\"label\":\"=1\",\"unit\":\"\",\"group\":\"\"},{\"label\":\"=2\",\"unit\":\"\",\"group\":\"\"}]}"),
        m.get("rld.features"));
    assertTrue(m.get("rld.created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
        "rld.created: " + m.get("rld.created"));
    assertTrue(m.has("rld.recorder_version"));

    JsonNode obsField = field(out, RolloutSchema.OBSERVATIONS);
    assertEquals("FixedSizeList[2]<Float32>", obsField.get("type").asText());
    assertEquals("2", obsField.get("metadata").path("shape").asText(), "observations shape metadata");
    assertEquals("Int32", field(out, RolloutSchema.ACTIONS).get("type").asText());
    assertEquals("FixedSizeList[3]<Float32>", field(out, RolloutSchema.PROBABILITIES).get("type").asText());
    assertEquals("Float32", field(out, RolloutSchema.VALUE).get("type").asText());

    int batchRows = 0;
    for (JsonNode b : out.get("batches")) {
      batchRows += b.asInt();
    }
    assertEquals(rows.size(), batchRows, "rows over all batches");
    assertTrue(out.get("batches").size() > 4, "several batches: " + out.get("batches"));

    JsonNode read = out.get("rows");
    assertEquals(rows.size(), read.size(), "rows");
    for (int i = 0; i < rows.size(); i++) {
      Row w = rows.get(i);
      JsonNode r = read.get(i);
      String at = "row " + i + ": ";
      assertEquals(w.episodeId(), r.get("episode_id").asInt(), at + "episode_id");
      assertArrayEquals(w.observation(), floats(r.get("observation")), at + "observation");
      assertJsonEquals(w.info().isEmpty() ? JSON.nullNode() : JSON.valueToTree(w.info()), r.get("infos"), at + "infos");
      if (w.action() == null) {
        for (String k : List.of("action", "reward", "terminated", "truncated", "action_probabilities", "value")) {
          assertTrue(r.get(k).isNull(), at + k + " is null on a final row: " + r.get(k));
        }
        continue;
      }
      assertTrue(r.get("action").isInt(), at + "action " + r.get("action"));
      assertEquals(w.action(), r.get("action").asInt(), at + "action");
      assertEquals(w.reward(), r.get("reward").asDouble(), at + "reward");
      assertEquals(w.terminated(), r.get("terminated").booleanValue(), at + "terminated");
      assertEquals(w.truncated(), r.get("truncated").booleanValue(), at + "truncated");
      assertArrayEquals(w.probabilities(), floats(r.get("action_probabilities")), at + "probabilities");
      assertEquals(w.value(), (float) r.get("value").asDouble(), at + "value");
    }
  }

  private static String node(Path dir, String script, String... args) throws IOException, InterruptedException {
    return ArrowJs.node(dir, script, args);
  }

  private static float[] floats(JsonNode array) {
    assertTrue(array != null && array.isArray(), "expected a JSON array, got " + array);
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
      assertEquals(array.get(i).asDouble(), (double) out[i], "not a float32 value: " + array.get(i));
    }
    return out;
  }

  /** An info as Steps.info gives it: a null cell reads as the empty map. */
  private static JsonNode info(JsonNode expected) {
    return expected == null || expected.isNull() ? JSON.createObjectNode() : expected;
  }

  /**
   * JSON equality where numbers are equal by value: Jackson writes the double 2.0 as 2.0 and
   * JavaScript as 2, which parse to different node types.
   */
  private static void assertJsonEquals(JsonNode expected, JsonNode actual, String message) {
    Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
        ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
    if (!expected.equals(byValue, actual)) {
      assertEquals(expected, actual, message); // fails, showing both
    }
  }

  private static boolean isNull(Steps steps, String column, int i) {
    FieldVector v = steps.arrow().getVector(column);
    return v.isNull(i);
  }

  private static JsonNode field(JsonNode out, String name) {
    for (JsonNode f : out.get("fields")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    fail("Arrow JS sees no column '" + name + "' in " + out.get("fields"));
    return null;
  }
}
