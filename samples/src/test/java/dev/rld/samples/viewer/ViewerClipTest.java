package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Catch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Clips exported from the viewer in headless Chromium, decoded by Debian's ffmpeg (ffprobe,
 * ffmpeg): a WebM of a CartPole range has one VP9 frame per step at the plan's size, the scene
 * above the caption band, the cart moving between frames; a GIF keeps every k-th step; a Catch GIF
 * carries the attribution heat the scene draws; a bad range is refused before any frame is made.
 */
class ViewerClipTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** clip-frame.js's caption band colour. */
  private static final int[] CAPTION = {0x1f, 0x24, 0x30};

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static ViewerPage page;
  private static String cartpole;
  private static String catchBall;

  @BeforeAll
  static void start() throws Exception {
    Path cp = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "trained", 1, 5);
    Path ct = ServedViewer.record(tmp, "catch", Catch.ID, "trained", 1, 3);
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_ac.onnx"), Policy.Output.LOGITS);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(cp, policy).recording(ct, SamplePolicies.catchBall()));
    cartpole = viewer.server().ids().get(0);
    catchBall = viewer.server().ids().get(1);
    page = viewer.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void aWebmOfARangeHasOneVp9FramePerStepWithTheSceneAboveTheCaption() throws Exception {
    page.open("#/r/" + cartpole + "/e/0/s/3");
    page.waitStep(3);
    Path webm = export("webm", 10, 39, 1);
    WebElement link = page.find(testid("clip-download"));
    assertEquals("30", link.getAttribute("data-frames"));
    assertEquals(cartpole + "-episode0-steps10-39.webm", link.getAttribute("download"));
    JsonNode stream = probe(webm);
    assertEquals("vp9", stream.get("codec_name").asText());
    assertEquals(30, stream.get("nb_read_frames").asInt());
    assertEquals(50, frameRate(stream), 1e-9, "CartPole's render_fps");
    int width = stream.get("width").asInt();
    int height = stream.get("height").asInt();
    assertEquals(0, width % 2);
    assertEquals(0, height % 2);
    List<BufferedImage> frames = frames(webm);
    assertEquals(30, frames.size());
    BufferedImage first = frames.get(0);
    assertTrue(near(first.getRGB(width / 2, height - 3), CAPTION, 24), "the caption band is at the bottom");
    assertFalse(near(first.getRGB(width / 2, height / 3), CAPTION, 24), "the scene is above it");
    assertTrue(difference(first, frames.get(29), height * 85 / 100) > 0.001, "the cart and pole move between step 10 and 39");
    // the page is back at the step the user was on
    page.waitStep(3);
  }

  @Test
  void aGifKeepsEveryKthStepAtMost640PixelsWide() throws Exception {
    page.open("#/r/" + cartpole + "/e/0/s/0");
    page.waitStep(0);
    Path gif = export("gif", 0, 11, 2);
    JsonNode stream = probe(gif);
    assertEquals("gif", stream.get("codec_name").asText());
    assertEquals(6, stream.get("nb_read_frames").asInt());
    assertTrue(stream.get("width").asInt() <= 640, "GIF frames are at most 640 px wide: " + stream.get("width"));
    assertEquals(cartpole + "-episode0-steps0-10.gif", page.find(testid("clip-download")).getAttribute("download"));
  }

  @Test
  void aCatchGifCarriesTheAttributionHeatTheSceneDraws() throws Exception {
    page.open("#/r/" + catchBall + "/e/0/s/0");
    page.waitStep(0);
    Path gif = export("gif", 2, 5, 1);
    String message = page.find(testid("clip-message")).getText();
    assertFalse(message.contains("missing"), message);
    List<BufferedImage> frames = frames(gif);
    assertEquals(4, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertTrue(heatPixels(frames.get(i)) > 20, "frame " + i + " shows the heatmap's blue or red patches");
    }
  }

  @Test
  void aBadRangeIsRefusedBeforeAnyFrameIsMade() {
    page.open("#/r/" + cartpole + "/e/0/s/0");
    page.waitStep(0);
    openForm();
    page.find(testid("clip-from")).clear();
    page.find(testid("clip-from")).sendKeys("40");
    page.find(testid("clip-to")).clear();
    page.find(testid("clip-to")).sendKeys("20");
    page.browser().until("the range refused", d -> page.find(testid("clip-summary")).getText()
        .contains("the range is empty: from (40) is after to (20)"));
    assertFalse(page.find(testid("clip-export")).isEnabled());
    page.find(testid("clip-to")).clear();
    page.find(testid("clip-to")).sendKeys("9999");
    page.browser().until("the step past the end refused", d -> page.find(testid("clip-summary")).getText()
        .matches("to must be a step from 0 to \\d+, got 9999"));
    assertFalse(page.find(testid("clip-export")).isEnabled());
  }

  private static void openForm() {
    WebElement form = page.find(testid("clip-dialog"));
    if (!form.isDisplayed()) {
      page.find(testid("clip-button")).click();
    }
    page.browser().until("the clip form open", d -> form.isDisplayed());
  }

  /** Exports steps from…to keeping every k-th as `format` through the form; the clip's bytes in a file. */
  private static Path export(String format, int from, int to, int every) throws IOException {
    openForm();
    new Select(page.find(testid("clip-format"))).selectByValue(format);
    for (String[] f : new String[][] {{"clip-from", "" + from}, {"clip-to", "" + to}, {"clip-every", "" + every}}) {
      page.find(testid(f[0])).clear();
      page.find(testid(f[0])).sendKeys(f[1]);
    }
    page.find(testid("clip-export")).click();
    String state = page.browser().until("the clip encoded", d -> {
      String s = page.find(testid("clip-dialog")).getAttribute("data-state");
      return "done".equals(s) || "error".equals(s) ? s : null;
    });
    assertEquals("done", state, page.find(testid("clip-message")).getText());
    String base64 = (String) page.browser().driver().executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch(document.querySelector('[data-testid=clip-download]').href).then((r) => r.arrayBuffer()).then((b) => {
          const bytes = new Uint8Array(b);
          let s = '';
          for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          done(btoa(s));
        });""");
    Path file = Files.createTempFile(tmp, "clip", "." + format);
    Files.write(file, Base64.getDecoder().decode(base64));
    assertEquals(Files.size(file), Long.parseLong(page.find(testid("clip-download")).getAttribute("data-bytes")));
    return file;
  }

  /** ffprobe's answer for the first video stream, with its frames counted by decoding them. */
  private static JsonNode probe(Path file) throws IOException, InterruptedException {
    String out = run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=codec_name,width,height,nb_read_frames,r_frame_rate", "-of", "json", file.toString());
    return JSON.readTree(out).get("streams").get(0);
  }

  private static double frameRate(JsonNode stream) {
    String[] r = stream.get("r_frame_rate").asText().split("/");
    return Double.parseDouble(r[0]) / Double.parseDouble(r[1]);
  }

  /** Every frame of a clip, decoded by ffmpeg to PNG files. */
  private static List<BufferedImage> frames(Path clip) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(tmp, "frames");
    run("ffmpeg", "-v", "error", "-i", clip.toString(), "-vsync", "0", dir.resolve("f%04d.png").toString());
    List<BufferedImage> frames = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        frames.add(ImageIO.read(p.toFile()));
      }
    }
    return frames;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(command[0] + " decodes the exported clips; install Debian's ffmpeg: apt-get install ffmpeg", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " finished");
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    return out;
  }

  private static boolean near(int rgb, int[] colour, int tolerance) {
    return Math.abs(((rgb >> 16) & 255) - colour[0]) <= tolerance && Math.abs(((rgb >> 8) & 255) - colour[1]) <= tolerance
        && Math.abs((rgb & 255) - colour[2]) <= tolerance;
  }

  /** The share of pixels above row `rows` whose colour differs by more than 40 in a channel. */
  private static double difference(BufferedImage a, BufferedImage b, int rows) {
    long differ = 0;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        int d = Math.max(Math.abs(((p >> 16) & 255) - ((q >> 16) & 255)),
            Math.max(Math.abs(((p >> 8) & 255) - ((q >> 8) & 255)), Math.abs((p & 255) - (q & 255))));
        if (d > 40) {
          differ++;
        }
      }
    }
    return differ / (double) (rows * a.getWidth());
  }

  /** Saturated blue or red pixels (the diverging heat scale's ends) in a frame; Catch's own pixels are grey. */
  private static int heatPixels(BufferedImage frame) {
    int n = 0;
    for (int y = 0; y < frame.getHeight() * 85 / 100; y++) {
      for (int x = frame.getWidth() / 5; x < frame.getWidth(); x++) {
        int rgb = frame.getRGB(x, y);
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        if (b - r > 60 || r - b > 60 && r - g > 60) {
          n++;
        }
      }
    }
    return n;
  }
}
