package dev.rld.samples.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Pendulum;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The Pendulum scene in headless Chromium: a Pendulum-v1 recording of the trained (swing-up)
 * agent, served with its policy. The rod is drawn at the recorded angle, and stepping and
 * scrubbing redraw it at the new one.
 */
class ViewerPendulumTest {
  /** pendulum.js's rod colour. */
  private static final int ROD = 0xc98a2b;
  /** The camera spans ±1.4 units across the canvas's shorter side (pendulum.js); the rod is 1 unit long. */
  private static final double HALF_VIEW = 1.4;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;
  private static JsonNode observations;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "pendulum", Pendulum.ID, "trained", 2, 1);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, SamplePolicies.pendulum()));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
    observations = viewer.column(0, "observations");
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void theRodIsDrawnAtTheRecordedAngleAndFollowsStepsAndScrubbing() {
    page.open("#/r/" + id + "/e/0/s/0");
    page.waitStep(0);
    BufferedImage first = waitRodAt(0);
    assertTrue(Frames.drawn(first), "the scene draws more than a few pixels in more than a few colours");

    page.find(By.cssSelector("button[data-act=forward]")).click();
    page.waitStep(1);
    page.waitFrameChangedFrom(first);
    waitRodAt(1);

    // the swing-up brings the pendulum from its start to upright: scrub to a row far from row 0's angle
    int far = farthestFrom(0);
    assertTrue(Math.abs(angleBetween(angle(far), angle(0))) > Math.toRadians(90),
        "the episode swings by more than a quarter turn");
    page.scrubTo(far);
    page.waitStep(far);
    waitRodAt(far);
  }

  /**
   * The canvas once the rod is drawn at row {@code row}'s angle (until then it may still show the
   * previous row, or the scene's first frame at θ = 0), checked: angle and length.
   */
  private static BufferedImage waitRodAt(int row) {
    BufferedImage img = browser.until("the rod is drawn at row " + row + "'s angle", d -> {
      BufferedImage shot = page.canvas();
      return Frames.centroid(shot, ROD, 8)[2] > 300
          && Math.abs(angleBetween(drawnAngle(shot), angle(row))) < Math.toRadians(8) ? shot : null;
    });
    assertRodAt(img, row);
    return img;
  }

  /** θ of a row, from its observation [cos θ, sin θ, θ̇]. */
  private static double angle(int row) {
    JsonNode o = observations.get(row);
    return Math.atan2(o.get(1).asDouble(), o.get(0).asDouble());
  }

  private static int farthestFrom(int row) {
    int best = row;
    for (int r = 0; r < observations.size(); r++) {
      if (Math.abs(angleBetween(angle(r), angle(row))) > Math.abs(angleBetween(angle(best), angle(row)))) {
        best = r;
      }
    }
    return best;
  }

  private static double angleBetween(double a, double b) {
    return Math.IEEEremainder(a - b, 2 * Math.PI);
  }

  /**
   * The angle the drawn rod makes, from the centroid of its pixels relative to the pivot (the
   * canvas's centre): θ = 0 points up, positive counter-clockwise, as in Gymnasium.
   */
  private static double drawnAngle(BufferedImage img) {
    double[] c = Frames.centroid(img, ROD, 8);
    double dx = c[0] - img.getWidth() / 2.0;
    double dy = c[1] - img.getHeight() / 2.0;
    // screen y grows downwards; the rod's tip is at (-sin θ, cos θ) in the scene
    return Math.atan2(-dx, -dy);
  }

  private static void assertRodAt(BufferedImage img, int row) {
    double[] c = Frames.centroid(img, ROD, 8);
    assertTrue(c[2] > 300, "the rod is drawn: " + (int) c[2] + " pixels of its colour");
    double want = angle(row);
    double got = drawnAngle(img);
    assertEquals(0, angleBetween(got, want), Math.toRadians(8),
        "row " + row + ": rod drawn at " + Math.toDegrees(got) + "°, recorded θ " + Math.toDegrees(want) + "°");
    // the visible rod runs from under the pivot's disc to under the bob: its middle is about half a unit out
    double unit = Math.min(img.getWidth(), img.getHeight()) / (2 * HALF_VIEW);
    double distance = Math.hypot(c[0] - img.getWidth() / 2.0, c[1] - img.getHeight() / 2.0);
    assertEquals(0.5 * unit, distance, 0.15 * unit, "the rod's middle is half its length from the pivot");
  }
}
