package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.api.RldServer;
import dev.rld.format.MinariFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Minari datasets written by h5py (Minari's HDF5 layout) served as they are and opened in a real
 * headless Chromium: the CartPole dataset's episode shows the step's observation as the writer
 * wrote it and how the episode ended, and the JPEG image dataset draws its decoded frames.
 */
class ViewerMinariTest {
  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static ViewerPage page;
  private static JsonNode truth;

  @BeforeAll
  static void start() throws Exception {
    Path root = tmp.resolve("datasets");
    MinariFixtures.writeHdf5(root);
    Path cartpole = root.resolve("cartpole/expert-v0");
    truth = new ObjectMapper().readTree(cartpole.resolve("truth.json").toFile());
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(cartpole).recording(root.resolve("pixels/jpeg-v0")));
    page = viewer.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void theCartPoleDatasetShowsTheWritersObservationsAndEnding() {
    List<String> ids = viewer.server().ids();
    assertEquals(List.of("expert-v0", "jpeg-v0"), ids);
    page.open("#/r/expert-v0/e/0/s/3");
    page.waitStep(3);
    JsonNode obs = truth.get("episodes").get(0).get("observations").get(3);
    List<WebElement> values = viewer.browser().until("the observation panel's values", d -> {
      List<WebElement> v = d.findElements(By.cssSelector("[data-testid=observation-table] td.num"));
      return v.size() == 4 && !v.get(0).getText().isBlank() ? v : null;
    });
    for (int i = 0; i < 4; i++) {
      assertEquals(obs.get(i).asDouble(), Double.parseDouble(values.get(i).getText()), 1e-4, "feature " + i);
    }
    String head = page.find(By.cssSelector(".wb-head")).getText();
    assertTrue(head.contains("expert-v0") && head.contains("CartPole-v1"), head);
    assertTrue(head.contains("terminated"), "episode 0 of the fixture terminates: " + head);
    page.waitDrawn();
  }

  @Test
  void theJpegDatasetDrawsItsDecodedFrames() {
    page.open("#/r/jpeg-v0/e/0/s/1");
    page.waitStep(1);
    var frame = page.waitDrawn();
    // the frames are not blank: many distinct colours on the scene's canvas
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < frame.getHeight(); y += 7) {
      for (int x = 0; x < frame.getWidth(); x += 7) {
        colours.add(frame.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 20, "the decoded image is drawn: " + colours.size() + " colours");
    assertTrue(page.find(testid("step-label")).getText().startsWith("step 1 /"));
  }
}
