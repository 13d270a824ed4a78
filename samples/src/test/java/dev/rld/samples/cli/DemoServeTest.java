package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo serves what it recorded, with each recording's policy answering attributions. */
class DemoServeTest {
  @Test
  void theDemoServesItsRecordingsWithThePoliciesAttached(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new SamplesCli());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    String[] args = {"demo", "--out", dir.toString(), "--episodes", "3", "--port", String.valueOf(port)};
    Thread demo = new Thread(() -> cmd.execute(args));
    demo.start();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/api/rollouts";
    JsonNode list = null;
    for (int tries = 0; tries < 300 && list == null; tries++) {
      try {
        list = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    try {
      List<String> ids = new ArrayList<>();
      list.forEach(r -> ids.add(r.get("id").asText()));
      assertEquals(List.of("cartpole-trained", "pendulum-trained", "gridworld-trained", "catch-trained", "swingup-tiny",
          "cartpole-ppo", "cartpole-ppo-initial", "cartpole-udrl", "cartpole-qlearning", "energy-qlearning"), ids);
      for (JsonNode r : list) {
        assertEquals(3, r.get("episodes").asInt(), r.toString());
        assertTrue(r.get("hasPolicy").asBoolean(), r.toString());
      }
      HttpResponse<String> attr = http.send(HttpRequest.newBuilder(URI.create(base
          + "/cartpole-trained/episodes/0/attributions?method=ablation&target=picked&from=0&to=5")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, attr.statusCode(), attr.body());
      JsonNode steps = new ObjectMapper().readTree(attr.body()).get("steps");
      assertEquals(5, steps.size());
      assertEquals(4, steps.get(0).get("targets").get(0).get("raw").size());
      // CartPole is served with its actor-critic: the value estimate is a target, explained exactly.
      HttpResponse<String> value = http.send(HttpRequest.newBuilder(URI.create(base
          + "/cartpole-trained/episodes/0/attributions?method=shapley&target=value&from=0&to=3")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, value.statusCode(), value.body());
      JsonNode critic = new ObjectMapper().readTree(value.body());
      assertEquals("exact", critic.get("estimator").asText());
      assertEquals("value", critic.at("/steps/0/targets/0/action").asText());
      assertTrue(critic.at("/steps/0/targets/0/value").asDouble() > 50, "an upright start is worth many steps: " + value.body());
      assertEquals(0, critic.at("/steps/0/targets/0/gap").asDouble(), 1e-4);
      // CartPole's actor-critic is compared with the same network after round 0 of its training.
      HttpResponse<String> disagreement = http.send(HttpRequest.newBuilder(URI.create(base
          + "/cartpole-trained/episodes/0/disagreement")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, disagreement.statusCode(), disagreement.body());
      JsonNode compared = new ObjectMapper().readTree(disagreement.body());
      assertEquals("cartpole_ac.onnx", compared.get("a").asText());
      assertEquals("cartpole_mlp_round0.onnx", compared.get("b").asText());
      JsonNode episode = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
          + "/cartpole-trained/episodes/0")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(episode.get("length").asInt() + 1, compared.get("steps").size(), "every row of episode 0");
      assertTrue(compared.get("disagreeing").asInt() > 0, "the checkpoint acts otherwise somewhere");
      for (String id : List.of("pendulum-trained", "gridworld-trained", "swingup-tiny", "cartpole-ppo", "cartpole-udrl",
          "cartpole-qlearning", "energy-qlearning")) {
        HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(base
            + "/" + id + "/episodes/0/attributions?method=ablation&target=picked&from=0&to=1")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, a.statusCode(), id + ": " + a.body());
        assertEquals(1, new ObjectMapper().readTree(a.body()).get("steps").size(), id);
      }
      // The Catch CNN explains its choice by occlusion of the stacked frames (the viewer's defaults:
      // 8x8 windows, stride 4); every element of both frames gets an attribution.
      HttpResponse<String> pixels = http.send(HttpRequest.newBuilder(URI.create(base
          + "/catch-trained/episodes/0/attributions?method=occlusion&target=picked&from=0&to=2")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, pixels.statusCode(), pixels.body());
      JsonNode catchSteps = new ObjectMapper().readTree(pixels.body()).get("steps");
      assertEquals(2, catchSteps.size());
      JsonNode raw = catchSteps.get(0).get("targets").get(0).get("raw");
      assertEquals(2 * 84 * 84, raw.size());
      double largest = 0;
      for (JsonNode v : raw) {
        largest = Math.max(largest, Math.abs(v.asDouble()));
      }
      assertTrue(largest > 1e-3, "occluding the ball or paddle moves the probability: " + largest);
      // Hanging still (θ = π), the swing-up controller pushes with its full torque.
      HttpResponse<String> eval = http.send(HttpRequest.newBuilder(URI.create(base + "/pendulum-trained/evaluate"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"observation\": [-1.0, 0.0, 0.0]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, eval.statusCode(), eval.body());
      JsonNode action = new ObjectMapper().readTree(eval.body()).get("action");
      assertEquals(1, action.size(), eval.body());
      assertEquals(2.0, action.get(0).asDouble(), 1e-6, eval.body());
      assertTrue(out.toString().contains("Serving at http://127.0.0.1:" + port + "/"), out.toString());
    } finally {
      demo.interrupt();
      demo.join(10_000);
    }
    assertTrue(!demo.isAlive(), "Ctrl+C (an interrupt) stops the demo");
  }
}
