package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import java.io.IOException;
import java.nio.file.Files;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Two policies on one recording in headless Chromium, as the demo serves CartPole: the trained
 * actor-critic (A) and its round-0 checkpoint (B). The disagreement strip marks exactly the runs
 * of steps where the route says their greedy actions differ, a click on it seeks there, and the
 * attribution panel's A | B switch shows model B's attributions, as the API answers them. A
 * recording with one policy has neither strip nor switch.
 */
class ViewerComparePoliciesTest {
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static Policy a;
  private static Policy b;
  private static final String ID = "cartpole";

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, ID, "CartPole-v1", "trained", 2, 1);
    Path models = Files.createDirectories(tmp.resolve("models"));
    a = OnnxPolicy.load(SamplePolicies.extractModel(SamplePolicies.CARTPOLE_ACTOR_CRITIC,
        models.resolve(SamplePolicies.CARTPOLE_ACTOR_CRITIC)), Policy.Output.LOGITS);
    b = OnnxPolicy.load(SamplePolicies.extractModel(SamplePolicies.CARTPOLE_ROUND0,
        models.resolve(SamplePolicies.CARTPOLE_ROUND0)), Policy.Output.LOGITS);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, a, b).recording(file, a));
    browser = viewer.browser();
    page = viewer.page();
    browser.driver().manage().window().setSize(new Dimension(1400, 900));
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
    if (a != null) {
      a.close();
      b.close();
    }
  }

  /** The strip once it shows the whole episode. */
  private static WebElement readyStrip() {
    return browser.until("the disagreement strip is ready", d -> d.findElements(testid("disagreement-strip")).stream()
        .filter(s -> "ready".equals(s.getAttribute("data-state"))).findFirst().orElse(null));
  }

  /** Runs of consecutive differing steps in the route's answer: {from, to}. */
  private static List<int[]> runs(JsonNode answer) {
    List<int[]> runs = new ArrayList<>();
    for (JsonNode s : answer.get("steps")) {
      if (!s.get("differs").asBoolean()) {
        continue;
      }
      int step = s.get("step").asInt();
      if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == step) {
        runs.get(runs.size() - 1)[1] = step + 1;
      } else {
        runs.add(new int[] {step, step + 1});
      }
    }
    return runs;
  }

  @Test
  void theStripMarksWhereTheRouteSaysTheGreedyActionsDifferAndAClickSeeksThere() throws Exception {
    page.open("#/r/" + ID + "/e/0/s/0");
    page.waitStep(0);
    WebElement strip = readyStrip();
    JsonNode answer = page.api("api/rollouts/" + ID + "/episodes/0/disagreement");
    int rows = viewer.rows(0);
    assertEquals(rows, answer.get("steps").size());
    List<int[]> runs = runs(answer);
    assertTrue(runs.size() > 1, "the checkpoint acts otherwise at several places: " + runs.size());
    assertEquals(answer.get("disagreeing").asText(), strip.getAttribute("data-differing"));
    List<WebElement> marks = strip.findElements(testid("disagreement-mark"));
    assertEquals(runs.size(), marks.size(), "one mark per run of differing steps");
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(runs.get(i)[0], Integer.parseInt(marks.get(i).getAttribute("data-from")), "run " + i);
      assertEquals(runs.get(i)[1], Integer.parseInt(marks.get(i).getAttribute("data-to")), "run " + i);
    }
    String label = strip.findElement(By.tagName("h3")).getText();
    assertTrue(label.contains("policy A (cartpole_ac.onnx) vs B (cartpole_mlp_round0.onnx)"), label);
    assertTrue(label.contains("greedy actions differ at " + answer.get("disagreeing").asInt() + " of " + rows
        + " steps; bar = total variation"), label);

    // the strip sits above every plot of the stack, on their axis: a mark lies where its steps' x is
    List<WebElement> plots = browser.driver().findElements(By.cssSelector("[data-testid=plot-stack] > .step-plot"));
    assertEquals(strip, plots.get(0), "the strip is first in the stack");
    Rectangle area = strip.findElement(By.cssSelector(".u-over")).getRect();
    Rectangle rewardArea = browser.driver().findElement(By.cssSelector("[data-testid=reward-plot] .u-over")).getRect();
    assertEquals(rewardArea.getX(), area.getX(), "the same left edge as the plots below");
    assertEquals(rewardArea.getWidth(), area.getWidth(), "the same width as the plots below");

    // a click in the middle of the widest run seeks into it
    int[] widest = runs.stream().max((x, y) -> Integer.compare(x[1] - x[0], y[1] - y[0])).orElseThrow();
    WebElement mark = marks.get(runs.indexOf(widest));
    Rectangle box = mark.getRect();
    int markCentre = box.getX() + box.getWidth() / 2;
    new Actions(browser.driver()).moveToElement(strip.findElement(By.cssSelector(".u-over")),
        markCentre - (area.getX() + area.getWidth() / 2), 0).click().perform();
    int seeked = browser.until("the click seeks", d -> page.step() > 0 ? page.step() : null);
    assertTrue(seeked >= widest[0] && seeked < widest[1],
        "seeked to " + seeked + ", inside the run [" + widest[0] + ", " + widest[1] + ")");
    JsonNode there = answer.get("steps").get(seeked);
    assertTrue(there.get("differs").asBoolean());
    assertEquals("A " + there.get("greedyA").asInt() + " · B " + there.get("greedyB").asInt() + " (differ)",
        strip.findElement(By.cssSelector(".strip-step")).getText());

    Files.write(Path.of(System.getProperty("java.io.tmpdir"), "rld-compare-policies.png"),
        browser.driver().getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theAttributionSwitchShowsPolicyBsAttributions() throws Exception {
    int step = 40;
    page.open("#/r/" + ID + "/e/1/s/" + step);
    page.waitStep(step);
    WebElement panel = browser.driver().findElement(By.cssSelector(".attribution-panel"));
    WebElement switchB = browser.driver().findElement(By.cssSelector("[data-testid=attribution-policy] [data-policy=b]"));
    assertEquals("false", switchB.getAttribute("aria-pressed"));
    Map<String, Double> shownA = shown(panel, "a");
    assertEquals(api(step, "a"), shownA);

    switchB.click();
    Map<String, Double> shownB = shown(panel, "b");
    assertEquals("true", switchB.getAttribute("aria-pressed"));
    assertEquals(api(step, "b"), shownB, "policy B's attributions, as the API answers them");
    assertNotEquals(shownA, shownB);
    assertTrue(panel.findElement(testid("attribution-status")).getText().startsWith("policy B: "));
    assertEquals("cartpole_mlp_round0.onnx",
        browser.driver().findElement(By.cssSelector("[data-testid=attribution-policy] .policy-name")).getText());

    browser.driver().findElement(By.cssSelector("[data-testid=attribution-policy] [data-policy=a]")).click();
    assertEquals(shownA, shown(panel, "a"), "back to A");
  }

  @Test
  void aRecordingWithOnePolicyHasNoStripAndNoSwitch() {
    page.open("#/r/" + ID + "-2/e/0/s/0");
    page.waitStep(0);
    browser.until("the plots are drawn", d -> d.findElements(testid("reward-plot")).isEmpty() ? null : true);
    browser.until("the attribution panel is ready", d -> "ready".equals(
        d.findElement(By.cssSelector(".attribution-panel")).getAttribute("data-state")) ? true : null);
    assertTrue(browser.driver().findElements(testid("disagreement-strip")).isEmpty());
    assertTrue(browser.driver().findElements(testid("attribution-policy")).isEmpty());
  }

  /** The panel's raw attribution per feature once it shows policy {@code policy}'s, ready. */
  private static Map<String, Double> shown(WebElement panel, String policy) {
    return browser.until("the attribution panel shows policy " + policy, d -> {
      if (!policy.equals(panel.getAttribute("data-policy")) || !"ready".equals(panel.getAttribute("data-state"))) {
        return null;
      }
      Map<String, Double> out = new HashMap<>();
      for (WebElement tr : panel.findElements(By.cssSelector("[data-testid=attribution-table] tbody tr[data-feature]"))) {
        out.put(tr.findElement(By.cssSelector("td.label")).getText(),
            Double.parseDouble(tr.findElement(By.cssSelector("td.raw")).getAttribute("data-raw")));
      }
      return out.size() == 4 ? out : null;
    });
  }

  /** The API's raw attributions of the panel's default query at {@code step} of episode 1, per feature. */
  private static Map<String, Double> api(int step, String policy) throws Exception {
    JsonNode answer = page.api("api/rollouts/" + ID + "/episodes/1/attributions?method=ablation&target=picked"
        + "&baseline=zero&normalize=all&policy=" + policy + "&from=" + step + "&to=" + (step + 1));
    JsonNode raw = answer.get("steps").get(0).get("targets").get(0).get("raw");
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      out.put(answer.get("features").get(i).asText(), raw.get(i).asDouble());
    }
    return out;
  }
}
