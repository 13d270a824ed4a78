package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The viewer in a real headless Chromium (through chromedriver), against a real server serving
 * a CartPole recording with the sample ONNX policy: start page, scene drawing, stepping,
 * scrubbing, episode picker (search box), deep links, and the attribution table against the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerEndToEndTest {
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static Browser browser;
  private static ViewerPage page;
  private static String id;
  private static JsonNode episodes;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "random", 3, 1);
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_mlp.onnx"), Policy.Output.LOGITS);
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, policy));
    id = viewer.id();
    browser = viewer.browser();
    page = viewer.page();
    episodes = page.api("api/rollouts/" + id + "/episodes").get("episodes");
    assertEquals(3, episodes.size());
    assertTrue(episodes.get(1).get("length").asInt() > 7, "episode 1 is long enough for the deep link to step 7");
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  @Order(1)
  void theStartPageListsTheRecordingAndItsEpisodes() {
    page.open("#/");
    WebElement rollouts = browser.until("the recordings are listed",
        ExpectedConditions.visibilityOfElementLocated(testid("rollouts-table")));
    assertTrue(rollouts.findElement(By.linkText(id)).isDisplayed(), "the recording is listed");
    List<WebElement> rows = browser.until("three episodes are listed", d -> {
      List<WebElement> r = d.findElements(By.cssSelector("[data-testid=episode-table] tbody tr"));
      return r.size() == 3 ? r : null;
    });
    for (int e = 0; e < 3; e++) {
      WebElement link = rows.get(e).findElement(By.tagName("a"));
      assertEquals("episode " + e, link.getText());
      assertTrue(link.getAttribute("href").endsWith("#/r/" + id + "/e/" + e + "/s/0"), link.getAttribute("href"));
      assertEquals(episodes.get(e).get("length").asText(), rows.get(e).findElements(By.tagName("td")).get(1).getText());
    }
  }

  @Test
  @Order(2)
  void theSceneDrawsAndSteppingChangesLabelAndFrame() {
    page.open("#/r/" + id + "/e/0/s/0");
    page.waitStep(0);
    BufferedImage first = page.waitDrawn();
    int distinct = Frames.distinctColours(first);
    assertTrue(distinct > 8, "the scene has more than a few colours: " + distinct);
    assertTrue(Frames.nonBackground(first) > first.getWidth() * first.getHeight() / 200,
        "the scene draws more than a few pixels");

    // the step-forward button
    page.find(By.cssSelector("button[data-act=forward]")).click();
    page.waitStep(1);
    BufferedImage second = page.waitFrameChangedFrom(first);
    assertTrue(browser.driver().getCurrentUrl().endsWith("/e/0/s/1"), browser.driver().getCurrentUrl());

    // the → key
    new Actions(browser.driver()).sendKeys(Keys.ARROW_RIGHT).perform();
    page.waitStep(2);
    page.waitFrameChangedFrom(second);
    assertTrue(browser.driver().getCurrentUrl().endsWith("/e/0/s/2"), browser.driver().getCurrentUrl());
  }

  @Test
  @Order(3)
  void scrubbingMovesToTheStepAndThePickerSwitchesEpisode() {
    page.open("#/r/" + id + "/e/0/s/0");
    page.waitStep(0);
    int to = Math.min(5, episodes.get(0).get("length").asInt());
    page.scrubTo(to);
    page.waitStep(to);
    browser.until("the URL follows the slider", ExpectedConditions.urlMatches("/e/0/s/" + to + "$"));

    page.pickEpisode(2);
    browser.until("the picker opens episode 2", ExpectedConditions.urlMatches("/e/2/s/0$"));
    int rows2 = episodes.get(2).get("length").asInt() + 1;
    browser.until("the timeline spans episode 2",
        ExpectedConditions.textToBe(testid("step-label"), "step 0 / " + (rows2 - 1)));
    assertEquals(2, page.pickedEpisode());
  }

  @Test
  @Order(4)
  void aDeepLinkOpensAtItsEpisodeAndStepAndTheAttributionTableMatchesTheApi() throws Exception {
    page.open("#/r/" + id + "/e/1/s/7");
    int rows = episodes.get(1).get("length").asInt() + 1;
    browser.until("the deep link's step", ExpectedConditions.textToBe(testid("step-label"), "step 7 / " + (rows - 1)));
    assertEquals(1, page.pickedEpisode());

    var observed = page.flatObservation(id, 1, 7);
    assertEquals(4, observed.size(), "CartPole has four observation features");
    AttributionTable.assertMatchesApi(page, id, 1, 7, rows, observed);

    // a screenshot of the episode page, as a build artefact
    Path png = Path.of("target", "viewer-e2e.png");
    Files.createDirectories(png.getParent());
    Files.write(png, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(png) > 0, png + " is written");
    assertNotNull(ImageIO.read(png.toFile()), png + " is a PNG");
  }
}
