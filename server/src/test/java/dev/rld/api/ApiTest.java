package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.Normalization;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutMetadata;
import dev.rld.format.RolloutWriter;
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.SpaceJson;
import dev.rld.testing.LineWalk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API (docs/api.md) against a real server on a loopback port: a LineWalk recording
 * with a linear Java policy attached, whose attributions are known analytically, and the
 * committed CartPole recording without a policy. Values are compared with what the reader
 * returns for the same requests.
 */
class ApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Logits z_k = W_k · x + C_k over x = (position, velocity). */
  static final double[][] W = {{1.0, 2.0}, {0.2, -0.1}, {-1.0, -2.5}};
  static final double[] C = {0.0, 0.3, 0.1};
  static final Path CARTPOLE = Path.of("../models/cartpole/recording.arrow");

  @TempDir static Path dir;
  static Path lineWalk;
  static final AtomicInteger policyCalls = new AtomicInteger();
  static RldServer server;
  static HttpClient http;
  /** Every response body the tests saw, to check that none holds a stack trace. */
  static final List<String> bodies = new ArrayList<>();

  static double[] logits(float[] x) {
    double[] z = new double[3];
    for (int k = 0; k < 3; k++) {
      z[k] = C[k] + W[k][0] * x[0] + W[k][1] * x[1];
    }
    return z;
  }

  static double[] softmax(double[] z) {
    double max = Math.max(z[0], Math.max(z[1], z[2]));
    double[] p = new double[z.length];
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      p[k] = Math.exp(z[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < z.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  static Policy linearPolicy() {
    return Policy.of(2, 3, Policy.Output.LOGITS, (obs, batch) -> {
      policyCalls.incrementAndGet();
      float[] out = new float[batch * 3];
      for (int b = 0; b < batch; b++) {
        double[] z = logits(new float[] {obs[2 * b], obs[2 * b + 1]});
        for (int k = 0; k < 3; k++) {
          out[3 * b + k] = (float) z[k];
        }
      }
      return out;
    });
  }

  /**
   * Three episodes: greedy (long enough to pass the 20 000-row cap: truncated at 20 000 steps),
   * sampled from the policy, and always pushing right (terminated). Every step records the
   * policy's probabilities, logits, a value and an entropy scalar.
   */
  @BeforeAll
  static void start() throws IOException {
    lineWalk = dir.resolve("line-walk.arrow");
    RolloutWriter.Builder options = RolloutWriter.builder(lineWalk)
        .metadata(new RolloutMetadata("line walk", "a linear policy on LineWalk", "linear", Map.of("lr", 0.5)));
    SplittableRandom rng = new SplittableRandom(7);
    try (var env = new RecordingEnv<>(new LineWalk(20_000), options)) {
      for (int e = 0; e < 3; e++) {
        Reset<float[]> r = env.reset(e + 1L);
        float[] x = r.observation();
        while (true) {
          double[] z = logits(x);
          double[] p = softmax(z);
          int action = switch (e) {
            case 0 -> argmax(p);
            case 1 -> rng.nextDouble() < p[0] ? 0 : rng.nextDouble() < 0.5 ? 1 : 2;
            default -> 2;
          };
          double entropy = 0;
          for (double q : p) {
            entropy -= q * Math.log(q);
          }
          env.attach(AgentOutput.ofProbabilities(toFloats(p)).withLogits(toFloats(z)).withValue((float) -x[0])
              .withScalar("entropy", entropy));
          Step<float[]> s = env.step(action);
          x = s.observation();
          if (s.terminated() || s.truncated()) {
            break;
          }
        }
      }
    }
    server = RldServer.builder().recording(lineWalk, linearPolicy()).recording(CARTPOLE).port(0).start();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    for (String body : bodies) {
      assertFalse(body.contains("\tat "), "a stack trace went to the client:\n" + body);
    }
  }

  record Response(int status, String contentType, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The start of the body, for assertion messages. */
    String shortText() {
      String t = text();
      return t.length() > 500 ? t.substring(0, 500) + "..." : t;
    }

    JsonNode json() throws IOException {
      return JSON.readTree(bytes);
    }
  }

  static Response send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Response out = new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
      synchronized (bodies) {
        bodies.add(out.text());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static Response get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET());
  }

  static Response post(String path, String body) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static JsonNode ok(Response r) throws IOException {
    assertEquals(200, r.status(), r.shortText());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    return r.json();
  }

  /** Asserts a JSON error with {@code status} whose text contains every one of {@code words}. */
  static void error(Response r, int status, String... words) throws IOException {
    assertEquals(status, r.status(), r.shortText());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType() + ": " + r.shortText());
    JsonNode body = r.json();
    body.fieldNames().forEachRemaining(f -> assertTrue(
        java.util.Set.of("error", "cost", "limit", "unit", "maxSteps").contains(f), "only an error: " + body));
    String message = body.get("error").asText();
    for (String w : words) {
      assertTrue(message.contains(w), "'" + message + "' should contain '" + w + "'");
    }
    assertFalse(message.contains("\tat ") || message.contains("Exception"), message);
  }

  static final String LW = "/api/rollouts/line-walk";
  static final String CP = "/api/rollouts/recording";

  // ---------------------------------------------------------------- recordings and episodes

  @Test
  void servesOnLoopbackWithIdsFromFileNames() {
    assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
    assertNotEquals(0, server.port());
    assertEquals(List.of("line-walk", "recording"), server.ids());
    assertEquals(List.of(), server.notes());
  }

  @Test
  void listsEveryRecordingWithItsCounts() throws IOException {
    JsonNode list = ok(get("/api/rollouts"));
    assertEquals(2, list.size());
    try (Rollout lw = Rollout.open(lineWalk); Rollout cp = Rollout.open(CARTPOLE)) {
      JsonNode a = list.get(0);
      assertEquals("line-walk", a.get("id").asText());
      assertEquals(lineWalk.toString(), a.get("path").asText());
      assertEquals("LineWalk-v0", a.get("envId").asText());
      assertEquals(3, a.get("episodes").asInt());
      assertEquals(lw.totalSteps(), a.get("steps").asLong());
      assertTrue(a.get("hasPolicy").asBoolean());
      assertEquals("line walk", a.get("title").asText());

      JsonNode b = list.get(1);
      assertEquals("recording", b.get("id").asText());
      assertEquals(CARTPOLE.toString(), b.get("path").asText());
      assertEquals("CartPole-v1", b.get("envId").asText());
      assertEquals(3, b.get("episodes").asInt());
      assertEquals(cp.totalSteps(), b.get("steps").asLong());
      assertFalse(b.get("hasPolicy").asBoolean());
    }
  }

  @Test
  void metadataHoldsSpacesFeatureLabelsAndUserMetadata() throws IOException {
    JsonNode m = ok(get(LW));
    assertEquals("line-walk", m.get("id").asText());
    assertEquals(LineWalk.OBSERVATION_SPACE, SpaceJson.fromTree(m.get("observationSpace")));
    assertEquals("Discrete", m.get("actionSpace").get("type").asText());
    assertEquals(3, m.get("actionSpace").get("n").asInt());
    JsonNode features = m.get("features").get("observations");
    assertEquals(2, features.size());
    assertEquals("position", features.get(0).get("label").asText());
    assertEquals("m", features.get(0).get("unit").asText());
    assertEquals("velocity", features.get(1).get("label").asText());
    assertEquals("m/s", features.get(1).get("unit").asText());
    assertEquals(3, m.get("features").get("actions").size());
    JsonNode meta = m.get("metadata");
    assertEquals("line walk", meta.get("title").asText());
    assertEquals("a linear policy on LineWalk", meta.get("description").asText());
    assertEquals("linear", meta.get("agent").asText());
    assertEquals(0.5, meta.get("extra").get("lr").asDouble());
    assertEquals("1.1", m.get("formatVersion").asText());
    assertEquals(List.of("episode_id", "observations", "actions", "rewards", "terminations", "truncations",
        "infos", "action_probabilities", "action_logits", "value", "scalars"), strings(m.get("columns")));
    assertEquals(2, m.get("policy").get("inputs").asInt());
    assertEquals(3, m.get("policy").get("outputs").asInt());
    assertEquals("logits", m.get("policy").get("output").asText());

    JsonNode c = ok(get(CP));
    try (Rollout cp = Rollout.open(CARTPOLE)) {
      assertEquals(cp.observationSpace(), SpaceJson.fromTree(c.get("observationSpace")));
      assertEquals(cp.actionSpace(), SpaceJson.fromTree(c.get("actionSpace")));
      assertEquals(cp.observationSpace().features().stream().map(f -> f.label()).toList(),
          c.get("features").get("observations").findValuesAsText("label"));
    }
    assertFalse(c.has("policy"));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void episodesAreTheReadersSummaries() throws IOException {
    for (Path p : List.of(lineWalk, CARTPOLE)) {
      JsonNode list = ok(get(p == lineWalk ? LW + "/episodes" : CP + "/episodes")).get("episodes");
      try (Rollout r = Rollout.open(p)) {
        assertEquals(r.episodes().size(), list.size());
        for (EpisodeSummary e : r.episodes()) {
          JsonNode j = list.get(e.index());
          assertEquals(e.index(), j.get("index").asInt());
          assertEquals(e.length(), j.get("length").asInt());
          assertEquals(e.totalReturn(), j.get("return").asDouble(), 0.0);
          if (e.seed() == null) {
            assertTrue(j.get("seed").isNull());
          } else {
            assertEquals(e.seed().longValue(), j.get("seed").asLong());
          }
          assertEquals(e.terminated(), j.get("terminated").asBoolean());
          assertEquals(e.truncated(), j.get("truncated").asBoolean());
          assertEquals(e.complete(), j.get("complete").asBoolean());
        }
      }
    }
    // The recording made above: what each episode was meant to be.
    JsonNode lw = ok(get(LW + "/episodes")).get("episodes");
    assertEquals(List.of(1L, 2L, 3L), List.of(lw.get(0).get("seed").asLong(), lw.get(1).get("seed").asLong(),
        lw.get(2).get("seed").asLong()));
    assertEquals(20_000, lw.get(0).get("length").asInt());
    assertTrue(lw.get(0).get("truncated").asBoolean());
    assertTrue(lw.get(2).get("terminated").asBoolean());
  }

  // ---------------------------------------------------------------- steps

  @Test
  void stepsJsonIsWhatTheReaderReturns() throws IOException {
    int last = ok(get(LW + "/episodes/2")).get("length").asInt() + 1;
    assertStepsEqual(lineWalk, LW, 2, 0, last);       // a whole episode with its final row
    assertStepsEqual(lineWalk, LW, 0, 120, 180);      // the middle of a long one
    assertStepsEqual(lineWalk, LW, 0, 19_990, 20_001); // the end of the long one
    assertStepsEqual(lineWalk, LW, 1, 3, 3);          // an empty range
    assertStepsEqual(CARTPOLE, CP, 1, 0, null);       // to defaults to the end
    assertStepsEqual(CARTPOLE, CP, 2, 5, 12);
  }

  void assertStepsEqual(Path file, String base, int episode, int from, Integer to) throws IOException {
    String query = "?from=" + from + (to == null ? "" : "&to=" + to);
    JsonNode j = ok(get(base + "/episodes/" + episode + "/steps" + query));
    try (Rollout r = Rollout.open(file)) {
      int end = to == null ? r.episodes().get(episode).observations() : to;
      assertEquals(episode, j.get("episode").asInt());
      assertEquals(from, j.get("from").asInt());
      assertEquals(end, j.get("to").asInt());
      try (Steps s = r.read(episode, from, end)) {
        int n = s.size();
        for (String column : List.of("observations", "actions", "rewards", "terminations", "truncations", "infos")) {
          assertEquals(n, j.get(column).size(), column);
        }
        assertEquals(s.has("action_probabilities"), j.has("action_probabilities"));
        assertEquals(s.has("action_logits"), j.has("action_logits"));
        assertEquals(s.has("value"), j.has("value"));
        assertEquals(s.has("scalars"), j.has("scalars"));
        for (int i = 0; i < n; i++) {
          String at = "episode " + episode + " row " + (from + i);
          assertArrayEquals((float[]) s.observation(i), floats(j.get("observations").get(i)), at);
          Object action = s.action(i);
          JsonNode reward = j.get("rewards").get(i);
          if (action == null) {
            assertTrue(j.get("actions").get(i).isNull(), at);
            assertTrue(reward.isNull(), at);
            assertTrue(j.get("terminations").get(i).isNull(), at);
            assertTrue(j.get("truncations").get(i).isNull(), at);
          } else {
            assertEquals(((Number) action).intValue(), j.get("actions").get(i).intValue(), at);
            assertEquals(s.reward(i), reward.doubleValue(), 0.0, at);
            assertEquals(s.terminated(i), j.get("terminations").get(i).booleanValue(), at);
            assertEquals(s.truncated(i), j.get("truncations").get(i).booleanValue(), at);
          }
          assertEquals(JSON.valueToTree(s.info(i)), j.get("infos").get(i), at);
          if (s.has("action_probabilities")) {
            assertNullableArray(s.probabilities(i), j.get("action_probabilities").get(i), at);
          }
          if (s.has("action_logits")) {
            assertNullableArray(s.logits(i), j.get("action_logits").get(i), at);
          }
          if (s.has("value")) {
            Float v = s.value(i);
            if (v == null) {
              assertTrue(j.get("value").get(i).isNull(), at);
            } else {
              assertEquals(v, j.get("value").get(i).floatValue(), at);
            }
          }
          if (s.has("scalars")) {
            Map<String, Double> scalars = s.scalars(i);
            JsonNode js = j.get("scalars").get(i);
            if (scalars.isEmpty()) {
              assertTrue(js.isNull(), at);
            } else {
              assertEquals(scalars.get("entropy"), js.get("entropy").doubleValue(), 0.0, at);
            }
          }
        }
      }
    }
  }

  static void assertNullableArray(float[] expected, JsonNode actual, String at) {
    if (expected == null) {
      assertTrue(actual.isNull(), at);
    } else {
      assertArrayEquals(expected, floats(actual), at);
    }
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).floatValue();
    }
    return out;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }

  @Test
  void stepsRecordedByThePolicyCarryItsProbabilities() throws IOException {
    JsonNode j = ok(get(LW + "/episodes/0/steps?from=0&to=30"));
    for (int i = 0; i < 30; i++) {
      float[] x = floats(j.get("observations").get(i));
      double[] p = softmax(logits(x));
      assertArrayEquals(p, doubles(j.get("action_probabilities").get(i)), 1e-6);
      assertEquals(argmax(p), j.get("actions").get(i).asInt(), "episode 0 is greedy");
    }
  }

  @Test
  void stepsArrowDecodesToTheSameValuesAndIsSmallerThanJson() throws IOException {
    int last = ok(get(LW + "/episodes/2")).get("length").asInt() + 1;
    // The second range is too short for Arrow's schema (about 3 KB with the spaces) to pay off.
    String[] ranges = {"/episodes/0/steps?from=100&to=2100", "/episodes/2/steps?from=0&to=" + last};
    for (String range : ranges) {
      Response arrow = get(LW + range + "&format=arrow");
      assertEquals(200, arrow.status(), arrow.shortText());
      assertEquals("application/vnd.apache.arrow.stream", arrow.contentType());
      Response json = get(LW + range + "&format=json");
      JsonNode j = ok(json);
      if (range == ranges[0]) {
        assertTrue(arrow.bytes().length < json.bytes().length,
            "arrow " + arrow.bytes().length + " bytes, json " + json.bytes().length);
      }
      try (RootAllocator allocator = new RootAllocator();
          ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrow.bytes()), allocator)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        assertEquals(LineWalk.OBSERVATION_SPACE,
            SpaceJson.fromJson(root.getSchema().getCustomMetadata().get("rld.observation_space")));
        int row = 0;
        while (reader.loadNextBatch()) {
          FixedSizeListVector obs = (FixedSizeListVector) root.getVector("observations");
          Float4Vector obsData = (Float4Vector) obs.getDataVector();
          IntVector actions = (IntVector) root.getVector("actions");
          Float8Vector rewards = (Float8Vector) root.getVector("rewards");
          BitVector terminations = (BitVector) root.getVector("terminations");
          BitVector truncations = (BitVector) root.getVector("truncations");
          FixedSizeListVector probs = (FixedSizeListVector) root.getVector("action_probabilities");
          Float4Vector probData = (Float4Vector) probs.getDataVector();
          Float4Vector value = (Float4Vector) root.getVector("value");
          for (int i = 0; i < root.getRowCount(); i++, row++) {
            String at = range + " row " + row;
            assertArrayEquals(floats(j.get("observations").get(row)),
                new float[] {obsData.get(2 * i), obsData.get(2 * i + 1)}, at);
            JsonNode action = j.get("actions").get(row);
            assertEquals(action.isNull(), actions.isNull(i), at);
            assertEquals(j.get("rewards").get(row).isNull(), rewards.isNull(i), at);
            assertEquals(j.get("terminations").get(row).isNull(), terminations.isNull(i), at);
            assertEquals(j.get("action_probabilities").get(row).isNull(), probs.isNull(i), at);
            if (!action.isNull()) {
              assertEquals(action.intValue(), actions.get(i), at);
              assertEquals(j.get("rewards").get(row).doubleValue(), rewards.get(i), 0.0, at);
              assertEquals(j.get("terminations").get(row).booleanValue(), terminations.get(i) == 1, at);
              assertEquals(j.get("truncations").get(row).booleanValue(), truncations.get(i) == 1, at);
              assertArrayEquals(floats(j.get("action_probabilities").get(row)),
                  new float[] {probData.get(3 * i), probData.get(3 * i + 1), probData.get(3 * i + 2)}, at);
              assertEquals(j.get("value").get(row).floatValue(), value.get(i), at);
            }
          }
        }
        assertEquals(j.get("observations").size(), row, range);
      }
    }
  }

  @Test
  void stepsWithoutToStopAtTheCap() throws IOException {
    JsonNode j = ok(get(LW + "/episodes/0/steps?from=500"));
    assertEquals(500, j.get("from").asInt());
    assertEquals(20_000 + 1, j.get("to").asInt());
    j = ok(get(LW + "/episodes/0/steps"));
    assertEquals(0, j.get("from").asInt());
    assertEquals(20_000, j.get("to").asInt(), "the first 20 000 of 20 001 rows");
    assertEquals(20_000, j.get("observations").size());
  }

  // ---------------------------------------------------------------- attributions

  static JsonNode attributions(String query) throws IOException {
    return ok(get(LW + "/episodes/2/attributions?" + query));
  }

  static List<float[]> observations(int episode, int from, int to) throws IOException {
    try (Rollout r = Rollout.open(lineWalk); Steps s = r.read(episode, from, to)) {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        out.add((float[]) s.observation(i));
      }
      return out;
    }
  }

  @Test
  void ablationOfLogitsWithAZeroBaselineIsWeightTimesFeature() throws IOException {
    JsonNode a = attributions("method=ablation&target=all&baseline=zero&output=logit&from=0&to=11");
    assertEquals("ablation", a.get("method").asText());
    assertEquals("all", a.get("target").asText());
    assertEquals(List.of("position", "velocity"), strings(a.get("features")));
    List<float[]> x = observations(2, 0, 11);
    assertEquals(11, a.get("steps").size(), "every row of the episode, its final row included");
    for (int s = 0; s < 11; s++) {
      JsonNode step = a.get("steps").get(s);
      assertEquals(s, step.get("step").asInt());
      JsonNode targets = step.get("targets");
      assertEquals(3, targets.size());
      double[] p = softmax(logits(x.get(s)));
      for (int k = 0; k < 3; k++) {
        JsonNode t = targets.get(k);
        assertEquals(k, t.get("action").asInt());
        assertEquals(p[k], t.get("probability").asDouble(), 1e-6);
        double[] raw = doubles(t.get("raw"));
        for (int i = 0; i < 2; i++) {
          assertEquals(W[k][i] * x.get(s)[i], raw[i], 1e-5, "step " + s + " action " + k + " feature " + i);
        }
        double[] normalized = doubles(t.get("normalized"));
        assertArrayEquals(Normalization.normalize(raw, Normalization.Mode.ALL, 2), normalized, 1e-12);
        for (double v : normalized) {
          assertTrue(v >= -1 && v <= 1, "normalized " + v);
        }
      }
    }
  }

  @Test
  void ablationOfProbabilitiesAndOtherBaselinesMatchTheirDefinitions() throws IOException {
    List<float[]> x = observations(2, 3, 8);
    // output=probability (the default): p_k(x) - p_k(x with feature i set to 0)
    JsonNode a = attributions("target=all&from=3&to=8");
    assertEquals("probability", a.get("output").asText());
    for (int s = 0; s < 5; s++) {
      double[] p = softmax(logits(x.get(s)));
      for (int i = 0; i < 2; i++) {
        float[] ablated = x.get(s).clone();
        ablated[i] = 0;
        double[] q = softmax(logits(ablated));
        for (int k = 0; k < 3; k++) {
          assertEquals(p[k] - q[k], a.get("steps").get(s).get("targets").get(k).get("raw").get(i).asDouble(), 1e-6);
        }
      }
    }
    // A custom baseline: W_k,i (x_i - b_i).
    a = attributions("target=all&output=logit&baseline=1,-0.5&from=3&to=8");
    double[] b = {1, -0.5};
    for (int s = 0; s < 5; s++) {
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 2; i++) {
          assertEquals(W[k][i] * (x.get(s)[i] - b[i]),
              a.get("steps").get(s).get("targets").get(k).get("raw").get(i).asDouble(), 1e-5);
        }
      }
    }
    // The mean baseline: the mean over every observation row of the recording.
    double[] mean = new double[2];
    long rows = 0;
    try (Rollout r = Rollout.open(lineWalk)) {
      for (EpisodeSummary e : r.episodes()) {
        try (Steps s = r.read(e.index(), 0, e.observations())) {
          for (int i = 0; i < s.size(); i++, rows++) {
            float[] o = (float[]) s.observation(i);
            mean[0] += o[0];
            mean[1] += o[1];
          }
        }
      }
    }
    a = attributions("target=all&output=logit&baseline=mean&from=3&to=8");
    assertEquals("mean", a.get("baseline").asText());
    for (int s = 0; s < 5; s++) {
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 2; i++) {
          assertEquals(W[k][i] * (x.get(s)[i] - (float) (mean[i] / rows)),
              a.get("steps").get(s).get("targets").get(k).get("raw").get(i).asDouble(), 1e-4);
        }
      }
    }
  }

  @Test
  void targetsPickedTopKAndAll() throws IOException {
    int length = ok(get(LW + "/episodes/1")).get("length").asInt();
    int from = Math.max(0, length - 20);
    JsonNode picked = ok(get(LW + "/episodes/1/attributions?target=picked&from=" + from + "&to=" + (length + 1)));
    assertEquals("picked", picked.get("target").asText());
    JsonNode steps = ok(get(LW + "/episodes/1/steps?from=" + from + "&to=" + (length + 1)));
    for (int s = 0; s <= length - from; s++) {
      JsonNode targets = picked.get("steps").get(s).get("targets");
      JsonNode action = steps.get("actions").get(s);
      if (action.isNull()) {
        assertEquals(length - from, s, "only the final row has no action");
        assertEquals(0, targets.size(), "the final row has no picked target");
      } else {
        assertEquals(1, targets.size());
        assertEquals(action.asInt(), targets.get(0).get("action").asInt(), "the recorded action, not the argmax");
      }
    }

    JsonNode top = ok(get(LW + "/episodes/1/attributions?target=top-2&from=0&to=20"));
    assertEquals("top-2", top.get("target").asText());
    List<float[]> x = observations(1, 0, 20);
    for (int s = 0; s < 20; s++) {
      JsonNode targets = top.get("steps").get(s).get("targets");
      assertEquals(2, targets.size());
      double[] p = softmax(logits(x.get(s)));
      int best = argmax(p);
      assertEquals(best, targets.get(0).get("action").asInt());
      assertTrue(targets.get(0).get("probability").asDouble() >= targets.get(1).get("probability").asDouble());
      double[] rest = p.clone();
      rest[best] = -1;
      assertEquals(argmax(rest), targets.get(1).get("action").asInt());
    }
    JsonNode many = ok(get(LW + "/episodes/1/attributions?target=top-7&from=0&to=2"));
    assertEquals(3, many.get("steps").get(0).get("targets").size(), "top-K of 3 actions gives at most 3");
  }

  @Test
  void shapleyOnALinearModelEqualsAblation() throws IOException {
    JsonNode abl = attributions("method=ablation&target=all&output=logit&baseline=mean&from=0&to=10");
    JsonNode shap = attributions("method=shapley&permutations=5&seed=3&target=all&output=logit&baseline=mean&from=0&to=10");
    assertEquals("shapley", shap.get("method").asText());
    for (int s = 0; s < 10; s++) {
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(doubles(abl.get("steps").get(s).get("targets").get(k).get("raw")),
            doubles(shap.get("steps").get(s).get("targets").get(k).get("raw")), 1e-5);
      }
    }
  }

  @Test
  void normalizeModesKeepValuesWithinOne() throws IOException {
    for (String mode : List.of("all", "positive", "negative", "absolute")) {
      JsonNode a = attributions("target=all&output=logit&normalize=" + mode + "&outlier=10&from=0&to=6");
      assertEquals(mode, a.get("normalize").asText());
      for (JsonNode step : a.get("steps")) {
        for (JsonNode t : step.get("targets")) {
          double[] raw = doubles(t.get("raw"));
          double[] n = doubles(t.get("normalized"));
          assertArrayEquals(Normalization.normalize(raw, Normalization.Mode.parse(mode), 10), n, 1e-12);
          for (double v : n) {
            assertTrue(v >= -1 && v <= 1);
            // As in Captum, the one-sign modes give magnitudes: negative scales min(a, 0) by a negative threshold.
            assertTrue(mode.equals("all") || v >= 0, mode + " " + v);
          }
        }
      }
    }
  }

  @Test
  void aRepeatedRequestIsServedFromTheCache() throws IOException {
    String query = LW + "/episodes/0/attributions?method=shapley&permutations=3&seed=11&target=all&from=40&to=90";
    Response first = get(query);
    assertEquals(200, first.status(), first.shortText());
    int calls = policyCalls.get();
    Response second = get(query);
    assertEquals(200, second.status());
    assertEquals(first.text(), second.text(), "the same answer");
    assertEquals(calls, policyCalls.get(), "no policy call for steps already computed");
    // Another view of the same computation (targets, normalisation) needs no new evaluations either.
    ok(get(query.replace("target=all", "target=top-1") + "&normalize=absolute"));
    assertEquals(calls, policyCalls.get());
    // A range overlapping the cached one computes only its new steps.
    JsonNode wider = ok(get(query.replace("from=40", "from=30")));
    assertEquals(60, wider.get("steps").size());
    assertEquals(JSON.readTree(first.text()).get("steps").get(0), wider.get("steps").get(10));
  }

  /**
   * An image recording (64 x 64 x 3): occlusion works and matches its definition, computed in
   * policy calls of at most 2^24 input values; per-pixel ablation or Shapley would need more
   * perturbed values per step than the server allows, and is refused with a 400 instead of
   * exhausting memory.
   */
  @Test
  void imagesGetOcclusionAndTooCostlyRequestsAreRefused() throws IOException {
    Box image = Box.of(DType.FLOAT32, 0, 1, 64, 64, 3);
    int d = image.flatDim();
    Path file = dir.resolve("image.arrow");
    SplittableRandom rng = new SplittableRandom(5);
    List<float[]> frames = new ArrayList<>();
    int frameCount = 60;
    for (int t = 0; t < frameCount; t++) {
      float[] x = new float[d];
      for (int i = 0; i < d; i++) {
        x[i] = (float) rng.nextDouble();
      }
      frames.add(x);
    }
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(image, new Discrete(2)).envId("Pixels-v0").open()) {
      w.beginEpisode(1L, null, frames.get(0), Map.of());
      for (int t = 1; t < frameCount; t++) {
        w.step(t % 2, 1.0, t == frameCount - 1, false, frames.get(t), Map.of(), AgentOutput.none());
      }
    }
    // Logit 0 is the sum of the red channel, logit 1 is 0.
    AtomicInteger largestBatch = new AtomicInteger();
    Policy red = Policy.of(d, 2, Policy.Output.LOGITS, (obs, batch) -> {
      largestBatch.accumulateAndGet(batch, Math::max);
      float[] out = new float[2 * batch];
      for (int b = 0; b < batch; b++) {
        double sum = 0;
        for (int i = 0; i < d; i += 3) {
          sum += obs[b * d + i];
        }
        out[2 * b] = (float) sum;
      }
      return out;
    });
    try (RldServer images = RldServer.builder().recording(file, red).port(0).start()) {
      String base = images.url() + "api/rollouts/image/episodes/0/attributions?";
      JsonNode a = ok(send(HttpRequest.newBuilder(URI.create(base
          + "method=occlusion&window=8,8&stride=8,8&output=logit&target=all")).GET()));
      assertEquals("occlusion", a.get("method").asText());
      assertEquals(d, a.get("features").size(), "occlusion reports every element");
      assertEquals(frameCount, a.get("steps").size());
      assertTrue(largestBatch.get() > 0 && (long) largestBatch.get() * d <= 1 << 24,
          "a policy call of " + largestBatch.get() + " rows");
      for (int t = 0; t < frameCount; t += 11) {
        double[] raw = doubles(a.get("steps").get(t).get("targets").get(0).get("raw"));
        float[] x = frames.get(t);
        // Non-overlapping 8 x 8 windows: every element gets the red sum of its window.
        for (int r = 0; r < 64; r += 13) {
          for (int c = 0; c < 64; c += 7) {
            double window = 0;
            for (int i = r / 8 * 8; i < r / 8 * 8 + 8; i++) {
              for (int j = c / 8 * 8; j < c / 8 * 8 + 8; j++) {
                window += x[(i * 64 + j) * 3];
              }
            }
            for (int ch = 0; ch < 3; ch++) {
              assertEquals(window, raw[(r * 64 + c) * 3 + ch], 1e-3, "pixel " + r + "," + c);
            }
          }
        }
        double[] other = doubles(a.get("steps").get(t).get("targets").get(1).get("raw"));
        assertEquals(0, java.util.Arrays.stream(other).map(Math::abs).sum(), 0.0);
      }
      error(send(HttpRequest.newBuilder(URI.create(base + "method=ablation&from=0&to=1")).GET()), 413,
          "ablation of 12288 features", "perturbed values per step");
      error(send(HttpRequest.newBuilder(URI.create(base + "method=shapley&permutations=2&from=0&to=1")).GET()), 413,
          "shapley with 2 antithetic permutations", "perturbed values per step");
      error(send(HttpRequest.newBuilder(URI.create(base + "method=occlusion&window=1,1&stride=1,1&from=0&to=1"))
          .GET()), 413, "occlusion with 4096 windows");
      error(send(HttpRequest.newBuilder(URI.create(base + "method=occlusion&window=65,8")).GET()), 400,
          "larger than the 64x64 image");
      error(send(HttpRequest.newBuilder(URI.create(base + "method=occlusion&stride=0,4")).GET()), 400,
          "stride");
    }
  }

  // ---------------------------------------------------------------- evaluate

  @Test
  void evaluateAnswersWithTheLogitsProbabilitiesAndGreedyAction() throws IOException {
    float[] x = {0.75f, -0.4f};
    JsonNode r = ok(post(LW + "/evaluate", "{\"observation\": [0.75, -0.4]}"));
    assertEquals("logits", r.get("output").asText());
    double[] z = logits(x);
    assertArrayEquals(toFloats(z), floats(r.get("outputs")));
    double[] p = doubles(r.get("probabilities"));
    assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
    assertArrayEquals(softmax(z), p, 1e-6);
    assertEquals(argmax(p), r.get("action").asInt());
    // Another point, where another action wins.
    JsonNode r2 = ok(post(LW + "/evaluate", "{\"observation\": [-3, -1]}"));
    assertEquals(argmax(softmax(logits(new float[] {-3, -1}))), r2.get("action").asInt());
    assertNotEquals(r.get("action").asInt(), r2.get("action").asInt());
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorsNameTheProblemAndTheServerStaysUp() throws IOException {
    error(get("/api/rollouts/nope"), 404, "unknown recording 'nope'", "line-walk");
    error(get("/api/rollouts/nope/episodes"), 404, "unknown recording 'nope'");
    error(get("/api/rollouts/nope/episodes/0/steps"), 404, "unknown recording 'nope'");
    error(post("/api/rollouts/nope/evaluate", "{\"observation\": [0, 0]}"), 404, "unknown recording 'nope'");
    error(get(LW + "/episodes/3/steps"), 404, "episode 3 does not exist", "3 episodes");
    error(get(LW + "/episodes/-1/steps"), 404, "episode -1 does not exist");
    error(get(LW + "/episodes/3/attributions"), 404, "episode 3 does not exist");
    error(get(LW + "/episodes/x/steps"), 400, "episode", "'x'");

    // Ranges: outside the episode, reversed, too large.
    error(get(LW + "/episodes/2/steps?from=0&to=100000"), 400, "outside episode 2");
    error(get(LW + "/episodes/2/steps?from=-1&to=2"), 400, "outside episode 2");
    error(get(LW + "/episodes/2/steps?from=5&to=2"), 400, "[5, 2)", "outside");
    error(get(LW + "/episodes/2/steps?from=2147483647"), 400, "outside episode 2");
    error(get(LW + "/episodes/0/steps?from=0&to=20001"), 400, "20001 steps", "at most 20000");
    error(get(LW + "/episodes/0/steps?from=0&to=20001&format=arrow"), 400, "at most 20000");
    error(get(LW + "/episodes/0/attributions?from=0&to=5001"), 400, "5001 steps", "at most 5000");
    JsonNode capped = ok(get(LW + "/episodes/0/attributions?from=10000"));
    assertEquals(5_000, capped.get("steps").size(), "without to, at most 5 000 steps from from");

    // Query values.
    error(get(LW + "/episodes/0/steps?from=abc"), 400, "from must be an integer", "'abc'");
    error(get(LW + "/episodes/0/steps?to=1.5"), 400, "to must be an integer", "'1.5'");
    error(get(LW + "/episodes/0/steps?format=xml"), 400, "unknown format 'xml'", "json, arrow");
    error(get(LW + "/episodes/0/attributions?method=lime"), 400, "unknown method 'lime'", "ablation");
    error(get(LW + "/episodes/0/attributions?target=top-0"), 400, "unknown target 'top-0'");
    error(get(LW + "/episodes/0/attributions?target=best"), 400, "unknown target 'best'");
    error(get(LW + "/episodes/0/attributions?baseline=1,2,3"), 400, "baseline", "2 comma-separated numbers", "'1,2,3'");
    error(get(LW + "/episodes/0/attributions?baseline=one,two"), 400, "baseline element 0 is not a number", "'one'");
    error(get(LW + "/episodes/0/attributions?baseline=0,NaN"), 400, "baseline element 1 (velocity) is NaN", "finite");
    error(get(LW + "/episodes/0/attributions?baseline=Infinity,0"), 400, "baseline element 0", "finite");
    error(get(LW + "/episodes/0/attributions?output=action"), 400, "unknown output 'action'");
    error(get(LW + "/episodes/0/attributions?normalize=max"), 400, "unknown normalize 'max'");
    error(get(LW + "/episodes/0/attributions?outlier=150"), 400, "outlier", "[0, 100)", "'150'");
    error(get(LW + "/episodes/0/attributions?outlier=x"), 400, "outlier must be a number");
    error(get(LW + "/episodes/0/attributions?groups=pairs"), 400, "unknown groups 'pairs'");
    error(get(LW + "/episodes/0/attributions?method=shapley&permutations=0"), 400, "permutations must be at least 1");
    error(get(LW + "/episodes/0/attributions?method=shapley&permutations=many"), 400, "permutations must be an integer");
    error(get(LW + "/episodes/0/attributions?method=shapley&permutations=100000000&from=0&to=1"), 400,
        "permutations", "at most");
    error(get(LW + "/episodes/0/attributions?method=shapley&seed=s"), 400, "seed must be an integer");
    error(get(LW + "/episodes/0/attributions?method=occlusion&from=0&to=3"), 400,
        "occlusion needs an image observation");
    error(get(LW + "/episodes/0/attributions?method=occlusion&window=2"), 400, "window must be two integers");

    // No policy.
    error(get(CP + "/episodes/0/attributions"), 409, "'recording' has no policy attached", "--policy");
    error(post(CP + "/evaluate", "{\"observation\": [0, 0, 0, 0]}"), 409, "no policy attached");

    // Bodies.
    error(post(LW + "/evaluate", "{\"observation\": [0.1, "), 400, "not valid JSON");
    error(post(LW + "/evaluate", ""), 400, "observation");
    error(post(LW + "/evaluate", "[0.1, 0.2]"), 400, "must be a JSON object with an \"observation\"");
    error(post(LW + "/evaluate", "{\"obs\": [0.1, 0.2]}"), 400, "\"observation\"");
    error(post(LW + "/evaluate", "{\"observation\": [0.1, 0.2, 0.3]}"), 400, "Box", "expected 2 elements");
    error(post(LW + "/evaluate", "{\"observation\": [[0.1], 0.2, 0.3]}"), 400, "nested arrays must have the Box's shape [2]");
    error(post(LW + "/evaluate", "{\"observation\": [[0.1], [0.2]]}"), 400, "nested arrays must have the Box's shape [2]");
    error(post(LW + "/evaluate", "{\"observation\": \"left\"}"), 400, "expected numbers");
    error(post(LW + "/evaluate", "{\"observation\": null}"), 400, "missing value");
    error(post(LW + "/evaluate", "{\"observation\": [50, 0]}"), 400, "position", "outside");
    String huge = "{\"observation\": [" + "0,".repeat(2_000_000) + "0]}";
    error(post(LW + "/evaluate", huge), 413, "Too Large");

    // Routes that do not exist.
    error(get("/api/nothing"), 404, "no such route", "/api/nothing");
    error(get(LW + "/episodes/0/steps/extra"), 404, "no such route");
    error(post("/api/rollouts", "{}"), 405, "POST is not allowed on /api/rollouts", "allowed: GET, HEAD");

    JsonNode list = ok(get("/api/rollouts"));
    assertEquals(2, list.size(), "the server still answers");
  }

  @Test
  void concurrentRequestsAllSucceed() throws Exception {
    List<Thread> threads = new ArrayList<>();
    Map<Integer, String> failures = new LinkedHashMap<>();
    for (int t = 0; t < 8; t++) {
      int n = t;
      Thread thread = new Thread(() -> {
        try {
          Response r = get(LW + "/episodes/0/attributions?target=all&from=" + (1000 + 10 * n) + "&to=" + (1100 + 10 * n));
          if (r.status() != 200) {
            synchronized (failures) {
              failures.put(n, r.text());
            }
          }
        } catch (IOException e) {
          synchronized (failures) {
            failures.put(n, e.toString());
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(Map.of(), failures);
  }
}
