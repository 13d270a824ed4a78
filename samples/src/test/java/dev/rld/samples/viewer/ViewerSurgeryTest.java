package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Catch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Observation surgery in headless Chromium, against a server serving a trained CartPole-v1 agent's
 * episode with the actor-critic ONNX policy (as the demo does) and a trained Catch-v0 episode with
 * its CNN: editing the pole angle across zero flips the greedy action the viewer shows (and the
 * distribution, V(s) and attributions are the server's answers for the edited observation);
 * painting over the ball moves the Catch distribution; an edit survives a reload from its URL;
 * reset returns every control to the recorded values; a refused observation shows the server's words.
 */
class ViewerSurgeryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int PIXELS = Catch.SIZE * Catch.SIZE;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String cartpole;
  private static String catchBall;
  /** A CartPole step whose greedy action flips when its pole angle is mirrored, and both angles. */
  private static int flipStep;
  private static double angle;
  private static double mirrored;
  private static JsonNode flipObservation;

  @BeforeAll
  static void start() throws Exception {
    Path cartpoleFile = ServedViewer.record(tmp, "cartpole", CartPole.ID, "trained", 1, 1);
    Path catchFile = ServedViewer.record(tmp, "catch", Catch.ID, "trained", 1, 3);
    Policy actorCritic = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_ac.onnx"), Policy.Output.LOGITS);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(cartpoleFile, actorCritic)
        .recording(catchFile, SamplePolicies.catchBall()));
    browser = viewer.browser();
    browser.driver().manage().window().setSize(new Dimension(1400, 900));
    page = viewer.page();
    cartpole = viewer.server().ids().get(0);
    catchBall = viewer.server().ids().get(1);
    findFlipStep();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  /**
   * The first step whose pole leans by more than 0.01 rad and whose greedy action (served policy)
   * changes when the angle is mirrored to the other side of zero: where the pole angle decides.
   */
  private static void findFlipStep() throws Exception {
    JsonNode observations = steps(cartpole, 0).get("observations");
    for (int s = 0; s < observations.size() - 1; s++) {
      JsonNode obs = observations.get(s);
      double theta = obs.get(2).asDouble();
      if (Math.abs(theta) < 0.01) {
        continue;
      }
      double flipped = -Math.round(theta * 1e5) / 1e5;
      if (greedy(evaluate(cartpole, obs)) != greedy(evaluate(cartpole, withElement(obs, 2, flipped)))) {
        flipStep = s;
        angle = theta;
        mirrored = flipped;
        flipObservation = obs;
        return;
      }
    }
    throw new AssertionError("no step of the trained agent's episode flips its greedy action when the pole angle is mirrored");
  }

  @Test
  void editingThePoleAngleAcrossZeroFlipsTheGreedyAction() throws Exception {
    openEditing(cartpole, flipStep);
    WebElement field = page.find(testid("edit-field-2"));
    assertEquals(angle, Double.parseDouble(field.getAttribute("value")), 1e-5 * Math.max(1, Math.abs(angle)),
        "the pole angle field shows the recorded angle");
    JsonNode before = evaluate(cartpole, flipObservation);
    waitAction("the probe shows the recorded greedy action", greedy(before));

    type(field, mirrored);
    JsonNode edited = withElement(flipObservation, 2, mirrored);
    JsonNode after = evaluate(cartpole, edited);
    assertNotEquals(greedy(before), greedy(after));
    waitAction("the greedy action flips to the server's answer for the mirrored angle", greedy(after));
    assertTrue(page.find(testid("probe-action")).getAttribute("class").contains("flipped"));
    // both bars per action: the server's probabilities for the recorded and the edited observation
    List<WebElement> bars = page.find(testid("probe-probabilities")).findElements(By.cssSelector(".probe-prob"));
    assertEquals(2, bars.size());
    for (int k = 0; k < 2; k++) {
      assertEquals(before.get("probabilities").get(k).asDouble(), Double.parseDouble(bars.get(k).getAttribute("data-recorded")), 1e-6);
      assertEquals(after.get("probabilities").get(k).asDouble(), Double.parseDouble(bars.get(k).getAttribute("data-edited")), 1e-6);
    }
    String value = page.find(By.cssSelector("[data-testid=probe-line] .probe-value")).getText();
    assertTrue(value.contains("V(s)") && value.contains("→"), "V(s) before and after: " + value);

    // the attribution table: the edited observation's attributions (the POST route with the panel's
    // options, the recorded action and the step) beside the recorded step's, and their difference
    WebElement row = browser.until("the table shows the edited attributions", d -> {
      List<WebElement> r = d.findElements(By.cssSelector(".attribution-panel[data-shows=edited] tr[data-feature=\"pole angle\"]"));
      return r.isEmpty() ? null : r.get(0);
    });
    JsonNode explained = explain(cartpole, "method=ablation&target=picked&baseline=zero&normalize=all", edited,
        steps(cartpole, 0).get("actions").get(flipStep).asInt(), flipStep);
    JsonNode recorded = page.api("api/rollouts/" + cartpole + "/episodes/0/attributions?method=ablation&target=picked"
        + "&baseline=zero&normalize=all&from=" + flipStep + "&to=" + (flipStep + 1));
    double editedRaw = explained.get("steps").get(0).get("targets").get(0).get("raw").get(2).asDouble();
    double recordedRaw = recorded.get("steps").get(0).get("targets").get(0).get("raw").get(2).asDouble();
    assertEquals(editedRaw, Double.parseDouble(row.findElement(By.cssSelector("td.raw")).getAttribute("data-raw")), 1e-9);
    assertEquals(recordedRaw, Double.parseDouble(row.findElement(By.cssSelector("td.recorded")).getAttribute("data-raw")), 1e-9);
    assertEquals(editedRaw - recordedRaw, Double.parseDouble(row.findElement(By.cssSelector("td.delta")).getAttribute("data-delta")), 1e-9);
    assertEquals(mirrored, Double.parseDouble(row.findElement(By.cssSelector("td.value")).getText()), 1e-4);
  }

  @Test
  void anEditSurvivesAReloadFromItsUrlAndResetReturnsToTheRecording() throws Exception {
    openEditing(cartpole, flipStep);
    type(page.find(testid("edit-field-2")), mirrored);
    int flipped = greedy(evaluate(cartpole, withElement(flipObservation, 2, mirrored)));
    waitAction("the edit is evaluated", flipped);
    String url = browser.until("the URL holds the edit", d -> d.getCurrentUrl().contains("?edit=2:") ? d.getCurrentUrl() : null);
    assertEquals("2:" + edit(mirrored), url.substring(url.indexOf("?edit=") + 6), "one element, its value as typed");

    // a fresh page load of the link: edit mode, the edited value, the same answer
    page.open(url.substring(url.indexOf('#')));
    page.waitStep(flipStep);
    waitAction("the reloaded edit is evaluated", flipped);
    assertEquals("true", page.find(testid("edit-toggle")).getAttribute("aria-pressed"));
    assertEquals(mirrored, Double.parseDouble(page.find(testid("edit-field-2")).getAttribute("value")), 1e-9);
    assertTrue(page.find(By.cssSelector("tr[data-index=\"2\"]")).getAttribute("class").contains("changed"));

    // reset: every control back to the recorded observation, the URL without changes
    page.find(testid("edit-reset")).click();
    int recordedGreedy = greedy(evaluate(cartpole, flipObservation));
    waitAction("after reset the probe shows the recorded greedy action", recordedGreedy);
    for (int i = 0; i < 4; i++) {
      double want = flipObservation.get(i).asDouble();
      assertEquals(want, Double.parseDouble(page.find(testid("edit-field-" + i)).getAttribute("value")),
          1e-5 * Math.max(1, Math.abs(want)), "field " + i + " shows the recorded value");
    }
    assertEquals(0, page.browser().driver().findElements(By.cssSelector(".surgery tr.changed")).size());
    browser.until("the URL holds edit mode without changes", d -> d.getCurrentUrl().endsWith("/s/" + flipStep + "?edit="));
    for (WebElement bar : page.find(testid("probe-probabilities")).findElements(By.cssSelector(".probe-prob"))) {
      assertEquals(bar.getAttribute("data-recorded"), bar.getAttribute("data-edited"), "unchanged: the same distribution");
    }
    // done: the observation table again, no edit in the URL
    page.find(testid("edit-toggle")).click();
    browser.until("leaving edit mode drops the edit from the URL", d -> d.getCurrentUrl().endsWith("/s/" + flipStep));
    assertTrue(page.find(testid("observation-table")).isDisplayed());
  }

  @Test
  void aRefusedObservationShowsTheServersWords() {
    openEditing(cartpole, flipStep);
    type(page.find(testid("edit-field-2")), 9);
    WebElement error = browser.until("the refusal is shown", d -> {
      WebElement e = d.findElement(testid("probe-error"));
      return e.isDisplayed() && !e.getText().isEmpty() ? e : null;
    });
    assertTrue(error.getText().contains("element 2 (pole angle) = 9.0 is outside"), error.getText());
    assertEquals("error", page.find(testid("probe-status")).getAttribute("data-state"));
  }

  @Test
  void paintingOverTheBallInCatchChangesTheDistribution() throws Exception {
    JsonNode episode = steps(catchBall, 0);
    // a step where the ball is high and far to the side of the paddle: the policy follows it
    int step = -1;
    for (int s = 4; s < episode.get("infos").size() - 1 && step < 0; s++) {
      JsonNode info = episode.get("infos").get(s);
      if (Math.abs(info.get("ball_x").asInt() - info.get("paddle_x").asInt()) >= 20) {
        step = s;
      }
    }
    assertTrue(step >= 0, "a step with the ball far from the paddle");
    JsonNode info = episode.get("infos").get(step);
    int ballRow = info.get("ball_y").asInt() + Catch.BALL / 2;
    int ballCol = info.get("ball_x").asInt() + Catch.BALL / 2;

    openEditing(catchBall, step);
    WebElement tools = browser.until("the brush tools show", d -> {
      WebElement t = d.findElement(testid("brush-tools"));
      return t.isDisplayed() ? t : null;
    });
    new Select(tools.findElement(testid("brush-size"))).selectByValue("12");
    WebElement grey = tools.findElement(testid("brush-grey"));
    grey.sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(Catch.BACKGROUND_LIGHT));
    browser.until("the probe shows the recorded distribution", d -> "unchanged".equals(
        d.findElement(testid("probe-status")).getAttribute("data-state")));
    // the frame alone: the painted pixels are read off the canvas
    browser.until("the heatmap control shows", d -> d.findElement(testid("heat-toggle")).isDisplayed());
    page.find(testid("heat-toggle")).click();
    assertTrue(grey(page.canvas(), ballCol, ballRow) > 200, "the ball is drawn before painting");

    // a short stroke of the brush over the ball
    WebElement canvas = page.find(testid("scene-canvas"));
    int[] at = offset(canvas, ballCol, ballRow);
    new Actions(browser.driver()).moveToElement(canvas, at[0], at[1]).clickAndHold()
        .moveByOffset(1, 0).moveByOffset(0, 1).release().perform();
    browser.until("the edited distribution arrives", d -> "ready".equals(d.findElement(testid("probe-status")).getAttribute("data-state"))
        && d.getCurrentUrl().contains("?edit=") && !d.getCurrentUrl().endsWith("?edit="));
    browser.until("the scene draws the painted frame", d -> grey(page.canvas(), ballCol, ballRow) < 100);

    // the distribution shown is the server's answer for the observation the URL describes
    String url = browser.driver().getCurrentUrl();
    String text = URLDecoder.decode(url.substring(url.indexOf("?edit=") + 6), StandardCharsets.UTF_8);
    assertTrue(text.length() < 400, "a painted patch stays short in the URL: " + text.length() + " characters");
    Map<Integer, Double> changes = decode(text);
    assertEquals(Catch.BACKGROUND_LIGHT, changes.get((Catch.FRAMES - 1) * PIXELS + ballRow * Catch.SIZE + ballCol), 0,
        "the ball's centre in the latest frame is painted");
    JsonNode observation = episode.get("observations").get(step);
    double[] flat = flatten(observation);
    changes.forEach((i, v) -> flat[i] = v);
    JsonNode before = evaluate(catchBall, observation);
    JsonNode after = evaluate(catchBall, reshape(flat));
    List<WebElement> bars = page.find(testid("probe-probabilities")).findElements(By.cssSelector(".probe-prob"));
    assertEquals(3, bars.size());
    double largest = 0;
    for (int k = 0; k < 3; k++) {
      double shownBefore = Double.parseDouble(bars.get(k).getAttribute("data-recorded"));
      double shownAfter = Double.parseDouble(bars.get(k).getAttribute("data-edited"));
      assertEquals(before.get("probabilities").get(k).asDouble(), shownBefore, 1e-5);
      assertEquals(after.get("probabilities").get(k).asDouble(), shownAfter, 1e-5);
      largest = Math.max(largest, Math.abs(shownAfter - shownBefore));
    }
    assertTrue(largest > 0.1, "painting the ball out moves some action's probability by more than 0.1: " + largest);
    assertEquals("edited", page.find(By.cssSelector(".attribution-panel")).getAttribute("data-shows"));
  }

  // --- the page ---

  /** Opens {@code id}'s episode 0 at {@code step} and turns edit mode on. */
  private static void openEditing(String id, int step) {
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    browser.until("the step's row is loaded", d -> !d.findElements(By.cssSelector("[data-testid=observation-table] td.num")).isEmpty()
        && !d.findElement(By.cssSelector("[data-testid=observation-table] td.num")).getAttribute("textContent").isEmpty());
    page.find(testid("edit-toggle")).click();
    browser.until("the edit controls show", d -> d.findElement(testid("surgery-controls")).isDisplayed());
  }

  /** Types {@code value} into a number field as the user does (select all, type). */
  private static void type(WebElement field, double value) {
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), edit(value));
  }

  /** Waits until the probe shows {@code action} as the edited observation's greedy action. */
  private static void waitAction(String what, int action) {
    browser.until(what, d -> {
      List<WebElement> e = d.findElements(testid("probe-action"));
      return !e.isEmpty() && e.get(0).isDisplayed() && String.valueOf(action).equals(e.get(0).getAttribute("data-action"));
    });
  }

  /** A value as the viewer writes it into the URL (JavaScript's shortest form). */
  private static String edit(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** The offset from {@code canvas}'s centre of frame pixel (col, row): the frame fills the shorter side, centred. */
  private static int[] offset(WebElement canvas, int col, int row) {
    Dimension size = canvas.getSize();
    double side = Math.min(size.getWidth(), size.getHeight());
    return new int[] {(int) Math.round((col + 0.5 - Catch.SIZE / 2.0) * side / Catch.SIZE),
        (int) Math.round((row + 0.5 - Catch.SIZE / 2.0) * side / Catch.SIZE)};
  }

  private static int grey(BufferedImage img, int col, int row) {
    double side = Math.min(img.getWidth(), img.getHeight());
    int x = (int) Math.floor(img.getWidth() / 2.0 - side / 2 + (col + 0.5) * side / Catch.SIZE);
    int y = (int) Math.floor(img.getHeight() / 2.0 - side / 2 + (row + 0.5) * side / Catch.SIZE);
    int argb = img.getRGB(x, y);
    return (((argb >> 16) & 0xff) + ((argb >> 8) & 0xff) + (argb & 0xff)) / 3;
  }

  // --- the server, as the expected values ---

  private static JsonNode steps(String id, int episode) throws Exception {
    int rows = page.api("api/rollouts/" + id + "/episodes/" + episode).get("length").asInt() + 1;
    return page.api("api/rollouts/" + id + "/episodes/" + episode + "/steps?from=0&to=" + rows);
  }

  private static JsonNode evaluate(String id, JsonNode observation) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.set("observation", observation);
    return post("api/rollouts/" + id + "/evaluate", body);
  }

  private static JsonNode explain(String id, String query, JsonNode observation, int action, int step) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.set("observation", observation);
    body.put("action", action);
    body.put("step", step);
    return post("api/rollouts/" + id + "/attributions?" + query, body);
  }

  private static JsonNode post(String path, JsonNode body) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(page.base() + path)).timeout(Browser.WAIT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), path + ": " + res.body());
    return JSON.readTree(res.body());
  }

  private static int greedy(JsonNode evaluation) {
    assertNotNull(evaluation.get("action"));
    return evaluation.get("action").asInt();
  }

  private static JsonNode withElement(JsonNode observation, int index, double value) {
    ArrayNode copy = ((ArrayNode) observation).deepCopy();
    copy.set(index, JSON.getNodeFactory().numberNode(value));
    return copy;
  }

  /** The viewer's URL edit (edits.js): "i-j:v" ranges and "i:v1_v2" lists, comma-separated. */
  private static Map<Integer, Double> decode(String text) {
    Map<Integer, Double> out = new TreeMap<>();
    for (String run : text.split(",")) {
      String[] kv = run.split(":");
      String[] values = kv[1].split("_");
      if (kv[0].contains("-")) {
        String[] range = kv[0].split("-");
        for (int i = Integer.parseInt(range[0]); i <= Integer.parseInt(range[1]); i++) {
          out.put(i, Double.parseDouble(values[0]));
        }
      } else {
        for (int k = 0; k < values.length; k++) {
          out.put(Integer.parseInt(kv[0]) + k, Double.parseDouble(values[k]));
        }
      }
    }
    return out;
  }

  /** A Catch observation [2][84][84] flattened row-major. */
  private static double[] flatten(JsonNode observation) {
    double[] flat = new double[Catch.FRAMES * PIXELS];
    int i = 0;
    for (JsonNode frame : observation) {
      for (JsonNode row : frame) {
        for (JsonNode v : row) {
          flat[i++] = v.asDouble();
        }
      }
    }
    assertEquals(flat.length, i);
    return flat;
  }

  private static JsonNode reshape(double[] flat) {
    ArrayNode frames = JSON.createArrayNode();
    for (int f = 0; f < Catch.FRAMES; f++) {
      ArrayNode rows = frames.addArray();
      for (int r = 0; r < Catch.SIZE; r++) {
        ArrayNode row = rows.addArray();
        for (int c = 0; c < Catch.SIZE; c++) {
          row.add((int) flat[f * PIXELS + r * Catch.SIZE + c]);
        }
      }
    }
    return frames;
  }
}
