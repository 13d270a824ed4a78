package dev.rld.api;

import static dev.rld.api.OnnxReferenceTest.JSON;
import static dev.rld.api.OnnxReferenceTest.MODELS;
import static dev.rld.api.OnnxReferenceTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST …/landscape} on the committed CartPole recording with the PyTorch-trained
 * actor-critic: every cell equals what {@code POST …/evaluate} answers for that observation
 * (probability, logit, greedy action and V(s)), and bad bodies get 400s naming the problem.
 */
class LandscapeRouteTest {
  static RldServer server;
  static RldServer noPolicy;
  static final String OBS = "[0.02, -0.3, 0.04, 0.2]";

  @BeforeAll
  static void start() throws Exception {
    Policy policy = OnnxPolicy.load(MODELS.resolve("cartpole_ac.onnx"), Policy.Output.LOGITS);
    server = RldServer.builder().recording(MODELS.resolve("recording.arrow"), policy).port(0).start();
    noPolicy = RldServer.builder().recording(MODELS.resolve("recording.arrow")).port(0).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    noPolicy.close();
  }

  static JsonNode landscape(String body) throws Exception {
    HttpResponse<String> r = post(server, "api/rollouts/recording/landscape", body);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  static JsonNode evaluate(double[] x) throws Exception {
    HttpResponse<String> r = post(server, "api/rollouts/recording/evaluate",
        "{\"observation\": " + JSON.writeValueAsString(x) + "}");
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void everyCellIsWhatEvaluateAnswersForItsObservation() throws Exception {
    // pole angle (2) × angular velocity (3), cart position and velocity held
    String axes = "\"x\": {\"feature\": 2, \"from\": -0.2, \"to\": 0.2}, \"y\": {\"feature\": 3, \"from\": -2, \"to\": 2}, "
        + "\"resolution\": [9, 5]";
    JsonNode p = landscape("{\"observation\": " + OBS + ", " + axes + ", \"target\": 1}");
    JsonNode logit = landscape("{\"observation\": " + OBS + ", " + axes + ", \"target\": 1, \"output\": \"logit\"}");
    JsonNode value = landscape("{\"observation\": " + OBS + ", " + axes + ", \"target\": \"value\"}");
    JsonNode sure = landscape("{\"observation\": " + OBS + ", " + axes + ", \"target\": \"greedy\"}");
    assertEquals(9, p.get("x").size());
    assertEquals(5, p.get("y").size());
    assertEquals(-0.2, p.get("x").get(0).asDouble(), 1e-12);
    assertEquals(0.1, p.get("x").get(6).asDouble(), 1e-12);
    assertEquals(-1.0, p.get("y").get(1).asDouble(), 1e-12);
    assertEquals("pole angle", p.get("xFeature").asText());
    assertEquals(0.04, p.get("at").get(0).asDouble(), 1e-6);
    assertEquals("value", value.get("output").asText());
    int greedyFlips = 0;
    for (int j = 0; j < 5; j++) {
      for (int i = 0; i < 9; i++) {
        double[] x = {0.02, -0.3, p.get("x").get(i).asDouble(), p.get("y").get(j).asDouble()};
        JsonNode e = evaluate(x);
        String cell = "cell (" + i + ", " + j + ")";
        assertEquals(e.get("probabilities").get(1).asDouble(), p.get("values").get(j).get(i).asDouble(), 1e-6, cell);
        assertEquals(e.get("outputs").get(1).asDouble(), logit.get("values").get(j).get(i).asDouble(), 1e-5, cell);
        assertEquals(e.get("action").asInt(), p.get("actions").get(j).get(i).asInt(), cell);
        assertEquals(e.get("value").asDouble(), value.get("values").get(j).get(i).asDouble(), 1e-4, cell);
        double best = Math.max(e.get("probabilities").get(0).asDouble(), e.get("probabilities").get(1).asDouble());
        assertEquals(best, sure.get("values").get(j).get(i).asDouble(), 1e-6, cell + ": its greedy action's probability");
        greedyFlips += p.get("actions").get(j).get(i).asInt();
      }
    }
    assertTrue(greedyFlips > 0 && greedyFlips < 45, "the trained policy pushes both ways over this grid: " + greedyFlips);
  }

  @Test
  void withoutATargetTheGreedyActionAtTheObservationIsShownAndTheBoundsNeedARangeWhenUnbounded() throws Exception {
    JsonNode a = landscape("{\"observation\": " + OBS + ", \"x\": {\"feature\": 2}, \"y\": {\"feature\": 0}, "
        + "\"resolution\": 4}");
    int greedy = evaluate(new double[] {0.02, -0.3, 0.04, 0.2}).get("action").asInt();
    assertEquals(greedy, a.get("target").asInt());
    // CartPole's pole angle and cart position are bounded (±0.419 rad, ±4.8 m): the bounds by default
    assertEquals(-4.8, a.get("y").get(0).asDouble(), 1e-5);
    assertEquals(4.8, a.get("y").get(3).asDouble(), 1e-5);
    ArrayNode row = (ArrayNode) a.get("values").get(0);
    assertEquals(4, row.size());
  }

  @Test
  void badBodiesAre400sNamingTheProblem() throws Exception {
    String x = "\"x\": {\"feature\": 2, \"from\": -0.2, \"to\": 0.2}";
    String y = "\"y\": {\"feature\": 3, \"from\": -2, \"to\": 2}";
    String[][] bad = {
        {"[1, 2]", "the body must be a JSON object"},
        {"{\"observation\": " + OBS + ", " + x + "}", "an \"x\" and a \"y\""},
        {"{\"observation\": [0, 0, 0], " + x + ", " + y + "}", "observation"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": 9}, " + y + "}", "feature 9 is not an element"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": \"angle\"}, " + y + "}", "x must be {\"feature\": i"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": 3}, \"y\": {\"feature\": 3, \"from\": 0, \"to\": 1}}",
            "same feature"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": 1}, " + y + "}", "x.from is needed"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": 2, \"from\": -1, \"to\": 0}, " + y + "}",
            "outside its space's bounds"},
        {"{\"observation\": " + OBS + ", " + x + ", " + y + ", \"resolution\": [300, 4]}", "resolution must be 1 to 256"},
        {"{\"observation\": " + OBS + ", " + x + ", " + y + ", \"resolution\": \"big\"}", "resolution must be [nx, ny]"},
        {"{\"observation\": " + OBS + ", " + x + ", " + y + ", \"target\": 2}", "target 2 is not an output"},
        {"{\"observation\": " + OBS + ", " + x + ", " + y + ", \"target\": \"left\"}", "target must be"},
        {"{\"observation\": " + OBS + ", " + x + ", " + y + ", \"output\": \"odds\"}", "output"},
        {"{\"observation\": " + OBS + ", \"x\": {\"feature\": 2, \"from\": \"NaN\"}, " + y + "}", "x.from must be a number"},
    };
    for (String[] b : bad) {
      HttpResponse<String> r = post(server, "api/rollouts/recording/landscape", b[0]);
      assertEquals(400, r.statusCode(), b[0] + " -> " + r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().contains(b[1]), b[0] + " -> " + r.body());
    }
    HttpResponse<String> none = post(noPolicy, "api/rollouts/recording/landscape",
        "{\"observation\": " + OBS + ", " + x + ", " + y + "}");
    assertEquals(409, none.statusCode(), none.body());
  }
}
