package dev.rld.samples.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.cli.RldCli;
import dev.rld.samples.cli.SamplesCli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import picocli.CommandLine;

/**
 * docs/viewers.md's complete example scene, taken from the doc as it is, served with
 * {@code rld serve REC --viewer-file my-scene.js} over a CartPole recording (its observation
 * starts with [position, velocity]) and drawn in headless Chromium: the example's canvas is the
 * scene, the walker is where the recorded position puts it, and it follows the steps.
 */
class ViewerFileTest {
  private static final Path DOC = Path.of("../docs/viewers.md");
  /** The example's walker colour and track margins (x = 20 + t * (width - 40)). */
  private static final int WALKER = 0x2f6db5;
  private static final Pattern LABEL = Pattern.compile("walker at (-?[0-9.]+), velocity (-?[0-9.]+)");

  @TempDir
  static Path tmp;
  private static Thread serve;
  private static Browser browser;
  private static ViewerPage page;
  private static JsonNode observations;
  private static double low;
  private static double high;

  @BeforeAll
  static void start() throws Exception {
    Path scene = Files.writeString(tmp.resolve("my-scene.js"), example(Files.readString(DOC)));
    Path recording = tmp.resolve("cartpole.arrow");
    int code = new CommandLine(new SamplesCli()).execute("record", "--env", "CartPole-v1", "--agent", "random",
        "--episodes", "1", "--seed", "3", "--out", recording.toString());
    assertEquals(0, code, "recording CartPole");

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CommandLine rld = new CommandLine(new RldCli());
    rld.setOut(new PrintWriter(new StringWriter(), true));
    String[] args = {"serve", recording.toString(), "--viewer-file", scene.toString(), "--port", String.valueOf(port)};
    serve = new Thread(() -> rld.execute(args), "rld serve");
    serve.start();
    browser = Browser.start(tmp);
    page = new ViewerPage(browser, "http://127.0.0.1:" + port + "/");
    JsonNode config = browser.until("rld serve answers", d -> {
      try {
        return page.api("api/config");
      } catch (IOException | RuntimeException notYet) {
        return null;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("/api/viewer-file", config.get("viewerFile").asText(), "the server offers the viewer file");
    JsonNode metadata = page.api("api/rollouts/cartpole");
    low = metadata.get("observationSpace").get("low").get(0).asDouble();
    high = metadata.get("observationSpace").get("high").get(0).asDouble();
    observations = page.api("api/rollouts/cartpole/episodes/0/steps?from=0&to=3").get("observations");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (serve != null) {
        serve.interrupt(); // rld serve stops on an interrupt, as on Ctrl+C
        serve.join(10_000);
      }
    }
  }

  /** The first ```js block after the "A complete example" heading. */
  static String example(String doc) {
    int section = doc.indexOf("## A complete example");
    assertTrue(section >= 0, "docs/viewers.md has its complete example");
    int open = doc.indexOf("```js\n", section);
    int close = doc.indexOf("\n```", open + 6);
    assertTrue(open >= 0 && close > open, "the example is a fenced js block");
    String code = doc.substring(open + 6, close + 1);
    assertTrue(code.contains("export function create("), "the example exports create");
    return code;
  }

  @Test
  void theDocsExampleIsTheSceneDrawnAndItFollowsTheSteps() {
    page.open("#/r/cartpole/e/0/s/0");
    page.waitStep(0);
    WebElement canvas = browser.until("the example's canvas says what it draws",
        d -> d.findElements(By.cssSelector(".scene canvas[aria-label]")).stream().findFirst().orElse(null));
    assertEquals(1, browser.driver().findElements(By.cssSelector(".scene canvas")).size(), "one canvas: the example's");
    assertTrue(browser.driver().findElements(ViewerPage.testid("scene-canvas")).isEmpty(),
        "no built-in scene was drawn (the viewer falls back to one when the file fails to load)");

    BufferedImage first = waitWalkerAt(canvas, 0);
    page.find(By.cssSelector("button[data-act=forward]")).click();
    page.waitStep(1);
    BufferedImage second = waitWalkerAt(canvas, 1);
    assertTrue(Frames.differs(first, second), "stepping redraws the frame");
  }

  /** The canvas once its label shows row {@code row}'s position and velocity; the walker drawn there. */
  private static BufferedImage waitWalkerAt(WebElement canvas, int row) {
    double position = observations.get(row).get(0).asDouble();
    double velocity = observations.get(row).get(1).asDouble();
    browser.until("the label shows row " + row, d -> {
      Matcher m = LABEL.matcher(canvas.getAttribute("aria-label"));
      return m.matches() && Math.abs(Double.parseDouble(m.group(1)) - position) <= 0.0005001
          && Math.abs(Double.parseDouble(m.group(2)) - velocity) <= 0.0005001;
    });
    BufferedImage img = ViewerPage.screenshot(canvas);
    double[] walker = Frames.centroid(img, WALKER, 12);
    assertTrue(walker[2] > 200, "the walker is drawn: " + (int) walker[2] + " pixels of its colour");
    double x = 20 + (position - low) / (high - low) * (img.getWidth() - 40);
    assertEquals(x, walker[0], 1.5, "the walker's x for position " + position + " on a track of " + img.getWidth() + " px");
    assertEquals(img.getHeight() / 2.0, walker[1], 1.5, "the walker is on the track");
    return img;
  }
}
