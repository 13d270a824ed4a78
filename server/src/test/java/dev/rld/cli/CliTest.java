package dev.rld.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.api.ServedRollout;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Sidecar;
import dev.rld.attribution.StepAttribution;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The rld command line, run in-process with its output captured. */
class CliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CARTPOLE = Path.of("../models/cartpole/recording.arrow");
  /** Weights of the linear CartPole policies below: W[i][k] for input i, action k. */
  static final float[][] W = {{0.5f, -0.5f}, {1.0f, -1.0f}, {-2.0f, 3.0f}, {0.25f, 1.5f}};
  static final float[] B = {0.1f, -0.1f};

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new RldCli());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A failure reported as one line on stderr that contains every one of {@code words}. */
  static void assertOneLineFailure(Run r, int exitCode, String... words) {
    assertEquals(exitCode, r.exitCode(), r.err());
    String err = r.err().strip();
    assertFalse(err.contains("\tat ") || err.contains("Exception"), "stack trace on stderr:\n" + r.err());
    if (exitCode == 1) {
      assertEquals(1, err.lines().count(), "one line:\n" + r.err());
    }
    for (String w : words) {
      assertTrue(err.contains(w), "'" + err + "' should contain '" + w + "'");
    }
  }

  Path copyOfCartPole() throws IOException {
    Path copy = dir.resolve("cartpole.arrow");
    Files.copy(CARTPOLE, copy);
    return copy;
  }

  // ---------------------------------------------------------------- inspect

  @Test
  void inspectPrintsTheEpisodesAsJson() throws IOException {
    Run r = run("inspect", CARTPOLE.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals("CartPole-v1", j.get("envId").asText());
    assertEquals(CARTPOLE.toAbsolutePath().normalize().toString(), j.get("path").asText());
    try (Rollout rollout = Rollout.open(CARTPOLE)) {
      assertEquals(rollout.totalSteps(), j.get("totalSteps").asLong());
      assertEquals(3, j.get("episodes").size());
      for (EpisodeSummary e : rollout.episodes()) {
        JsonNode je = j.get("episodes").get(e.index());
        assertEquals(e.index(), je.get("index").asInt());
        assertEquals(e.length(), je.get("length").asInt());
        assertEquals(e.totalReturn(), je.get("return").asDouble(), 0.0);
        assertEquals(e.seed(), je.get("seed").isNull() ? null : je.get("seed").asLong());
        assertEquals(e.terminated(), je.get("terminated").asBoolean());
        assertEquals(e.truncated(), je.get("truncated").asBoolean());
        assertEquals(e.complete(), je.get("complete").asBoolean());
      }
    }
    // The committed JSON export of the same recording agrees on the episode lengths.
    JsonNode export = JSON.readTree(CARTPOLE.resolveSibling("recording.json").toFile());
    for (int e = 0; e < 3; e++) {
      assertEquals(export.get("episodes").get(e).get("actions").size(), j.get("episodes").get(e).get("length").asInt());
    }
  }

  @Test
  void inspectOfAMissingFileFailsWithOneLine() {
    Path missing = dir.resolve("missing.arrow");
    assertOneLineFailure(run("inspect", missing.toString()), 1, "inspect: ", missing.toString(), "no such file");
  }

  @Test
  void noSubcommandIsAUsageError() {
    assertOneLineFailure(run(), 2, "Missing subcommand");
  }

  // ---------------------------------------------------------------- attribute

  @Test
  void attributeNeedsAPolicy() throws IOException {
    Run r = run("attribute", copyOfCartPole().toString());
    assertOneLineFailure(r, 2, "attribute needs --policy MODEL.onnx");
    assertTrue(r.err().contains("Usage:"), "usage errors show the usage: " + r.err());
  }

  @Test
  void attributeWithAMissingModelFailsWithOneLine() throws IOException {
    Path model = dir.resolve("nowhere/policy.onnx");
    assertOneLineFailure(run("attribute", copyOfCartPole().toString(), "--policy", model.toString()), 1,
        "attribute: ", model.toString(), "no such model file");
    assertFalse(Files.exists(Sidecar.pathFor(dir.resolve("cartpole.arrow"))));
  }

  @Test
  void attributeWithAFileThatIsNotAModelFailsWithOneLine() throws IOException {
    Path model = dir.resolve("policy.onnx");
    Files.writeString(model, "not a model");
    assertOneLineFailure(run("attribute", copyOfCartPole().toString(), "--policy", model.toString()), 1,
        model.toString(), "not a usable ONNX model");
  }

  @Test
  void attributeOfAMissingRecordingFailsWithOneLine() throws IOException {
    Path model = dir.resolve("policy.onnx");
    LinearOnnx.write(model, W, B);
    Path missing = dir.resolve("missing.arrow");
    assertOneLineFailure(run("attribute", missing.toString(), "--policy", model.toString()), 1,
        missing.toString(), "no such file");
  }

  @Test
  void attributeRefusesBadOptionsAsUsageErrors() throws IOException {
    Path model = dir.resolve("policy.onnx");
    LinearOnnx.write(model, W, B);
    String rec = copyOfCartPole().toString();
    String m = model.toString();
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--method", "lime"), 2, "unknown method 'lime'");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--baseline", "1,2"), 2, "4 comma-separated numbers");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--groups", "pairs"), 2, "unknown groups 'pairs'");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--episodes", "7"), 2, "episode 7 does not exist");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--method", "shapley", "--permutations", "0"), 2,
        "permutations must be at least 1");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--method", "shapley", "--permutations", "5000"), 2,
        "permutations must be at most 1000");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--window", "8"), 2, "two integers");
    assertOneLineFailure(run("attribute", rec, "--policy", m, "--policy-output", "softmax"), 2, "--policy-output",
        "'softmax'", "logits, probabilities");
    Run occlusion = run("attribute", rec, "--policy", m, "--method", "occlusion");
    assertOneLineFailure(occlusion, 2, "occlusion needs an image observation");
    assertFalse(occlusion.err().contains("Attributing"), "refused before any work: " + occlusion.err());
    assertFalse(Files.exists(Sidecar.pathFor(Path.of(rec))), "no sidecar from a failed run");
  }

  @Test
  void attributeOfAPolicyThatDoesNotFitFailsWithOneLine() throws IOException {
    Path model = dir.resolve("policy.onnx");
    LinearOnnx.write(model, new float[][] {{1, 2}, {3, 4}}, B); // 2 inputs; CartPole has 4
    assertOneLineFailure(run("attribute", copyOfCartPole().toString(), "--policy", model.toString()), 1,
        "the policy takes 2 inputs", "flatten to 4");
  }

  /**
   * rld attribute with an ONNX model: the sidecar holds every step's ablation, w_i,k x_i for
   * logits with a zero baseline; a second run with another method adds to it; rld serve's
   * server with the same model reports using it and answers the same values.
   */
  @Test
  void attributeWritesASidecarThatTheServerUses() throws Exception {
    Path model = dir.resolve("policy.onnx");
    LinearOnnx.write(model, W, B);
    Path rec = copyOfCartPole();
    Run r = run("attribute", rec.toString(), "--policy", model.toString(), "--output", "logit");
    assertEquals(0, r.exitCode(), r.err());
    Path sidecar = dir.resolve("cartpole.attributions.arrow");
    assertEquals(sidecar, Sidecar.pathFor(rec));
    assertTrue(r.out().startsWith("Wrote " + sidecar + ": ablation;baseline=zero;output=logit"), r.out());
    assertFalse(r.err().contains("Exception"), r.err());

    Sidecar.Contents contents = Sidecar.read(sidecar);
    assertTrue(contents.policyFingerprint().startsWith("onnx:sha256:"), contents.policyFingerprint());
    int rows = 0;
    try (Rollout rollout = Rollout.open(rec)) {
      Map<String, StepAttribution> byStep = new HashMap<>();
      contents.entries().forEach(e -> byStep.put(e.episode() + "/" + e.attribution().step(), e.attribution()));
      for (EpisodeSummary e : rollout.episodes()) {
        rows += e.observations();
        try (Steps s = rollout.read(e.index(), 0, e.observations())) {
          for (int t = 0; t < s.size(); t++) {
            float[] x = (float[]) s.observation(t);
            StepAttribution a = byStep.get(e.index() + "/" + t);
            for (int k = 0; k < 2; k++) {
              for (int i = 0; i < 4; i++) {
                assertEquals(W[i][k] * x[i], a.raw()[k][i], 1e-5, "episode " + e.index() + " step " + t);
              }
            }
          }
        }
      }
    }
    assertEquals(rows, contents.entries().size());
    assertTrue(r.out().contains(rows + " steps of 3 episodes"), r.out());

    // A second computation is added; the first is kept.
    r = run("attribute", rec.toString(), "--policy", model.toString(), "--method", "shapley", "--permutations", "4",
        "--episodes", "1");
    assertEquals(0, r.exitCode(), r.err());
    Sidecar.Contents both = Sidecar.read(sidecar);
    try (Rollout rollout = Rollout.open(rec)) {
      assertEquals(rows + rollout.episodes().get(1).observations(), both.entries().size());
    }

    try (OnnxPolicy policy = OnnxPolicy.load(model, Policy.Output.LOGITS);
        RldServer server = RldServer.builder().recording(rec, policy).port(0).start()) {
      assertEquals(List.of("using " + both.entries().size() + " precomputed attribution steps from " + sidecar),
          server.notes());
      JsonNode answer = get(server, "/api/rollouts/cartpole/episodes/1/attributions?output=logit&target=all");
      for (JsonNode step : answer.get("steps")) {
        StepAttribution a = find(contents, 1, step.get("step").asInt());
        for (int k = 0; k < 2; k++) {
          assertArrayEquals(a.raw()[k], doubles(step.get("targets").get(k).get("raw")));
        }
      }
    }
  }

  // ---------------------------------------------------------------- serve

  @Test
  void serveOfAMissingPathFailsNamingIt() {
    Path missing = dir.resolve("no-such-recording.arrow");
    assertOneLineFailure(run("serve", missing.toString(), "--port", "0"), 1, "serve: ", missing.toString(),
        "no such file");
  }

  @Test
  void serveWithAMissingModelFailsNamingIt() throws IOException {
    Path model = dir.resolve("missing.onnx");
    assertOneLineFailure(run("serve", copyOfCartPole() + "=" + model, "--port", "0"), 1, model.toString(),
        "no such model file");
    assertOneLineFailure(run("serve", dir.resolve("cartpole.arrow").toString(), "--policy", model.toString(),
        "--port", "0"), 1, model.toString(), "no such model file");
  }

  @Test
  void serveWithAMissingViewerFileFailsNamingIt() throws IOException {
    Path scene = dir.resolve("my-scene.js");
    assertOneLineFailure(run("serve", copyOfCartPole().toString(), "--viewer-file", scene.toString(), "--port", "0"),
        1, scene.toString(), "no such viewer file");
  }

  @Test
  void serveOnAPortInUseFailsWithOneLine() throws IOException {
    // The recording's directory holds '=': it is still a path, not PATH=MODEL.
    Path run = Files.createDirectories(dir.resolve("lr=0.1"));
    Path rec = Files.copy(CARTPOLE, run.resolve("recording.arrow"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertOneLineFailure(run("serve", rec.toString(), "--port", Integer.toString(port)), 1,
          "cannot listen on 127.0.0.1:" + port);
    }
  }

  @Test
  void serveWithABadPortOrHostFailsWithOneLine() throws IOException {
    Path rec = copyOfCartPole();
    assertOneLineFailure(run("serve", rec.toString(), "--port", "99999"), 1, "port 99999 is not a TCP port",
        "0..65535");
    assertOneLineFailure(run("serve", rec.toString(), "--port", "-1"), 1, "port -1 is not a TCP port");
    assertOneLineFailure(run("serve", rec.toString(), "--host", "999.1.1.1", "--port", "0"), 1,
        "cannot listen on 999.1.1.1", "no such address");
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: nothing is sent there, bind fails at once.
    assertOneLineFailure(run("serve", rec.toString(), "--host", "192.0.2.1", "--port", "0"), 1,
        "cannot listen on 192.0.2.1", "not one of this machine's");
    assertOneLineFailure(run("serve", rec.toString(), "--port", "abc"), 2, "'--port'", "'abc'");
  }

  // ---------------------------------------------------------------- sidecars through the Java API

  /** A linear CartPole policy of its own class, so its fingerprint is "java:...CliTest$Linear". */
  static final class Linear implements Policy {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public int inputSize() {
      return 4;
    }

    @Override
    public int outputSize() {
      return 2;
    }

    @Override
    public Output output() {
      return Output.LOGITS;
    }

    @Override
    public float[] evaluate(float[] obs, int batch) {
      calls.incrementAndGet();
      float[] out = new float[2 * batch];
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < 2; k++) {
          float z = B[k];
          for (int i = 0; i < 4; i++) {
            z += W[i][k] * obs[4 * b + i];
          }
          out[2 * b + k] = z;
        }
      }
      return out;
    }
  }

  @Test
  void precomputedAttributionsAreServedToTheSamePolicyClassOnly() throws Exception {
    Path rec = copyOfCartPole();
    Path sidecar = Sidecar.pathFor(rec);
    Linear maker = new Linear();
    List<Sidecar.Entry> entries;
    AtomicInteger progress = new AtomicInteger();
    String data;
    try (ServedRollout served = ServedRollout.open("cartpole", rec, maker)) {
      data = served.rollout().fingerprint();
      AttributionRequest request = new AttributionRequest(AttributionRequest.Method.ABLATION,
          served.attributions().baseline("mean"), AttributionRequest.OutputKind.PROBABILITY, 25, 0, new int[] {8, 8},
          new int[] {4, 4});
      entries = served.attributions().precompute(List.of(0, 2), request, "features", progress::set);
      int rows = served.rollout().episodes().get(0).observations() + served.rollout().episodes().get(2).observations();
      assertEquals(rows, entries.size());
      assertEquals(rows, progress.get(), "progress reaches every step");
    }
    Sidecar.write(sidecar, maker.fingerprint(), data, entries);
    Sidecar.Contents read = Sidecar.read(sidecar);
    assertEquals("java:" + Linear.class.getName(), read.policyFingerprint());
    assertEquals(entries.size(), read.entries().size());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(entries.get(i).episode(), read.entries().get(i).episode());
      assertEquals(entries.get(i).computation(), read.entries().get(i).computation());
      StepAttribution a = entries.get(i).attribution();
      StepAttribution b = read.entries().get(i).attribution();
      assertEquals(a.step(), b.step());
      assertArrayEquals(a.probabilities(), b.probabilities());
      assertArrayEquals(a.values(), b.values());
      assertArrayEquals(a.raw(), b.raw());
    }

    // Another instance of the same class: the server takes the sidecar and calls it for nothing.
    Linear same = new Linear();
    List<String> sameAnswers = new ArrayList<>();
    try (RldServer server = RldServer.builder().recording(rec, same).port(0).start()) {
      assertEquals(List.of("using " + entries.size() + " precomputed attribution steps from " + sidecar),
          server.notes());
      for (int e : List.of(0, 2)) {
        JsonNode answer = get(server, "/api/rollouts/cartpole/episodes/" + e
            + "/attributions?method=ablation&baseline=mean&output=probability&target=all");
        sameAnswers.add(answer.toString());
        assertFalse(answer.get("steps").isEmpty());
        for (JsonNode step : answer.get("steps")) {
          StepAttribution a = find(read, e, step.get("step").asInt());
          for (int k = 0; k < 2; k++) {
            JsonNode t = step.get("targets").get(k);
            assertEquals(a.probabilities()[k], t.get("probability").asDouble(), 0.0);
            assertArrayEquals(a.raw()[k], doubles(t.get("raw")));
          }
        }
      }
      assertEquals(0, same.calls.get(), "every step came from the sidecar");
      // Episode 1 was not precomputed: it is computed on demand.
      get(server, "/api/rollouts/cartpole/episodes/1/attributions?method=ablation&baseline=mean&target=all");
      assertTrue(same.calls.get() > 0);
    }

    // A policy of another class: the sidecar is ignored, and the answers are computed afresh.
    Linear inner = new Linear();
    Policy other = Policy.of(4, 2, Policy.Output.LOGITS, inner::evaluate);
    try (RldServer server = RldServer.builder().recording(rec, other).port(0).start()) {
      assertEquals(List.of("ignored " + sidecar + ": it was computed with another policy"), server.notes());
      JsonNode answer = get(server, "/api/rollouts/cartpole/episodes/0/attributions?method=ablation&baseline=mean"
          + "&output=probability&target=all");
      assertTrue(inner.calls.get() > 0, "computed, not read");
      // The same policy function gives the same numbers, up to the batch it was computed in.
      JsonNode precomputed = JSON.readTree(sameAnswers.get(0));
      for (int s = 0; s < answer.get("steps").size(); s++) {
        for (int k = 0; k < 2; k++) {
          assertArrayEquals(doubles(precomputed.get("steps").get(s).get("targets").get(k).get("raw")),
              doubles(answer.get("steps").get(s).get("targets").get(k).get("raw")), 1e-9);
        }
      }
    }

    // Without a policy there is nothing to use a sidecar for, and nothing is said about it.
    try (RldServer server = RldServer.builder().recording(rec).port(0).start()) {
      assertEquals(List.of(), server.notes());
    }
  }

  static StepAttribution find(Sidecar.Contents contents, int episode, int step) {
    return contents.entries().stream()
        .filter(e -> e.episode() == episode && e.attribution().step() == step)
        .findFirst().orElseThrow(() -> new AssertionError("no entry for episode " + episode + " step " + step))
        .attribution();
  }

  static JsonNode get(RldServer server, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }
}
