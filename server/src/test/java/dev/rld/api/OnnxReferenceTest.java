package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server, serving the committed CartPole recording with the PyTorch-trained policy exported
 * to ONNX, answers with the attributions that models/cartpole/reference.py computed with
 * PyTorch from docs/attributions.md, to 1e-5.
 */
class OnnxReferenceTest {
  static final Path MODELS = Path.of("../models/cartpole");
  static final double TOLERANCE = 1e-5;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static RldServer server;
  static JsonNode reference;

  @BeforeAll
  static void start() throws Exception {
    reference = JSON.readTree(MODELS.resolve("reference_attributions.json").toFile());
    Policy policy = OnnxPolicy.load(MODELS.resolve("cartpole_mlp.onnx"), Policy.Output.LOGITS);
    server = RldServer.builder().recording(MODELS.resolve("recording.arrow"), policy).port(0).start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static JsonNode get(String path) throws Exception {
    return get(server, path);
  }

  static JsonNode get(RldServer server, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  /** The query of a reference entry: the estimator as the entry says (exact ones by default). */
  static String query(JsonNode config) {
    String q = "method=" + config.get("method").asText() + "&baseline=" + config.get("baseline").asText()
        + (config.get("output").isNull() ? "" : "&output=" + config.get("output").asText())
        + "&target=" + config.get("target").asText();
    if ("sampled".equals(config.path("estimator").asText())) {
      q += "&permutations=" + config.get("permutations").asInt() + "&seed=" + config.get("seed").asLong()
          + "&sampling=" + config.get("sampling").asText();
    }
    return q;
  }

  /**
   * Compares every step, target and feature of {@code reference}'s entries with the server's
   * answers, within {@code tolerance} times max(1, |value|); returns the number of values compared.
   */
  static int compare(RldServer server, JsonNode reference, String id) throws Exception {
    int compared = 0;
    for (JsonNode config : reference.get("attributions")) {
      String query = query(config);
      for (JsonNode episode : config.get("episodes")) {
        int e = episode.get("episode").asInt();
        JsonNode got = get(server, "api/rollouts/" + id + "/episodes/" + e + "/attributions?" + query);
        assertEquals(reference.get("features"), got.get("features"));
        assertEquals(config.path("estimator").isNull() ? "null" : config.get("estimator").asText(),
            got.get("estimator").isNull() ? "null" : got.get("estimator").asText(), query);
        JsonNode wantSteps = episode.get("steps");
        assertEquals(wantSteps.size(), got.get("steps").size(), query + " episode " + e);
        for (int s = 0; s < wantSteps.size(); s++) {
          JsonNode want = wantSteps.get(s);
          JsonNode have = got.get("steps").get(s);
          String at = query + " episode " + e + " step " + want.get("step").asInt();
          assertEquals(want.get("step").asInt(), have.get("step").asInt(), at);
          assertEquals(want.get("targets").size(), have.get("targets").size(), at + " targets");
          for (int t = 0; t < want.get("targets").size(); t++) {
            JsonNode wt = want.get("targets").get(t);
            JsonNode ht = have.get("targets").get(t);
            if (wt.has("action")) {
              assertEquals(wt.get("action").asInt(), ht.get("action").asInt(), at);
            }
            // Policy outputs are within 1; a value head's reach ~100, where ONNX Runtime and
            // PyTorch differ by a few float32 steps (7.6e-6 each): 1e-5, or 1e-6 of the magnitude.
            double magnitude = Math.abs(wt.get("value").asDouble());
            for (JsonNode fb : config.get("baseline_outputs")) {
              magnitude = Math.max(magnitude, Math.abs(fb.asDouble()));
            }
            double tolerance = Math.max(TOLERANCE, 1e-6 * magnitude);
            assertEquals(wt.get("value").asDouble(), ht.get("value").asDouble(), tolerance, at + " value");
            // The gap sums the 4 attributions, f(x) and f(b): their errors add up.
            assertEquals(wt.get("gap").asDouble(), ht.get("gap").asDouble(), 6 * tolerance, at + " gap");
            for (int f = 0; f < 4; f++) {
              assertEquals(wt.get("raw").get(f).asDouble(), ht.get("raw").get(f).asDouble(), tolerance,
                  at + " target " + t + " feature " + f);
              if (wt.hasNonNull("stderr")) {
                assertEquals(wt.get("stderr").get(f).asDouble(), ht.get("stderr").get(f).asDouble(),
                    tolerance, at + " stderr of feature " + f);
              } else {
                assertTrue(ht.get("stderr").isNull(), at + ": no standard error for " + config.get("estimator"));
              }
              compared++;
            }
          }
        }
      }
    }
    return compared;
  }

  @Test
  void everyReferenceConfigurationMatches() throws Exception {
    int compared = compare(server, reference, "recording");
    // 20 configurations of every target (10 exact or sampled Shapley) × 66 rows × 2 targets × 4
    // features, picked (63 steps) and top-1 (66 rows).
    assertEquals(20 * 66 * 2 * 4 + 63 * 4 + 66 * 4, compared);
  }

  @Test
  void defaultShapleyIsExactAndEqualsPyTorchsEnumeration() throws Exception {
    JsonNode exact = null;
    for (JsonNode config : reference.get("attributions")) {
      if ("exact".equals(config.path("estimator").asText()) && config.get("baseline").asText().equals("zero")
          && config.get("output").asText().equals("probability")) {
        exact = config;
      }
    }
    for (JsonNode episode : exact.get("episodes")) {
      int e = episode.get("episode").asInt();
      for (String query : new String[] {"method=shapley&target=all", "method=shapley&target=all&exact=true"}) {
        JsonNode got = get(server, "api/rollouts/recording/episodes/" + e + "/attributions?" + query);
        assertEquals("exact", got.get("estimator").asText());
        for (int s = 0; s < episode.get("steps").size(); s++) {
          for (int t = 0; t < 2; t++) {
            for (int f = 0; f < 4; f++) {
              assertEquals(episode.at("/steps/" + s + "/targets/" + t + "/raw/" + f).asDouble(),
                  got.at("/steps/" + s + "/targets/" + t + "/raw/" + f).asDouble(), TOLERANCE, query + " step " + s);
            }
          }
        }
      }
    }
  }

  static HttpResponse<String> post(RldServer server, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anyObservationIsExplainedAsTheGetRouteExplainsARecordedOne() throws Exception {
    JsonNode rows = get("api/rollouts/recording/episodes/1/steps?from=0&to=8");
    for (String query : new String[] {"method=ablation&target=all", "method=shapley&target=picked",
        "method=shapley&permutations=6&seed=3&target=top-1&output=logit"}) {
      JsonNode recorded = get("api/rollouts/recording/episodes/1/attributions?from=0&to=8&" + query);
      for (int t = 0; t < 8; t++) {
        String body = "{\"observation\": " + rows.get("observations").get(t) + ", \"action\": "
            + rows.get("actions").get(t) + ", \"step\": " + t + "}";
        HttpResponse<String> r = post(server, "api/rollouts/recording/attributions?" + query, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode one = JSON.readTree(r.body());
        assertEquals(1, one.get("steps").size());
        assertEquals(t, one.at("/steps/0/step").asInt());
        JsonNode want = recorded.get("steps").get(t).get("targets");
        JsonNode got = one.at("/steps/0/targets");
        assertEquals(want.size(), got.size(), query + " step " + t);
        for (int k = 0; k < want.size(); k++) {
          assertEquals(want.get(k).get("action"), got.get(k).get("action"));
          for (int f = 0; f < 4; f++) {
            assertEquals(want.get(k).get("raw").get(f).asDouble(), got.get(k).get("raw").get(f).asDouble(), 1e-9,
                query + " step " + t + " feature " + f);
          }
        }
      }
    }
    // An observation never recorded: the greedy action is explained when none is given.
    JsonNode made = JSON.readTree(post(server, "api/rollouts/recording/attributions?target=picked",
        "{\"observation\": [0.0, 0.0, 0.1, 0.0]}").body());
    JsonNode eval = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
        + "api/rollouts/recording/evaluate")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"observation\": [0.0, 0.0, 0.1, 0.0]}")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals(eval.get("action").asInt(), made.at("/steps/0/targets/0/action").asInt());
    // Bad bodies: 400 naming what is wrong.
    for (String[] bad : new String[][] {
        {"{\"observation\": [0, 0, NaN, 0]}", "not valid JSON"},
        {"{\"observation\": [0, 0, 0]}", "expected 4 elements"},
        {"{\"observation\": [0, 0, 1e9, 0]}", "element 2"},
        {"{\"observation\": [0, 0, 0, 0], \"action\": 7}", "action"},
        {"{\"observation\": [0, 0, 0, 0], \"step\": -1}", "step must be a non-negative integer"},
        {"{\"obs\": [0, 0, 0, 0]}", "\"observation\""}}) {
      HttpResponse<String> r = post(server, "api/rollouts/recording/attributions", bad[0]);
      assertEquals(400, r.statusCode(), bad[0] + ": " + r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().contains(bad[1]), r.body());
    }
  }

  @Test
  void theValueHeadOfAnActorCriticIsExplained() throws Exception {
    JsonNode valueReference = JSON.readTree(MODELS.resolve("reference_value_attributions.json").toFile());
    Policy ac = OnnxPolicy.load(MODELS.resolve("cartpole_ac.onnx"), Policy.Output.LOGITS);
    try (RldServer acServer = RldServer.builder().recording(MODELS.resolve("recording.arrow"), ac).port(0).start()) {
      JsonNode meta = get(acServer, "api/rollouts/recording");
      assertEquals("[\"picked\",\"top-K\",\"all\",\"value\"]", meta.at("/policy/targets").toString());
      int compared = compare(acServer, valueReference, "recording");
      // 5 configurations × 66 rows × 1 target × 4 features.
      assertEquals(5 * 66 * 4, compared);
      // The actor is the same network: its attributions are those of cartpole_mlp.onnx.
      JsonNode actor = get(acServer, "api/rollouts/recording/episodes/0/attributions?target=all&method=ablation");
      JsonNode mlp = get(server, "api/rollouts/recording/episodes/0/attributions?target=all&method=ablation");
      assertEquals(mlp.at("/steps/5/targets/1/raw/2").asDouble(), actor.at("/steps/5/targets/1/raw/2").asDouble(), 1e-7);
    }
    // A policy without a value head: target=value is refused, naming what is missing.
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
        + "api/rollouts/recording/episodes/0/attributions?target=value")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("target=value needs a policy with a value head"), r.body());
  }

  @Test
  void normalisedValuesMatchForEveryMode() throws Exception {
    for (JsonNode config : reference.get("attributions")) {
      JsonNode normalized = config.get("normalized");
      if (normalized == null || normalized.isNull()) {
        continue;
      }
      var modes = normalized.fields();
      while (modes.hasNext()) {
        var mode = modes.next();
        for (JsonNode episode : mode.getValue()) {
          int e = episode.get("episode").asInt();
          JsonNode got = get("api/rollouts/recording/episodes/" + e + "/attributions?method=ablation&baseline=zero"
              + "&output=probability&target=all&normalize=" + mode.getKey() + "&outlier="
              + reference.get("outlier_percentile").asDouble());
          for (int s = 0; s < episode.get("steps").size(); s++) {
            JsonNode want = episode.get("steps").get(s);
            for (int t = 0; t < want.get("targets").size(); t++) {
              for (int f = 0; f < 4; f++) {
                // The threshold can be as small as 5e-4, so float32 differences of ~1e-9 in the raw
                // values scale up; compare relative to the scale the values are divided by.
                assertEquals(want.get("targets").get(t).get("values").get(f).asDouble(),
                    got.at("/steps/" + s + "/targets/" + t + "/normalized/" + f).asDouble(), 2e-5,
                    mode.getKey() + " episode " + e + " step " + s);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void evaluateAndTheMeanBaselineMatchTheReference() throws Exception {
    ServedRollout served = ServedRollout.open("r", MODELS.resolve("recording.arrow"),
        OnnxPolicy.load(MODELS.resolve("cartpole_mlp.onnx"), Policy.Output.LOGITS));
    try (served) {
      float[] mean = served.attributions().meanObservation();
      for (int i = 0; i < 4; i++) {
        assertEquals(reference.get("mean_baseline").get(i).asDouble(), mean[i], 1e-6);
      }
    }
    JsonNode recording = JSON.readTree(MODELS.resolve("recording.json").toFile());
    for (JsonNode out : reference.get("outputs")) {
      int e = out.get("episode").asInt();
      for (JsonNode step : out.get("steps")) {
        JsonNode obs = recording.get("episodes").get(e).get("observations").get(step.get("step").asInt());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/recording/evaluate"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"observation\": " + obs + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode got = JSON.readTree(r.body());
        for (int k = 0; k < 2; k++) {
          assertEquals(step.get("logits").get(k).asDouble(), got.get("outputs").get(k).asDouble(), TOLERANCE);
          assertEquals(step.get("probabilities").get(k).asDouble(), got.get("probabilities").get(k).asDouble(), TOLERANCE);
        }
        int argmax = step.get("probabilities").get(0).asDouble() >= step.get("probabilities").get(1).asDouble() ? 0 : 1;
        assertEquals(argmax, got.get("action").asInt());
      }
    }
  }

  @Test
  void userGroupsAreAblatedTogether() throws Exception {
    String groups = "{\"cart\": [\"cart position\", \"cart velocity\"], \"pole\": [\"pole angle\", \"pole angular velocity\"]}";
    JsonNode got = get("api/rollouts/recording/episodes/0/attributions?method=ablation&output=logit&target=all"
        + "&from=2&to=3&groups=" + java.net.URLEncoder.encode(groups, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(JSON.readTree("[\"cart\", \"pole\"]"), got.get("features"));
    // Independently, through evaluate: the logits at x and at x with each group set to zero.
    JsonNode x = JSON.readTree(MODELS.resolve("recording.json").toFile()).at("/episodes/0/observations/2");
    JsonNode atX = evaluate(x);
    JsonNode cartZeroed = evaluate(JSON.readTree("[0, 0, " + x.get(2) + ", " + x.get(3) + "]"));
    JsonNode poleZeroed = evaluate(JSON.readTree("[" + x.get(0) + ", " + x.get(1) + ", 0, 0]"));
    for (int k = 0; k < 2; k++) {
      JsonNode raw = got.at("/steps/0/targets/" + k + "/raw");
      assertEquals(atX.get("outputs").get(k).asDouble() - cartZeroed.get("outputs").get(k).asDouble(), raw.get(0).asDouble(), 1e-6);
      assertEquals(atX.get("outputs").get(k).asDouble() - poleZeroed.get("outputs").get(k).asDouble(), raw.get(1).asDouble(), 1e-6);
    }
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
        + "api/rollouts/recording/episodes/0/attributions?groups=" + java.net.URLEncoder.encode("{\"x\": [\"nope\"]}",
        java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("group 'x' names unknown feature 'nope'"), bad.body());
  }

  private static JsonNode evaluate(JsonNode observation) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/recording/evaluate"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"observation\": " + observation + "}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
