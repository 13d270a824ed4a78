package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The policy landscape in headless Chromium, on a CartPole recording served with the
 * PyTorch-trained actor-critic: with pole angle × angular velocity, P(push right) and a 16×16
 * grid chosen in the panel, every cell of the drawn heatmap has the colour of the value the API
 * answers for that cell (viridis, 0 to 1), and the panel names where the step's observation is.
 */
class ViewerLandscapeTest {
  static final int N = 16;
  /** landscape-plot.js's scale: viridis at nine stops. */
  static final int[][] VIRIDIS = {{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
      {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static ViewerPage page;
  private static String id;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "trained", 1, 5);
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_ac.onnx"), Policy.Output.LOGITS);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, policy));
    id = viewer.id();
    page = viewer.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void theHeatmapShowsTheValueTheApiAnswersForEveryCell() throws Exception {
    int step = 10;
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    page.find(testid("landscape-toggle")).click();
    new Select(page.find(testid("landscape-x"))).selectByValue("2");
    new Select(page.find(testid("landscape-y"))).selectByValue("3");
    range("x", "-0.2", "0.2");
    range("y", "-2", "2");
    new Select(page.find(testid("landscape-target"))).selectByValue("1");
    new Select(page.find(testid("landscape-resolution"))).selectByValue(String.valueOf(N));
    WebElement panel = page.browser().until("the landscape drawn as chosen", d -> {
      WebElement p = d.findElement(testid("landscape-panel"));
      String status = p.findElement(testid("landscape-status")).getText();
      return "ready".equals(p.getAttribute("data-state")) && status.contains("pole angle × pole angular velocity")
          && page.find(testid("landscape-canvas")).getAttribute("data-area") != null ? p : null;
    });
    // the expected cells, straight from the API for the same observation
    JsonNode observation = page.api("api/rollouts/" + id + "/episodes/0/steps?from=" + step + "&to=" + (step + 1))
        .get("observations").get(0);
    JsonNode answer = page.apiPost("api/rollouts/" + id + "/landscape", "{\"observation\": " + observation
        + ", \"x\": {\"feature\": 2, \"from\": -0.2, \"to\": 0.2}, \"y\": {\"feature\": 3, \"from\": -2, \"to\": 2},"
        + " \"resolution\": [" + N + ", " + N + "], \"target\": 1}");
    String status = panel.findElement(testid("landscape-status")).getText();
    assertTrue(status.contains("step " + step), status);
    assertTrue(status.contains(sig(observation.get(2).asDouble()) + ", " + sig(observation.get(3).asDouble())),
        "the status names the step's own pole angle and angular velocity: " + status);

    WebElement canvas = page.find(testid("landscape-canvas"));
    double[] area = Arrays.stream(canvas.getAttribute("data-area").split(",")).mapToDouble(Double::parseDouble).toArray();
    BufferedImage img = ViewerPage.screenshot(canvas);
    double cw = area[2] / N;
    double ch = area[3] / N;
    // the step's own observation, where the marker and the path's recent steps cover the cells
    double markerI = (observation.get(2).asDouble() + 0.2) / 0.4 * (N - 1);
    double markerJ = (observation.get(3).asDouble() + 2) / 4 * (N - 1);
    int compared = 0;
    double lowest = 1;
    double highest = 0;
    for (int j = 0; j < N; j++) {
      for (int i = 0; i < N; i++) {
        double v = answer.get("values").get(j).get(i).asDouble();
        lowest = Math.min(lowest, v);
        highest = Math.max(highest, v);
        if (Math.hypot(i - markerI, j - markerJ) < 1.5) {
          continue;
        }
        // the median colour inside the cell: boundaries, the path's dots and the marker cover little of it
        int[] median = medianColour(img, (int) Math.ceil(area[0] + i * cw + 2), (int) Math.ceil(area[1] + area[3] - (j + 1) * ch + 2),
            (int) Math.floor(cw - 4), (int) Math.floor(ch - 4));
        int[] want = viridis(v);
        for (int k = 0; k < 3; k++) {
          assertEquals(want[k], median[k], 6, "cell (" + i + ", " + j + ") of value " + v + ": channel " + k);
        }
        compared++;
      }
    }
    assertTrue(compared >= N * N - 9, "all cells but the marker's few: " + compared);
    assertTrue(lowest < 0.2 && highest > 0.8, "the policy pushes both ways over this grid: " + lowest + "–" + highest);
  }

  private static void range(String axis, String from, String to) {
    WebElement a = page.find(testid("landscape-" + axis + "-from"));
    WebElement b = page.find(testid("landscape-" + axis + "-to"));
    page.browser().script("arguments[0].value = arguments[2]; arguments[1].value = arguments[3];"
        + "arguments[1].dispatchEvent(new Event('change', {bubbles: true}));", a, b, from, to);
  }

  /** fmtSig(v, 3) of format.js for values of CartPole's size. */
  private static String sig(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  static int[] viridis(double t) {
    double c = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(c));
    double f = c - i;
    int[] out = new int[3];
    for (int k = 0; k < 3; k++) {
      out[k] = (int) Math.round(VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f);
    }
    return out;
  }

  private static int[] medianColour(BufferedImage img, int x0, int y0, int w, int h) {
    int[][] channels = new int[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x0 + x, y0 + y);
        channels[0][y * w + x] = (rgb >> 16) & 0xff;
        channels[1][y * w + x] = (rgb >> 8) & 0xff;
        channels[2][y * w + x] = rgb & 0xff;
      }
    }
    int[] out = new int[3];
    for (int k = 0; k < 3; k++) {
      Arrays.sort(channels[k]);
      out[k] = channels[k][channels[k].length / 2];
    }
    return out;
  }
}
