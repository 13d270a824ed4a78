package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Catch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The image scene in headless Chromium: a Catch-v0 recording ([2, 84, 84] stacked frames) of the
 * trained CNN, served with its ONNX policy. The latest frame is drawn as recorded (ball, paddle,
 * background where the infos put them), and the attribution heatmap is drawn over the pixels the
 * API attributes most, in the sign's colour.
 */
class ViewerCatchTest {
  private static final int PIXELS = Catch.SIZE * Catch.SIZE;
  /** pixels.js's heatmap colours: positive blue, negative red. */
  private static final int POSITIVE = 0x2f6db5;
  private static final int NEGATIVE = 0xd0453b;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;
  private static int rows;
  private static JsonNode infos;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "catch", Catch.ID, "trained", 1, 3);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, SamplePolicies.catchBall()));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
    rows = viewer.rows(0);
    infos = viewer.column(0, "infos");
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void theLatestFrameIsDrawnAsRecorded() {
    // the final row has no action, so no attribution and no heatmap over the frame
    int last = rows - 1;
    page.open("#/r/" + id + "/e/0/s/" + last);
    page.waitStep(last);
    JsonNode info = infos.get(last);
    int ballX = info.get("ball_x").asInt() + Catch.BALL / 2;
    int ballY = info.get("ball_y").asInt() + Catch.BALL / 2;
    int paddleX = info.get("paddle_x").asInt() + Catch.PADDLE_WIDTH / 2;
    int paddleY = Catch.PADDLE_Y + 1;
    BufferedImage img = browser.until("the ball is drawn where row " + last + "'s info puts it", d -> {
      BufferedImage shot = page.canvas();
      return grey(shot, ballX, ballY) > 230 ? shot : null;
    });
    assertEquals(Catch.PADDLE_LEVEL, grey(img, paddleX, paddleY), 12, "the paddle's level at its centre");
    // the background checkerboard far from both: 40 or 60
    int bg = grey(img, 10, 40);
    assertTrue(bg >= Catch.BACKGROUND_DARK - 12 && bg <= Catch.BACKGROUND_LIGHT + 12, "background level " + bg);
    assertEquals(last, page.step());

    page.find(By.cssSelector("button[data-act=back]")).click();
    page.waitStep(last - 1);
    page.waitFrameChangedFrom(img);
  }

  @Test
  void theHeatmapCoversTheMostAttributedPixelsInTheirSign() throws Exception {
    int step = 20;
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    assertEquals("occlusion", new Select(page.find(testid("method-select"))).getFirstSelectedOption().getText(),
        "images start on occlusion");
    browser.until("the attribution panel is ready",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));

    // what the panel asked for (defaults; the window does not change a step's occlusion values)
    JsonNode answer = page.api("api/rollouts/" + id + "/episodes/0/attributions?method=occlusion&target=picked"
        + "&baseline=zero&normalize=all&from=" + step + "&to=" + (step + 1));
    JsonNode target = answer.get("steps").get(0).get("targets").get(0);
    JsonNode normalized = target.get("normalized");
    JsonNode raw = target.get("raw");
    assertEquals(2 * PIXELS, normalized.size(), "one value per pixel of both frames");
    // the heatmap sums a pixel over the two frames
    double[] heat = new double[PIXELS];
    int hottest = 0;
    int coldest = 0;
    for (int p = 0; p < PIXELS; p++) {
      heat[p] = normalized.get(p).asDouble() + normalized.get(PIXELS + p).asDouble();
      hottest = Math.abs(heat[p]) > Math.abs(heat[hottest]) ? p : hottest;
      coldest = Math.abs(heat[p]) < Math.abs(heat[coldest]) ? p : coldest;
    }
    int hx = hottest % Catch.SIZE;
    int hy = hottest / Catch.SIZE;
    int tint = heat[hottest] > 0 ? POSITIVE : NEGATIVE;
    BufferedImage img = browser.until("the heatmap tints pixel (" + hx + ", " + hy + ") toward "
        + Integer.toHexString(tint), d -> {
          BufferedImage shot = page.canvas();
          return towards(pixel(shot, hx, hy), tint) > 40 ? shot : null;
        });
    int cx = coldest % Catch.SIZE;
    int cy = coldest / Catch.SIZE;
    int[] cold = pixel(img, cx, cy);
    assertTrue(Math.abs(cold[0] - cold[2]) < 12, "the least attributed pixel (" + cx + ", " + cy
        + ", |heat| " + Math.abs(heat[coldest]) + ") stays grey: " + Frames.hex(img, screenX(img, cx), screenY(img, cy)));

    // the table lists 8×8 patches (both frames' pixels summed), the strongest first, the API's sums beside them
    List<WebElement> trs = browser.until("the table lists the image's patches", d -> {
      List<WebElement> r = d.findElements(By.cssSelector("[data-testid=attribution-table] tbody tr[data-feature]"));
      return r.size() == PATCHES * PATCHES ? r : null;
    });
    double[] sums = patchSums(raw);
    int strongest = 0;
    for (int i = 0; i < sums.length; i++) {
      strongest = Math.abs(sums[i]) > Math.abs(sums[strongest]) ? i : strongest;
    }
    WebElement first = trs.get(0);
    int r0 = strongest / PATCHES * PATCH;
    int c0 = strongest % PATCHES * PATCH;
    assertEquals("rows " + r0 + "–" + Math.min(Catch.SIZE - 1, r0 + PATCH - 1) + ", cols " + c0 + "–"
        + Math.min(Catch.SIZE - 1, c0 + PATCH - 1), first.findElement(By.cssSelector("td.label")).getText());
    assertEquals(sums[strongest], Double.parseDouble(first.findElement(By.cssSelector("td.raw"))
        .getAttribute("data-raw")), 1e-9, "the patch's pixels' attributions summed");
    assertTrue(page.find(testid("attribution-status")).getText().contains("121 patches of 14112 pixels"));
  }

  /** attribution-groups.js's patches: 8×8 blocks of the 84×84 frame (11 a side, the last 4 wide), both frames summed. */
  private static final int PATCH = 8;
  private static final int PATCHES = (Catch.SIZE + PATCH - 1) / PATCH;

  private static double[] patchSums(JsonNode raw) {
    double[] sums = new double[PATCHES * PATCHES];
    for (int i = 0; i < raw.size(); i++) {
      int p = i % PIXELS;
      sums[(p / Catch.SIZE / PATCH) * PATCHES + (p % Catch.SIZE) / PATCH] += raw.get(i).asDouble();
    }
    return sums;
  }

  @Test
  void theHeatmapHasALegendAToggleAndAnOpacity() throws Exception {
    int step = 20;
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    browser.until("the attribution panel is ready",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    JsonNode answer = page.api("api/rollouts/" + id + "/episodes/0/attributions?method=occlusion&target=picked"
        + "&baseline=zero&normalize=all&from=" + step + "&to=" + (step + 1));
    JsonNode normalized = answer.get("steps").get(0).get("targets").get(0).get("normalized");
    int hottest = 0;
    for (int p = 0; p < PIXELS; p++) {
      double heat = Math.abs(normalized.get(p).asDouble() + normalized.get(PIXELS + p).asDouble());
      hottest = heat > Math.abs(normalized.get(hottest).asDouble() + normalized.get(PIXELS + hottest).asDouble()) ? p : hottest;
    }
    int hx = hottest % Catch.SIZE;
    int hy = hottest / Catch.SIZE;
    browser.until("the heatmap tints the hottest pixel", d -> Math.abs(spread(pixel(page.canvas(), hx, hy))) > 40);

    WebElement legend = browser.until("the colour scale shows", d -> {
      WebElement l = d.findElement(testid("heat-legend"));
      return l.isDisplayed() ? l : null;
    });
    String[] ends = legend.findElement(By.cssSelector(".heat-ends")).getText().split("\\s+");
    assertEquals(3, ends.length, "−end, 0, +end: " + legend.getText());
    assertEquals("0", ends[1]);
    assertTrue(ends[0].startsWith("−") && ends[2].startsWith("+") && Double.parseDouble(ends[2].substring(1)) > 0,
        "numeric ends: " + legend.getText());

    // off: the frame alone (grey); on again: tinted
    page.find(testid("heat-toggle")).click();
    browser.until("toggled off, the pixel is grey again", d -> Math.abs(spread(pixel(page.canvas(), hx, hy))) < 12);
    page.find(testid("heat-toggle")).click();
    browser.until("toggled on, tinted again", d -> Math.abs(spread(pixel(page.canvas(), hx, hy))) > 40);
    // opacity 0 hides the tint as well
    browser.script("arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        page.find(testid("heat-opacity")));
    browser.until("at opacity 0 the pixel is grey", d -> Math.abs(spread(pixel(page.canvas(), hx, hy))) < 12);
  }

  @Test
  void aRefusedRequestExplainsItselfAndItsFixSucceeds() {
    int step = 20;
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    browser.until("the attribution panel is ready",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    // 1×1 windows: 7056 occlusions of a 14112-value observation per step, over the server's bound
    for (String name : new String[] {"window-input", "stride-input"}) {
      browser.script("arguments[0].value = '1,1'; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
          page.find(testid(name)));
    }
    assertTrue(page.find(testid("attribution-cost")).getText().contains("7,057 per step"),
        "the cost is shown before sending: " + page.find(testid("attribution-cost")).getText());
    browser.until("the server refuses",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "error"));
    WebElement fix = browser.until("the fix is offered", d -> {
      WebElement b = d.findElement(testid("attribution-fix"));
      return b.isDisplayed() ? b : null;
    });
    assertTrue(fix.getText().startsWith("use larger windows"), "the fix offered: " + fix.getText());
    assertTrue(page.find(testid("attribution-status")).getText().contains("Even one step"),
        page.find(testid("attribution-status")).getText());
    fix.click();
    browser.until("the fix's request is answered",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    assertEquals("4,4", page.find(testid("window-input")).getAttribute("value"));
  }

  /** Blue minus red: positive for a blue tint, negative for red, near 0 for grey. */
  private static int spread(int[] rgb) {
    return rgb[2] - rgb[0];
  }

  /** How far a pixel leans from grey toward {@code tint}'s hue: blue minus red for blue, red minus blue for red. */
  private static int towards(int[] rgb, int tint) {
    return tint == POSITIVE ? rgb[2] - rgb[0] : rgb[0] - rgb[2];
  }

  private static int grey(BufferedImage img, int x, int y) {
    int[] c = pixel(img, x, y);
    return (c[0] + c[1] + c[2]) / 3;
  }

  /** The RGB drawn at the centre of frame pixel (x, y): the frame fills the canvas's shorter side, centred (image.js). */
  private static int[] pixel(BufferedImage img, int x, int y) {
    int argb = img.getRGB(screenX(img, x), screenY(img, y));
    return new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
  }

  private static int screenX(BufferedImage img, int x) {
    double side = Math.min(img.getWidth(), img.getHeight());
    return (int) Math.floor(img.getWidth() / 2.0 - side / 2 + (x + 0.5) * side / Catch.SIZE);
  }

  private static int screenY(BufferedImage img, int y) {
    double side = Math.min(img.getWidth(), img.getHeight());
    return (int) Math.floor(img.getHeight() / 2.0 - side / 2 + (y + 0.5) * side / Catch.SIZE);
  }
}
