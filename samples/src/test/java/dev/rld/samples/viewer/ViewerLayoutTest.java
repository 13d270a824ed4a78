package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Catch;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * The episode page as one screen (issue 11): at 1400×900 and 1920×1080, for CartPole, the grid
 * world, Pendulum and Catch, the page does not scroll and the scene, the step label, the
 * timeline's plots and the attribution table's top are in view; side panels collapse and stay
 * so after a reload; the grid world's value estimates get a plot and its outcome the header.
 * Screenshots of every recording at both sizes are left in target/layout-*.png.
 */
class ViewerLayoutTest {
  private static final List<Dimension> SIZES = List.of(new Dimension(1400, 900), new Dimension(1920, 1080));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  /** Recording name to its served id, in the order served. */
  private static final Map<String, String> IDS = new java.util.LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path cartpole = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "trained", 1, 1);
    Path gridworld = ServedViewer.record(tmp, "gridworld", GridWorld.ID, "trained", 1, 1);
    Path pendulum = ServedViewer.record(tmp, "pendulum", Pendulum.ID, "trained", 1, 1);
    Path catchBall = ServedViewer.record(tmp, "catch", Catch.ID, "trained", 1, 3);
    viewer = ServedViewer.start(tmp, RldServer.builder()
        .recording(cartpole, SamplePolicies.cartPole())
        .recording(gridworld, SamplePolicies.gridWorld())
        .recording(pendulum, SamplePolicies.pendulum())
        .recording(catchBall, SamplePolicies.catchBall()));
    browser = viewer.browser();
    page = viewer.page();
    List<String> ids = viewer.server().ids();
    List.of("cartpole", "gridworld", "pendulum", "catch").forEach(n -> IDS.put(n, ids.get(IDS.size())));
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @AfterEach
  void forgetLayout() {
    browser.script("localStorage.clear()");
  }

  @Test
  void everyRecordingFitsOneScreenAtBothSizes() throws Exception {
    Files.createDirectories(Path.of("target"));
    for (Dimension size : SIZES) {
      browser.driver().manage().window().setSize(size);
      for (Map.Entry<String, String> rec : IDS.entrySet()) {
        String where = rec.getKey() + " at " + size.width + "×" + size.height;
        page.open("#/r/" + rec.getValue() + "/e/0/s/3");
        page.waitStep(3);
        page.waitDrawn();
        browser.until(where + ": the reward plot", d -> !d.findElements(testid("reward-plot")).isEmpty());
        browser.until(where + ": the attribution panel answers", d -> {
          String state = d.findElement(org.openqa.selenium.By.cssSelector(".attribution-panel")).getAttribute("data-state");
          return "ready".equals(state) || "error".equals(state) || "empty".equals(state);
        });
        Number scroll = (Number) browser.script("return document.scrollingElement.scrollHeight - innerHeight");
        assertTrue(scroll.intValue() <= 0, where + ": the page scrolls by " + scroll + " px");
        for (String id : List.of("scene-canvas", "step-label", "plot-stack", "attribution-table")) {
          assertInView(where, id, page.find(testid(id)), !id.equals("attribution-table"));
        }
        Number room = (Number) browser.script("return document.querySelector('.wb-side').getBoundingClientRect().bottom"
            + " - arguments[0].getBoundingClientRect().top", page.find(testid("attribution-table")));
        assertTrue(room.doubleValue() >= 40, where + ": the attribution table shows inside its panel (" + room + " px)");
        assertFalse(page.find(testid("reward-plot")).getText().contains("--"), where + ": the legend shows values");
        Files.write(Path.of("target", "layout-" + rec.getKey() + "-" + size.width + "x" + size.height + ".png"),
            browser.driver().getScreenshotAs(OutputType.BYTES));
      }
    }
  }

  /** The element's top (and, when {@code whole}, its bottom) within the viewport. */
  private static void assertInView(String where, String id, WebElement element, boolean whole) {
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) browser.script("const r = arguments[0].getBoundingClientRect();"
        + "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: innerHeight, w: innerWidth};", element);
    double top = num(r.get("top"));
    double bottom = num(r.get("bottom"));
    double h = num(r.get("h"));
    assertTrue(top >= 0 && top < h - 60, where + ": " + id + "'s top " + top + " is in view (height " + h + ")");
    if (whole) {
      assertTrue(bottom <= h + 0.5, where + ": " + id + " ends at " + bottom + ", inside " + h);
    }
    assertTrue(num(r.get("left")) >= 0 && num(r.get("right")) <= num(r.get("w")) + 0.5, where + ": " + id + " is within the width");
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  @Test
  void panelsCollapseAndStaySoAfterAReload() {
    browser.driver().manage().window().setSize(SIZES.get(0));
    page.open("#/r/" + IDS.get("cartpole") + "/e/0/s/2");
    page.waitStep(2);
    assertTrue(page.find(testid("observation-table")).isDisplayed());
    page.find(testid("panel-observation-header")).click();
    assertFalse(page.find(testid("observation-table")).isDisplayed(), "collapsed by a header click");
    browser.driver().navigate().refresh();
    page.waitStep(2);
    assertFalse(page.find(testid("observation-table")).isDisplayed(), "still collapsed after a reload");
    assertEquals("false", page.find(testid("panel-observation-header")).getAttribute("aria-expanded"));
    page.find(testid("panel-observation-header")).click();
    assertTrue(page.find(testid("observation-table")).isDisplayed(), "opened again");
  }

  @Test
  void theGridWorldShowsItsValueEstimatesAndHowTheEpisodeEnded() throws Exception {
    browser.driver().manage().window().setSize(SIZES.get(0));
    String id = IDS.get("gridworld");
    JsonNode episode = page.api("api/rollouts/" + id + "/episodes/0");
    int steps = episode.get("length").asInt();
    // the info that came with the last observation (the final row), or with the last step
    JsonNode infos = page.api("api/rollouts/" + id + "/episodes/0/steps?from=" + (steps - 1) + "&to=" + (steps + 1)).get("infos");
    String said = "";
    for (JsonNode node : infos) {
      JsonNode info = node.isTextual() ? JSON.readTree(node.asText()) : node;
      said = info.path("outcome").asText(said);
    }
    String outcome = said;
    assertTrue(List.of("won", "eaten", "drowned").contains(outcome), "the grid world says how it ended: " + infos);

    page.open("#/r/" + id + "/e/0/s/0");
    page.waitStep(0);
    browser.until("the header shows the outcome '" + outcome + "'",
        d -> outcome.equals(d.findElement(testid("episode-outcome")).getAttribute("data-outcome")));
    WebElement value = browser.until("the value plot", d -> d.findElements(testid("value-plot")).stream().findFirst().orElse(null));
    assertTrue(value.getText().contains("V(s)"), "the value plot's legend names V(s): " + value.getText());
    assertFalse(value.getText().contains("--"), "the legend shows the step's value: " + value.getText());
  }
}
