package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The compare page in a real headless Chromium: two CartPole episodes of different lengths from
 * two recordings side by side, one timeline moving both scenes' steps (the shorter holding its
 * last frame and saying how it ended), the return and every observation feature's B − A equal to
 * the difference of the API's steps, two episodes picked on the start page opening the comparison,
 * and a wrong link explained on the page.
 */
class ViewerCompareTest {
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  /** Recording and episode of A (the shorter) and B (the longer), and their rows (steps + 1). */
  private static String recA;
  private static String recB;
  private static int epA;
  private static int epB;
  private static int rowsA;
  private static int rowsB;

  @BeforeAll
  static void start() throws Exception {
    Path one = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "random", 3, 1);
    Path two = ServedViewer.record(tmp, "cartpole-other", "CartPole-v1", "random", 3, 21);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(one).recording(two));
    browser = viewer.browser();
    page = viewer.page();
    recA = viewer.server().ids().get(0);
    recB = viewer.server().ids().get(1);
    // A: the shortest episode of the first recording; B: the longest of the second
    JsonNode a = page.api("api/rollouts/" + recA + "/episodes?sort=length&order=asc&limit=1").get("episodes").get(0);
    JsonNode b = page.api("api/rollouts/" + recB + "/episodes?sort=length&order=desc&limit=1").get("episodes").get(0);
    epA = a.get("index").asInt();
    epB = b.get("index").asInt();
    rowsA = a.get("length").asInt() + 1;
    rowsB = b.get("length").asInt() + 1;
    assertTrue(rowsA + 1 < rowsB, "A ends a few steps before B: " + rowsA + " and " + rowsB + " rows");
    assertTrue(rowsA > 6, "A is long enough to step inside: " + rowsA);
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  private static String compareHash(int step) {
    return "#/compare?a=" + recA + "/" + epA + "&b=" + recB + "/" + epB + "&step=" + step;
  }

  /** The row side {@code side} ("a" or "b") says it shows, once it shows {@code row}. */
  private static void waitSideRow(String side, int row) {
    browser.until(side + " shows row " + row, d -> String.valueOf(row).equals(
        d.findElement(testid("compare-step-" + side)).getAttribute("data-step")));
  }

  @Test
  void bothScenesDrawAndTheOneTimelineMovesBothStepLabels() {
    page.open(compareHash(0));
    page.waitStep(0);
    List<WebElement> canvases = browser.until("two scenes", d -> {
      List<WebElement> c = d.findElements(testid("scene-canvas"));
      return c.size() == 2 ? c : null;
    });
    for (WebElement canvas : canvases) {
      browser.until("each scene draws", d -> Frames.drawn(ViewerPage.screenshot(canvas)));
    }
    BufferedImage before = ViewerPage.screenshot(canvases.get(1));

    int inside = 5;
    page.scrubTo(inside);
    page.waitStep(inside);
    waitSideRow("a", inside);
    waitSideRow("b", inside);
    assertEquals("step " + inside + " / " + (rowsA - 1), page.find(testid("compare-step-a")).getText());
    assertEquals("step " + inside + " / " + (rowsB - 1), page.find(testid("compare-step-b")).getText());
    browser.until("B's scene moves with the timeline", d -> Frames.differs(before, ViewerPage.screenshot(canvases.get(1))));
    browser.until("the URL follows the timeline", ExpectedConditions.urlMatches("&step=" + inside + "$"));

    // past A's end: A holds its last frame and says how it ended, B goes on
    int past = rowsB - 1;
    page.scrubTo(past);
    page.waitStep(past);
    waitSideRow("a", rowsA - 1);
    waitSideRow("b", past);
    assertEquals("ended at step " + (rowsA - 1) + " (terminated)", page.find(testid("compare-step-a")).getText());
    assertEquals("step " + past + " / " + (rowsB - 1), page.find(testid("compare-step-b")).getText());
  }

  @Test
  void theDifferencePlotsAreBMinusAOfTheApiSteps() throws Exception {
    page.open(compareHash(0));
    page.waitStep(0);
    JsonNode rewardsA = steps(recA, epA, rowsA).get("rewards");
    JsonNode rewardsB = steps(recB, epB, rowsB).get("rewards");
    // a step both episodes have, and one after A ended (A holds its last row)
    for (int step : new int[] {4, rowsA + 1}) {
      page.scrubTo(step);
      page.waitStep(step);
      int rowA = Math.min(step, rowsA - 1);
      int rowB = Math.min(step, rowsB - 1);
      double expected = returnAfter(rewardsB, rowB) - returnAfter(rewardsA, rowA);
      assertNear("return B − A at step " + step, expected, legendValue(page.find(testid("compare-return-difference")), step, "B − A"));
      assertNear("return of A at step " + step, returnAfter(rewardsA, rowA),
          legendValue(page.find(testid("compare-return-plot")), step, "A"));

      Map<String, Double> obsA = page.flatObservation(recA, epA, rowA);
      Map<String, Double> obsB = page.flatObservation(recB, epB, rowB);
      List<WebElement> plots = browser.until("a plot per feature", d -> {
        List<WebElement> p = d.findElements(testid("compare-feature-plot"));
        return p.size() == obsA.size() ? p : null;
      });
      List<String> labels = new ArrayList<>(obsA.keySet()); // in the served features' order
      for (int i = 0; i < plots.size(); i++) {
        WebElement plot = plots.get(i);
        String label = labels.get(i);
        // the list builds a plot when it scrolls into view
        browser.script("arguments[0].scrollIntoView({block: 'nearest'})", plot);
        assertTrue(plot.findElement(By.tagName("h3")).getText().startsWith(label), plot.getText());
        assertNear(label + " of A at step " + step, obsA.get(label), legendValue(plot, step, "A"));
        assertNear(label + " of B at step " + step, obsB.get(label), legendValue(plot, step, "B"));
        assertNear(label + " B − A at step " + step, obsB.get(label) - obsA.get(label), legendValue(plot, step, "B − A"));
      }
    }
    Path png = Path.of("target", "viewer-compare.png");
    Files.createDirectories(png.getParent());
    Files.write(png, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void twoEpisodesPickedOnTheStartPageOpenTheirComparison() {
    page.open("#/");
    WebElement first = pickBox(recA, 2);
    assertEquals("compare", first.findElement(By.xpath("..")).getText().trim());
    first.click();
    browser.until("the bar names the first pick", ExpectedConditions.textToBePresentInElementLocated(
        testid("compare-picks"), "A: " + recA + ", episode 2"));
    pickBox(recB, 0).click();
    browser.until("the second pick opens the comparison",
        ExpectedConditions.urlMatches("#/compare\\?a=" + recA + "/2&b=" + recB + "/0&step=0$"));
    browser.until("both sides show", d -> d.findElements(testid("compare-step-b")).size() == 1);
    waitSideRow("a", 0);
    waitSideRow("b", 0);
    assertEquals(recB, page.find(testid("compare-recording-b")).getAttribute("value"));

    // and from an episode page: "compare with…" opens it beside the next episode, at its step
    page.open("#/r/" + recA + "/e/1/s/3");
    page.waitStep(3);
    page.find(testid("compare-link")).click();
    browser.until("the episode page's link opens the comparison",
        ExpectedConditions.urlMatches("#/compare\\?a=" + recA + "/1&b=" + recA + "/2&step=3$"));
    waitSideRow("a", 3);
  }

  @Test
  void aCompareLinkToNoSuchRecordingOrEpisodeSaysSo() {
    page.open("#/compare?a=no-such-recording/0&b=" + recB + "/99");
    WebElement error = browser.until("the page says what is wrong",
        ExpectedConditions.visibilityOfElementLocated(testid("page-error")));
    assertTrue(error.getText().contains("unknown recording 'no-such-recording'"), error.getText());
    assertTrue(error.getText().contains("episode 99"), error.getText());

    page.open("#/compare?a=" + recA + "/0");
    error = browser.until("a link without B says so", ExpectedConditions.visibilityOfElementLocated(testid("page-error")));
    assertTrue(error.getText().contains("names no episode B"), error.getText());
  }

  /** The "compare" box of episode {@code episode} in recording {@code id}'s table on the start page. */
  private static WebElement pickBox(String id, int episode) {
    return browser.until("episode " + episode + " of " + id + " is listed", d -> d.findElements(By.cssSelector(
        "section.rollout[data-rollout=\"" + id + "\"] tr[data-index=\"" + episode + "\"] [data-testid=compare-pick]"))
        .stream().findFirst().orElse(null));
  }

  private static JsonNode steps(String id, int episode, int rows) throws IOException, InterruptedException {
    return page.api("api/rollouts/" + id + "/episodes/" + episode + "/steps?format=json&from=0&to=" + rows);
  }

  /** The return after row {@code row}: its reward and every earlier one (the final row has none). */
  private static double returnAfter(JsonNode rewards, int row) {
    double sum = 0;
    for (int i = 0; i <= row && i < rewards.size(); i++) {
      sum += rewards.get(i).isNull() ? 0 : rewards.get(i).asDouble();
    }
    return sum;
  }

  /**
   * The value a plot's legend shows for series {@code series} once it shows step {@code step}
   * (the plot's rows may still be arriving): the number before any unit.
   */
  private static double legendValue(WebElement plot, int step, String series) {
    String text = browser.until(series + " in the legend at step " + step, d -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> shown = (Map<String, Object>) browser.script(
          "const l = arguments[0].querySelector('.legend'); if (!l) return null;"
              + "const out = {at: l.querySelector('.at')?.textContent};"
              + "for (const i of l.querySelectorAll('.item')) { const b = i.querySelector('b');"
              + "  out[i.textContent.slice(0, i.textContent.length - b.textContent.length).trim()] = b.textContent; }"
              + "return out;", plot);
      if (shown == null || !("step " + step).equals(shown.get("at"))) {
        return null;
      }
      Object v = shown.get(series);
      return v == null || "—".equals(v) ? null : (String) v;
    });
    return Double.parseDouble(text.split(" ")[0]);
  }

  /** Legends show 4 significant digits. */
  private static void assertNear(String what, double expected, double shown) {
    assertEquals(expected, shown, 1e-3 * Math.abs(expected) + 1e-6, what);
  }
}
