package dev.rld.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rld serve REC --policy a.onnx --compare-policy b.onnx}, run in-process on a free port:
 * both models are attached (the startup message names them, the metadata and the disagreement
 * route answer with both), and the options' misuse is refused as the other options' is.
 */
class ServeCompareCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Two linear policies that agree except where the pole angle dominates B's logits. */
  static final float[][] WA = {{0f, 0f}, {0f, 0f}, {-1f, 1f}, {0f, 0f}};
  static final float[][] WB = {{0f, 0f}, {0f, 0f}, {1f, -1f}, {0f, 0f}};
  static final float[] BIAS = {0f, 0f};

  @TempDir Path dir;

  @Test
  void serveAttachesBothPoliciesAndAnswersTheirDisagreement() throws Exception {
    Path rec = Files.copy(CliTest.CARTPOLE, dir.resolve("cartpole.arrow"));
    Path runA = Files.createDirectories(dir.resolve("run-a"));
    Path runB = Files.createDirectories(dir.resolve("run-b"));
    // Both checkpoints are policy.onnx: the answer must still tell them apart.
    LinearOnnx.write(runA.resolve("policy.onnx"), WA, BIAS);
    LinearOnnx.write(runB.resolve("policy.onnx"), WB, BIAS);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread serve = new Thread(() -> {
      CommandLine cmd = new CommandLine(new RldCli());
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(err, true));
      code.set(cmd.execute("serve", rec.toString(), "--policy", runA.resolve("policy.onnx").toString(),
          "--compare-policy", runB.resolve("policy.onnx").toString(), "--compare-policy-output", "logits",
          "--port", "0"));
    });
    serve.start();
    try {
      String url = awaitUrl(out, err);
      String printed = out.toString();
      assertTrue(printed.contains("cartpole: comparing policy A (policy.onnx) with policy B ("
          + runB.resolve("policy.onnx") + ")"), printed);

      JsonNode metadata = get(url + "api/rollouts/cartpole");
      assertEquals("policy.onnx", metadata.get("policy").get("name").asText());
      assertEquals(runB.resolve("policy.onnx").toString(), metadata.get("comparePolicy").get("name").asText());

      JsonNode answer = get(url + "api/rollouts/cartpole/episodes/1/disagreement");
      assertEquals("policy.onnx", answer.get("a").asText());
      try (Rollout r = Rollout.open(rec); Steps s = r.read(1, 0, r.episodes().get(1).observations())) {
        assertEquals(s.size(), answer.get("steps").size());
        int differing = 0;
        for (int i = 0; i < s.size(); i++) {
          // A's logits are (-θ, θ), B's (θ, -θ): they act apart wherever the angle is not 0.
          double angle = ((float[]) s.observation(i))[2];
          JsonNode step = answer.get("steps").get(i);
          assertEquals(angle > 0 ? 1 : 0, step.get("greedyA").asInt(), "step " + i);
          assertEquals(angle < 0 ? 1 : 0, step.get("greedyB").asInt(), "step " + i);
          double p = 1 / (1 + Math.exp(-2 * angle));
          assertEquals(Math.abs(2 * p - 1), step.get("distance").asDouble(), 1e-6, "step " + i);
          differing += angle != 0 ? 1 : 0;
        }
        assertEquals(differing, answer.get("disagreeing").asInt());
      }
    } finally {
      serve.interrupt();
      serve.join(10_000);
    }
    assertEquals(0, code.get(), err.toString());
  }

  @Test
  void aComparePolicyNeedsAPolicyToCompareWith() throws Exception {
    Path rec = Files.copy(CliTest.CARTPOLE, dir.resolve("cartpole.arrow"));
    Path model = dir.resolve("b.onnx");
    LinearOnnx.write(model, WB, BIAS);
    CliTest.assertOneLineFailure(CliTest.run("serve", rec.toString(), "--compare-policy", model.toString(),
        "--port", "0"), 2, "--compare-policy needs a policy to compare with");
    CliTest.assertOneLineFailure(CliTest.run("serve", rec.toString(), "--policy", model.toString(),
        "--compare-policy", model.toString(), "--compare-policy-output", "actions", "--port", "0"), 2,
        "--compare-policy-output");
  }

  @Test
  void aComparePolicyThatDoesNotFitIsNamed() throws Exception {
    Path rec = Files.copy(CliTest.CARTPOLE, dir.resolve("cartpole.arrow"));
    Path a = dir.resolve("a.onnx");
    Path three = dir.resolve("three.onnx");
    LinearOnnx.write(a, WA, BIAS);
    LinearOnnx.write(three, new float[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, new float[3]);
    CliTest.assertOneLineFailure(CliTest.run("serve", rec.toString(), "--policy", a.toString(),
        "--compare-policy", three.toString(), "--port", "0"), 1, "the compare policy does not fit",
        "gives 3 outputs");
  }

  /** The URL serve prints once it listens (after its notes, the last line it prints). */
  private static String awaitUrl(StringWriter out, StringWriter err) throws InterruptedException {
    Pattern url = Pattern.compile("at (http://\\S+/) ");
    for (int i = 0; i < 300; i++) {
      Matcher m = url.matcher(out.toString());
      if (out.toString().contains("Press Ctrl+C") && m.find()) {
        return m.group(1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("serve did not start: " + out + err);
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
