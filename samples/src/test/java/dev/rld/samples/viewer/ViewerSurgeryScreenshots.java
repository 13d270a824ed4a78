package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.samples.envs.Catch;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Not a test: screenshots of observation surgery on a running demo ({@code rld-samples demo
 * --port 18097}), edited as a user does (dragging the cart and the pole, a brush stroke and a copied
 * ball, Peter dragged and an apple put down, the pendulum swung), at 1400×900 and 1920×1080, to
 * look at. {@code -Dtest=ViewerSurgeryScreenshots -Drld.demo=http://127.0.0.1:18097/
 * -Drld.shots=/tmp/surgery-shots} (its name keeps it out of the ordinary test run).
 */
class ViewerSurgeryScreenshots {
  private static final int POLE = 0xc98a2b;
  private static final int CART = 0x2f6db5;
  private static final int BOB = 0xa06a1f;

  @TempDir
  Path tmp;

  @Test
  void screenshots() throws Exception {
    String base = System.getProperty("rld.demo", "http://127.0.0.1:18097/");
    Path out = Path.of(System.getProperty("rld.shots", "target/screens/surgery"));
    Files.createDirectories(out);
    try (Browser browser = Browser.start(tmp)) {
      ViewerPage page = new ViewerPage(browser, base);
      for (int[] size : new int[][] {{1400, 900}, {1920, 1080}}) {
        viewport(page, size[0], size[1]);
        String suffix = "-" + size[0] + "x" + size[1] + ".png";
        cartpole(page);
        shoot(page, out.resolve("cartpole" + suffix));
        catchBall(page);
        shoot(page, out.resolve("catch" + suffix));
        gridworld(page);
        shoot(page, out.resolve("gridworld" + suffix));
        pendulum(page);
        shoot(page, out.resolve("pendulum" + suffix));
      }
    }
  }

  /** Sizes the window so that the page itself (the viewport) is width × height. */
  private static void viewport(ViewerPage page, int width, int height) {
    page.open("#/");
    page.browser().driver().manage().window().setSize(new Dimension(width, height));
    long w = (Long) page.browser().script("return window.innerWidth;");
    long h = (Long) page.browser().script("return window.innerHeight;");
    page.browser().driver().manage().window().setSize(new Dimension(2 * width - (int) w, 2 * height - (int) h));
  }

  /** Drags the cart 60 px right and the pole's tip 50 px left. */
  private static void cartpole(ViewerPage page) {
    edit(page, "cartpole-trained", 40);
    BufferedImage img = page.waitDrawn();
    double[] cart = Frames.centroid(img, CART, 50);
    drag(page, (int) cart[0], (int) cart[1], 60, 0);
    img = page.waitFrameChangedFrom(img);
    int[] tip = topmost(img, POLE, 60);
    drag(page, tip[0], tip[1] + 4, -50, 0);
    page.waitFrameChangedFrom(img);
  }

  /** Copies the ball 24 pixels to the right, then paints the original over with the light background. */
  private static void catchBall(ViewerPage page) throws Exception {
    int step = 10;
    edit(page, "catch-trained", step);
    JsonNode info = page.api("api/rollouts/catch-trained/episodes/0/steps?from=" + step + "&to=" + (step + 1)).get("infos").get(0);
    int col = info.get("ball_x").asInt() + Catch.BALL / 2;
    int row = info.get("ball_y").asInt() + Catch.BALL / 2;
    page.browser().until("the brush tools show", d -> d.findElement(testid("brush-tools")).isDisplayed());
    new Select(page.find(testid("brush-size"))).selectByValue("12");
    page.find(testid("brush-copy")).click();
    double scale = pixelScale(page);
    drag(page, pixelX(page, col), pixelY(page, row), (int) (24 * scale), 0);
    page.find(testid("brush-paint")).click();
    page.find(testid("brush-grey")).sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(Catch.BACKGROUND_LIGHT));
    drag(page, pixelX(page, col), pixelY(page, row), 2, 2);
    settle(page);
  }

  /** Drags Peter one cell right and down, puts an apple two cells right of where he was. */
  private static void gridworld(ViewerPage page) throws Exception {
    int step = 3;
    edit(page, "gridworld-trained", step);
    JsonNode position = page.api("api/rollouts/gridworld-trained/episodes/0/steps?from=" + step + "&to=" + (step + 1))
        .get("observations").get(0).get("position");
    int r = position.get(0).asInt();
    int c = position.get(1).asInt();
    WebElement canvas = page.find(testid("scene-canvas"));
    double cell = Math.min(canvas.getSize().getWidth(), canvas.getSize().getHeight()) / 8.4;
    int[] at = cellCentre(canvas, cell, r, c);
    int dr = r < 7 ? 1 : -1;
    int dc = c < 7 ? 1 : -1;
    drag(page, at[0], at[1], (int) (dc * cell), (int) (dr * cell));
    page.find(By.cssSelector("[data-testid=tile-legend] [data-tile=apple]")).click();
    int[] apple = cellCentre(canvas, cell, r, Math.max(0, Math.min(7, c - 2 * dc)));
    drag(page, apple[0], apple[1], 0, 0);
    settle(page);
  }

  /** Swings the rod a quarter turn by its bob. */
  private static void pendulum(ViewerPage page) throws InterruptedException {
    edit(page, "pendulum-trained", 30);
    BufferedImage img = page.waitDrawn();
    double[] bob = Frames.centroid(img, BOB, 20);
    WebElement canvas = page.find(testid("scene-canvas"));
    int cx = canvas.getSize().getWidth() / 2;
    int cy = canvas.getSize().getHeight() / 2;
    // a quarter turn about the pivot (the canvas centre)
    int dx = (int) (-(bob[1] - cy) - (bob[0] - cx));
    int dy = (int) ((bob[0] - cx) - (bob[1] - cy));
    drag(page, (int) bob[0], (int) bob[1], dx, dy);
    page.waitFrameChangedFrom(img);
    settle(page);
  }

  private static void edit(ViewerPage page, String id, int step) {
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    page.browser().until("the step is loaded", d -> !d.findElement(By.cssSelector("[data-testid=observation-table] td.num")).getAttribute("textContent").isEmpty());
    page.find(testid("edit-toggle")).click();
    page.browser().until("the recorded observation is evaluated", d -> "unchanged".equals(
        d.findElement(testid("probe-status")).getAttribute("data-state")));
  }

  /** A press at canvas pixel (x, y), a move by (dx, dy) in steps, a release. */
  private static void drag(ViewerPage page, int x, int y, int dx, int dy) {
    WebElement canvas = page.find(testid("scene-canvas"));
    int ox = x - canvas.getSize().getWidth() / 2;
    int oy = y - canvas.getSize().getHeight() / 2;
    Actions a = new Actions(page.browser().driver()).moveToElement(canvas, ox, oy).clickAndHold();
    for (int i = 1; i <= 4; i++) {
      a = a.moveByOffset(dx / 4, dy / 4);
    }
    a.release().perform();
  }

  /** Waits for the probe's answer and its attributions to be drawn. */
  private static void settle(ViewerPage page) throws InterruptedException {
    page.browser().until("the edit is evaluated", d -> "ready".equals(d.findElement(testid("probe-status")).getAttribute("data-state"))
        && d.findElement(testid("probe-status")).getAttribute("data-round-trip-ms") != null);
    Thread.sleep(800);
  }

  private static void shoot(ViewerPage page, Path png) throws Exception {
    settle(page);
    Files.write(png, page.browser().driver().getScreenshotAs(OutputType.BYTES));
    System.out.println("wrote " + png);
  }

  /** The topmost pixel near {@code rgb}: the pole's tip. */
  private static int[] topmost(BufferedImage img, int rgb, int tolerance) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (Frames.close(img.getRGB(x, y), rgb, tolerance)) {
          return new int[] {x, y};
        }
      }
    }
    throw new IllegalStateException("no pixel near " + Integer.toHexString(rgb));
  }

  private static int[] cellCentre(WebElement canvas, double cell, int row, int col) {
    int w = canvas.getSize().getWidth();
    int h = canvas.getSize().getHeight();
    return new int[] {(int) (w / 2.0 + (col + 0.5 - 4) * cell), (int) (h / 2.0 + (row + 0.5 - 4) * cell)};
  }

  private static double pixelScale(ViewerPage page) {
    Dimension s = page.find(testid("scene-canvas")).getSize();
    return Math.min(s.getWidth(), s.getHeight()) / (double) Catch.SIZE;
  }

  private static int pixelX(ViewerPage page, int col) {
    Dimension s = page.find(testid("scene-canvas")).getSize();
    return (int) (s.getWidth() / 2.0 + (col + 0.5 - Catch.SIZE / 2.0) * pixelScale(page));
  }

  private static int pixelY(ViewerPage page, int row) {
    Dimension s = page.find(testid("scene-canvas")).getSize();
    return (int) (s.getHeight() / 2.0 + (row + 0.5 - Catch.SIZE / 2.0) * pixelScale(page));
  }
}
