package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The viewer on a 100 000-step episode in headless Chromium: playing at 8× and scrubbing to
 * step 90 000 fetch step data lazily, as Arrow ranges of at most 1000 rows (the loader's chunk),
 * never the episode as JSON; the step advances while playing and the scrubbed-to row is shown.
 * No timing is asserted (docs/PERFORMANCE.md has the measured figures).
 */
class ViewerLongEpisodeTest {
  static final int STEPS = 100_000;
  /** The viewer's chunk (web/src/chunks.js); the server would answer up to 20 000 rows. */
  private static final int MAX_ROWS_PER_REQUEST = 1000;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;

  @BeforeAll
  static void start() throws Exception {
    Path file = LongEpisode.record(tmp.resolve("long.arrow"), STEPS, LongEpisode.LASTING_SEED);
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_mlp.onnx"), Policy.Output.LOGITS);
    // the env id is not CartPole-v1's, so the scene is named, as a user would with rld serve --viewer
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, policy).viewer("cartpole"));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
    assertEquals(STEPS + 1, viewer.rows(0));
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void playingAt8xAndScrubbingTo90000FetchOnlyArrowRangesAndShowTheRows() throws Exception {
    page.open("#/r/" + id + "/e/0/s/0");
    // room for every request of the run (the default buffer keeps 250 entries)
    browser.script("performance.setResourceTimingBufferSize(100000);");
    page.waitStep(0);
    page.waitDrawn();

    new Select(page.find(By.cssSelector("select[data-act=speed]"))).selectByValue("8");
    page.find(testid("play-button")).click();
    // past the first chunk's end: playback goes on through lazily fetched chunks
    browser.until("playback passes step 1500", d -> page.step() > 1500);

    page.scrubTo(90_000);
    int after = browser.until("playback goes on from step 90 000", d -> {
      int step = page.step();
      return step > 90_000 ? step : null;
    });
    browser.until("playback moves on", d -> page.step() > after);
    page.find(testid("play-button")).click();
    int stopped = page.step();
    assertTrue(stopped > 90_000, "paused after the scrub target: " + stopped);
    assertObservationShown(stopped);

    List<String> steps = stepRequests();
    List<String> bad = new ArrayList<>();
    boolean covered90000 = false;
    for (String url : steps) {
      Map<String, String> q = query(url);
      int rows = Integer.parseInt(q.getOrDefault("to", "-1")) - Integer.parseInt(q.getOrDefault("from", "0"));
      if (!"arrow".equals(q.get("format")) || rows <= 0 || rows > MAX_ROWS_PER_REQUEST) {
        bad.add(url);
      }
      int from = Integer.parseInt(q.getOrDefault("from", "0"));
      covered90000 |= from <= 90_000 && 90_000 < from + rows;
    }
    assertTrue(bad.isEmpty(), "every step request is an Arrow range of at most " + MAX_ROWS_PER_REQUEST
        + " rows; not: " + bad);
    assertTrue(covered90000, "the scrub fetched the rows around 90 000: " + steps);
    // The whole episode's plots came from the server's buckets of steps, not from its rows: far
    // fewer row requests than the 101 chunks of the episode, and the reward plot says per how many.
    assertTrue(steps.size() < 40, steps.size() + " step requests");
    // the series may still be on its way: wait for the plot to say it draws from it
    browser.until("the reward plot draws from the series", d -> ((String) browser.script(
        "return document.querySelector('[data-testid=reward-plot] h3')?.textContent ?? ''")).contains("per 50 steps"));
    @SuppressWarnings("unchecked")
    List<String> series = (List<String>) browser.script("return performance.getEntriesByType('resource')"
        + ".map((e) => e.name).filter((u) => u.includes('/series'));");
    assertEquals(1, series.size(), "one series request: " + series);
    assertTrue(steps.size() < STEPS / MAX_ROWS_PER_REQUEST, steps.size() + " step requests: not the whole episode");
  }

  /** The observation panel shows row {@code row}'s values (as the API gives them, rounded as shown). */
  private static void assertObservationShown(int row) throws Exception {
    Map<String, Double> expected = page.flatObservation(id, 0, row);
    page.waitStep(row);
    browser.until("the observation panel shows row " + row, d -> {
      List<WebElement> trs = d.findElements(By.cssSelector("[data-testid=observation-table] tbody tr"));
      if (trs.size() != expected.size()) {
        return false;
      }
      int i = 0;
      for (double want : expected.values()) {
        String shown = trs.get(i++).findElements(By.tagName("td")).get(1).getText();
        if (!isNumber(shown) || Math.abs(Double.parseDouble(shown) - want) > AttributionTable.displayedTolerance(shown)) {
          return false;
        }
      }
      return true;
    });
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The URLs of the page's step-data requests, from the browser's resource timing. */
  @SuppressWarnings("unchecked")
  private static List<String> stepRequests() {
    List<String> urls = (List<String>) browser.script("return performance.getEntriesByType('resource')"
        + ".map((e) => e.name).filter((u) => u.includes('/steps'));");
    assertTrue(!urls.isEmpty(), "the page fetched step data");
    return urls;
  }

  private static Map<String, String> query(String url) {
    Map<String, String> out = new HashMap<>();
    String q = URI.create(url).getQuery();
    for (String pair : q == null ? new String[0] : q.split("&")) {
      int eq = pair.indexOf('=');
      out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
    }
    return out;
  }
}
