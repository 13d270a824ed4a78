package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.attribution.StepAttribution;
import dev.rld.format.AgentOutput;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.format.Steps;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two policies on one recording: the trained CartPole MLP (A) and its round-0 checkpoint (B) on
 * the committed CartPole recording. The disagreement route equals both models evaluated here
 * directly on the recorded observations; attributions with {@code policy=b} are model B's; the
 * route's refusals name what is wrong; MultiDiscrete actions are compared per sub-action, Box
 * actions by the distance of their means.
 */
class ComparePoliciesTest {
  static final Path MODELS = Path.of("../models/cartpole");
  static final Path RECORDING = MODELS.resolve("recording.arrow");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final double TOLERANCE = 1e-6;

  @TempDir static Path dir;
  static RldServer server;
  static OnnxPolicy a;
  static OnnxPolicy b;
  /** How many observations the Box policies were asked about, so far. */
  static final AtomicLong boxEvaluations = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    a = OnnxPolicy.load(MODELS.resolve("cartpole_mlp.onnx"), Policy.Output.LOGITS);
    b = OnnxPolicy.load(MODELS.resolve("cartpole_mlp_round0.onnx"), Policy.Output.LOGITS);
    server = RldServer.builder()
        .recording(RECORDING, a, b)                                       // id "recording"
        .recording(RECORDING, a)                                          // "recording-2": A alone
        .recording(boxRecording(), boxPolicy(0), boxPolicy(1).withName("shifted"))  // "box"
        .port(0).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    a.close();
    b.close();
  }

  record Reply(int status, JsonNode body) {}

  static Reply send(String method, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  static JsonNode get(String path) throws Exception {
    Reply r = send("GET", path);
    assertEquals(200, r.status(), path + ": " + r.body());
    return r.body();
  }

  static String error(String path, int status) throws Exception {
    Reply r = send("GET", path);
    assertEquals(status, r.status(), path + ": " + r.body());
    return r.body().get("error").asText();
  }

  /** Every recorded observation of an episode, flattened. */
  static float[][] observations(int episode) throws Exception {
    try (Rollout rollout = Rollout.open(RECORDING)) {
      int rows = rollout.episodes().get(episode).observations();
      Space space = rollout.observationSpace();
      float[][] x = new float[rows][];
      try (Steps s = rollout.read(episode, 0, rows)) {
        for (int i = 0; i < rows; i++) {
          double[] row = space.flatten(s.observation(i));
          x[i] = new float[row.length];
          for (int j = 0; j < row.length; j++) {
            x[i][j] = (float) row[j];
          }
        }
      }
      return x;
    }
  }

  static double[] softmax(float[] logits) {
    double max = Math.max(logits[0], logits[1]);
    double e0 = Math.exp(logits[0] - max);
    double e1 = Math.exp(logits[1] - max);
    return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
  }

  @Test
  void theDisagreementIsBothModelsEvaluatedDirectly() throws Exception {
    double largest = 0;
    for (int e = 0; e < 3; e++) {
      JsonNode answer = get("api/rollouts/recording/episodes/" + e + "/disagreement");
      assertEquals("cartpole_mlp.onnx", answer.get("a").asText());
      assertEquals("cartpole_mlp_round0.onnx", answer.get("b").asText());
      assertEquals("total-variation", answer.get("measure").asText());
      float[][] x = observations(e);
      assertEquals(0, answer.get("from").asInt());
      assertEquals(x.length, answer.get("to").asInt());
      assertEquals(x.length, answer.get("steps").size(), "every recorded observation, the final one too");
      int count = 0;
      for (int i = 0; i < x.length; i++) {
        // One observation a call: independent of the server's batching.
        double[] p = softmax(a.evaluate(x[i], 1));
        double[] q = softmax(b.evaluate(x[i], 1));
        int greedyA = p[1] > p[0] ? 1 : 0;
        int greedyB = q[1] > q[0] ? 1 : 0;
        double tv = (Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1])) / 2;
        JsonNode step = answer.get("steps").get(i);
        assertEquals(i, step.get("step").asInt());
        assertEquals(greedyA, step.get("greedyA").asInt(), "episode " + e + " step " + i);
        assertEquals(greedyB, step.get("greedyB").asInt(), "episode " + e + " step " + i);
        assertEquals(greedyA != greedyB, step.get("differs").asBoolean());
        assertEquals(tv, step.get("distance").asDouble(), TOLERANCE, "episode " + e + " step " + i);
        count += greedyA != greedyB ? 1 : 0;
        largest = Math.max(largest, tv);
      }
      assertEquals(count, answer.get("disagreeing").asInt());
    }
    // The random agent's tilted states are clear cases for both (they act alike there): the
    // distributions still differ.
    assertTrue(largest > 0.01, "the round-0 checkpoint answers otherwise: " + largest);
  }

  @Test
  void aRangeIsTheSameStepsAsTheWholeEpisode() throws Exception {
    JsonNode whole = get("api/rollouts/recording/episodes/2/disagreement");
    JsonNode part = get("api/rollouts/recording/episodes/2/disagreement?from=5&to=12");
    assertEquals(5, part.get("from").asInt());
    assertEquals(12, part.get("to").asInt());
    assertEquals(7, part.get("steps").size());
    int count = 0;
    for (int i = 0; i < 7; i++) {
      assertEquals(whole.get("steps").get(5 + i), part.get("steps").get(i));
      count += part.get("steps").get(i).get("differs").asBoolean() ? 1 : 0;
    }
    assertEquals(count, part.get("disagreeing").asInt());
  }

  @Test
  void refusalsNameWhatIsWrong() throws Exception {
    assertTrue(error("api/rollouts/recording-2/episodes/0/disagreement", 409).contains("no compare policy attached"));
    assertTrue(error("api/rollouts/recording-2/episodes/0/disagreement", 409).contains("--compare-policy"));
    assertTrue(error("api/rollouts/recording/episodes/3/disagreement", 404).contains("episode 3 does not exist"));
    assertTrue(error("api/rollouts/nothing/episodes/0/disagreement", 404).contains("unknown recording 'nothing'"));
    assertTrue(error("api/rollouts/recording/episodes/x/disagreement", 400).contains("episode must be an integer"));
    assertTrue(error("api/rollouts/recording/episodes/0/disagreement?from=abc", 400).contains("from must be an integer"));
    assertTrue(error("api/rollouts/recording/episodes/0/disagreement?from=3&to=2", 400).contains("outside episode 0"));
    assertTrue(error("api/rollouts/recording/episodes/0/disagreement?to=999", 400).contains("outside episode 0"));
    assertTrue(error("api/rollouts/recording/episodes/0/attributions?policy=c", 400).contains("unknown policy 'c' (a, b)"));
    assertTrue(error("api/rollouts/recording-2/episodes/0/attributions?policy=b", 409)
        .contains("no compare policy attached"));
    Reply delete = send("DELETE", "api/rollouts/recording/episodes/0/disagreement");
    assertEquals(405, delete.status());
    assertTrue(delete.body().get("error").asText().contains("allowed: GET, HEAD"));
  }

  @Test
  void theMetadataNamesBothPolicies() throws Exception {
    JsonNode m = get("api/rollouts/recording");
    assertEquals("cartpole_mlp.onnx", m.get("policy").get("name").asText());
    assertEquals("cartpole_mlp_round0.onnx", m.get("comparePolicy").get("name").asText());
    assertEquals("logits", m.get("comparePolicy").get("output").asText());
    JsonNode alone = get("api/rollouts/recording-2");
    assertEquals("cartpole_mlp.onnx", alone.get("policy").get("name").asText());
    assertTrue(alone.get("comparePolicy") == null, "no compare policy: no member");
    assertEquals("shifted", get("api/rollouts/box").get("comparePolicy").get("name").asText());
  }

  @Test
  void attributionsWithPolicyBAreModelBs() throws Exception {
    String q = "method=shapley&target=all&from=0&to=22";
    JsonNode withA = get("api/rollouts/recording/episodes/0/attributions?" + q);
    JsonNode withB = get("api/rollouts/recording/episodes/0/attributions?" + q + "&policy=b");
    assertEquals(withA, get("api/rollouts/recording/episodes/0/attributions?" + q + "&policy=a"));
    assertNotEquals(withA.get("steps"), withB.get("steps"));

    float[][] x = observations(0);
    int[] steps = new int[x.length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i;
    }
    try (Rollout rollout = Rollout.open(RECORDING)) {
      AttributionRequest request = new AttributionRequest(AttributionRequest.Method.SHAPLEY,
          new AttributionRequest.Baseline("zero", new float[4]), AttributionRequest.OutputKind.PROBABILITY, 25, 0,
          new int[] {8, 8}, new int[] {4, 4});
      List<StepAttribution> direct = new Attributor(b, rollout.observationSpace(), rollout.actionSpace())
          .attribute(request, FeatureGroups.perElement(rollout.observationSpace()), x, steps, n -> { });
      for (int i = 0; i < x.length; i++) {
        JsonNode targets = withB.get("steps").get(i).get("targets");
        assertEquals(2, targets.size());
        for (JsonNode t : targets) {
          int k = t.get("action").asInt();
          assertEquals(direct.get(i).values()[k], t.get("value").asDouble(), TOLERANCE);
          for (int f = 0; f < 4; f++) {
            assertEquals(direct.get(i).raw()[k][f], t.get("raw").get(f).asDouble(), TOLERANCE, "step " + i);
          }
        }
      }
    }
  }

  @Test
  void boxActionsAreComparedByTheDistanceOfTheirMeans() throws Exception {
    JsonNode answer = get("api/rollouts/box/episodes/0/disagreement");
    assertEquals("euclidean", answer.get("measure").asText());
    assertEquals("shifted", answer.get("b").asText());
    int count = 0;
    for (JsonNode step : answer.get("steps")) {
      float[] x = boxObservation(step.get("step").asInt());
      float[] meanA = boxPolicy(0).evaluate(x, 1);
      float[] meanB = boxPolicy(1).evaluate(x, 1);
      double dx = meanA[0] - meanB[0];
      double dy = meanA[1] - meanB[1];
      assertEquals(Math.sqrt(dx * dx + dy * dy), step.get("distance").asDouble(), TOLERANCE);
      assertEquals(meanA[1], step.get("greedyA").get(1).asDouble(), TOLERANCE);
      assertEquals(meanB[0], step.get("greedyB").get(0).asDouble(), TOLERANCE);
      // 5 % of each dimension's range [-1, 1]
      boolean differs = Math.abs(dx) > 0.1 || Math.abs(dy) > 0.1;
      assertEquals(differs, step.get("differs").asBoolean(), "step " + step);
      count += differs ? 1 : 0;
    }
    assertEquals(count, answer.get("disagreeing").asInt());
    assertTrue(count > 0 && count < answer.get("steps").size(), "some steps differ, some do not: " + count);
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCache() throws Exception {
    get("api/rollouts/box/episodes/0/disagreement?from=0&to=10");
    long before = boxEvaluations.get();
    JsonNode again = get("api/rollouts/box/episodes/0/disagreement?from=3&to=30");
    assertEquals(before, boxEvaluations.get(), "no policy call for cached rows");
    assertEquals(27, again.get("steps").size());
  }

  @Test
  void aRequestOverTheBudgetIsRefusedWithTheStepsThatFit() throws Exception {
    Limits limits = Limits.defaults().withCost(20, 1L << 30, 256L << 20, 64L << 20);
    try (Policy a2 = OnnxPolicy.load(MODELS.resolve("cartpole_mlp.onnx"), Policy.Output.LOGITS);
        Policy b2 = OnnxPolicy.load(MODELS.resolve("cartpole_mlp_round0.onnx"), Policy.Output.LOGITS);
        RldServer tight = RldServer.builder().recording(RECORDING, a2, b2).limits(limits).port(0).start()) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tight.url()
          + "api/rollouts/recording/episodes/0/disagreement")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(413, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      assertEquals("policy evaluations", body.get("unit").asText());
      assertEquals(10, body.get("maxSteps").asInt(), "two policies: 20 evaluations are 10 steps");
      assertTrue(tight.notes().contains("recording: comparing policy A (cartpole_mlp.onnx) with policy B "
          + "(cartpole_mlp_round0.onnx)"), tight.notes().toString());
    }
  }

  @Test
  void multiDiscreteActionsAreComparedPerSubAction() throws Exception {
    Path file = dir.resolve("multi.arrow");
    Box obs = Box.float32(new double[] {-1, -1}, new double[] {1, 1});
    MultiDiscrete actions = new MultiDiscrete(2, 3);
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(obs, actions).envId("Multi-v0").open()) {
      w.beginEpisode(1L, null, boxObservation(0), Map.of());
      for (int t = 1; t <= 12; t++) {
        w.step(new long[] {0, 0}, 0.0, false, t == 12, boxObservation(t), Map.of(), AgentOutput.none());
      }
    }
    // A: sub-action 0 by the sign of x, sub-action 1 by y; B: the same with x's sign flipped.
    Policy ma = Policy.ofObservation(2, 5, Policy.Output.LOGITS, o -> new float[] {-o[0], o[0], -o[1], 0, o[1]});
    Policy mb = Policy.ofObservation(2, 5, Policy.Output.LOGITS, o -> new float[] {o[0], -o[0], -o[1], 0, o[1]});
    try (RldServer multi = RldServer.builder().recording(file, ma, mb).port(0).start()) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(multi.url()
          + "api/rollouts/multi/episodes/0/disagreement")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode answer = JSON.readTree(r.body());
      assertEquals("total-variation", answer.get("measure").asText());
      for (JsonNode step : answer.get("steps")) {
        float[] o = boxObservation(step.get("step").asInt());
        double[] p = softmax(new float[] {-o[0], o[0]});
        int greedy1 = argmax(softmax3(-o[1], 0, o[1]));
        assertEquals(p[1] > p[0] ? 1 : 0, step.get("greedyA").get(0).asInt());
        assertEquals(p[0] > p[1] ? 1 : 0, step.get("greedyB").get(0).asInt());
        assertEquals(greedy1, step.get("greedyA").get(1).asInt());
        assertEquals(greedy1, step.get("greedyB").get(1).asInt());
        assertEquals(step.get("greedyA").get(0).asInt() != step.get("greedyB").get(0).asInt(),
            step.get("differs").asBoolean());
        // sub-action 0's distributions are mirrored, sub-action 1's equal: the mean of |2p − 1| and 0
        assertEquals(Math.abs(p[1] - p[0]) / 2, step.get("distance").asDouble(), TOLERANCE);
      }
    }
  }

  static double[] softmax3(double a, double b, double c) {
    double m = Math.max(a, Math.max(b, c));
    double[] e = {Math.exp(a - m), Math.exp(b - m), Math.exp(c - m)};
    double s = e[0] + e[1] + e[2];
    return new double[] {e[0] / s, e[1] / s, e[2] / s};
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

  // ---------------------------------------------------------------- a recording of Box actions

  static final int BOX_STEPS = 40;

  /** A point moving on a circle of radius 0.8: observation [x, y]; the actions do not matter. */
  static float[] boxObservation(int t) {
    return new float[] {(float) (0.8 * Math.cos(t * 0.2)), (float) (0.8 * Math.sin(t * 0.2))};
  }

  static Path boxRecording() throws Exception {
    Path file = dir.resolve("box.arrow");
    Box space = Box.float32(new double[] {-1, -1}, new double[] {1, 1});
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(space, space).envId("Circle-v0").open()) {
      w.beginEpisode(1L, null, boxObservation(0), Map.of());
      for (int t = 1; t <= BOX_STEPS; t++) {
        w.step(new float[] {0f, 0f}, 0.0, false, t == BOX_STEPS, boxObservation(t), Map.of(), AgentOutput.none());
      }
    }
    return file;
  }

  /** Policy 0: the action mean is the observation; policy 1: the observation squashed in x by 0.85. */
  static Policy boxPolicy(int which) {
    return Policy.of(2, 2, Policy.Output.ACTIONS, (obs, batch) -> {
      boxEvaluations.addAndGet(batch);
      float[] out = obs.clone();
      if (which == 1) {
        for (int i = 0; i < batch; i++) {
          out[2 * i] *= 0.85f;
        }
      }
      return java.util.Arrays.copyOf(out, 2 * batch);
    });
  }
}
