package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.landscape.PolicyLandscape;
import dev.rld.landscape.PolicyLandscape.Axis;
import dev.rld.landscape.PolicyLandscape.Target;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.viewer.Browser;
import dev.rld.samples.viewer.ViewerPage;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.openqa.selenium.By;

/**
 * A 64×64 landscape of the CartPole actor-critic (models/cartpole/cartpole_ac.onnx; 4 097 rows in
 * one ONNX Runtime batch): the sweep in process, the POST …/landscape round trip over loopback
 * HTTP, and in headless Chromium the time from the panel's request to the heatmap drawn, as the
 * timeline moves from step to step.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.LandscapeBench [repetitions, default 200] [browser steps, default 30]}, from the
 * repository's root.
 */
public final class LandscapeBench {
  static final Path MODELS = Path.of("models/cartpole");
  static final String BODY = "{\"observation\": [0.02, -0.3, 0.04, 0.2], \"x\": {\"feature\": 2, \"from\": -0.2, "
      + "\"to\": 0.2}, \"y\": {\"feature\": 3, \"from\": -2, \"to\": 2}, \"resolution\": [64, 64], \"target\": 1}";

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Policy policy = OnnxPolicy.load(MODELS.resolve("cartpole_ac.onnx"), Policy.Output.LOGITS);
    Box space = Box.of(DType.FLOAT32, new double[] {-4.8, Double.NEGATIVE_INFINITY, -0.419, Double.NEGATIVE_INFINITY},
        new double[] {4.8, Double.POSITIVE_INFINITY, 0.419, Double.POSITIVE_INFINITY});
    PolicyLandscape landscape = new PolicyLandscape(policy, space, new Discrete(2));
    float[] x = {0.02f, -0.3f, 0.04f, 0.2f};
    double[] inProcess = new double[reps];
    for (int i = -reps / 4; i < reps; i++) {
      long t0 = System.nanoTime();
      landscape.sweep(x, new Axis(2, -0.2, 0.2, 64), new Axis(3, -2.0, 2.0, 64), Target.output(1), OutputKind.PROBABILITY);
      if (i >= 0) {
        inProcess[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    report("sweep in process (64×64, one ONNX batch)", inProcess);

    try (RldServer server = RldServer.builder().recording(MODELS.resolve("recording.arrow"), policy).port(0).start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest post = HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/recording/landscape"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
      double[] http64 = new double[reps];
      int bytes = 0;
      for (int i = -reps / 4; i < reps; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("landscape answered " + r.statusCode() + ": " + r.body());
        }
        bytes = r.body().length();
        if (i >= 0) {
          http64[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      report("POST …/landscape round trip (64×64, " + bytes / 1024 + " KiB of JSON)", http64);
      browser(server, steps);
    } finally {
      policy.close();
    }
  }

  /** Opens the dock on the recording and steps through `steps` rows, reading the panel's own timings. */
  private static void browser(RldServer server, int steps) throws Exception {
    Path work = Files.createTempDirectory("rld-landscape-bench");
    try (Browser browser = Browser.start(work)) {
      ViewerPage page = new ViewerPage(browser, server.url());
      page.open("#/r/recording/e/0/s/0");
      page.waitStep(0);
      page.find(By.cssSelector("[data-testid=landscape-toggle]")).click();
      double[] fetch = new double[steps];
      double[] drawn = new double[steps];
      int rows = page.api("api/rollouts/recording/episodes/0").get("length").asInt() + 1;
      for (int i = 0; i < steps; i++) {
        // through the episode and round again: every step a new landscape
        int step = 1 + i % (rows - 2);
        page.scrubTo(step);
        page.waitStep(step);
        browser.until("the landscape of step " + step, d -> {
          var panel = d.findElement(By.cssSelector("[data-testid=landscape-panel]"));
          return "ready".equals(panel.getAttribute("data-state")) && String.valueOf(step).equals(panel.getAttribute("data-step"))
              ? panel : null;
        });
        var panel = page.find(By.cssSelector("[data-testid=landscape-panel]"));
        fetch[i] = Double.parseDouble(panel.getAttribute("data-fetch-ms"));
        drawn[i] = Double.parseDouble(panel.getAttribute("data-draw-ms"));
      }
      report("browser: request sent → answer decoded (64×64)", fetch);
      report("browser: request sent → heatmap drawn (64×64)", drawn);
    }
  }

  static void report(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%-60s median %7.2f ms   p95 %7.2f ms   min %7.2f ms   (n=%d)%n", what,
        s[s.length / 2], s[(int) Math.min(s.length - 1, Math.round(s.length * 0.95))], s[0], s.length);
  }
}
