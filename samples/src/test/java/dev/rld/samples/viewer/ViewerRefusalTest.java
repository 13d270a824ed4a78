package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.api.Limits;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A server whose budget is 60 policy evaluations a request (CartPole's ablation: 5 a step, so 12
 * steps): the attribution panel's request for the episode is refused with a 413 naming maxSteps,
 * the panel says so in words and offers "compute 12 steps at a time", and that request succeeds.
 */
class ViewerRefusalTest {
  private static final long BUDGET = 60;

  @TempDir
  static Path tmp;
  private static ServedViewer viewer;
  private static ViewerPage page;
  private static String id;
  private static int rows;

  @BeforeAll
  static void start() throws Exception {
    Path file = ServedViewer.record(tmp, "cartpole", "CartPole-v1", "random", 1, 1);
    Policy policy = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_mlp.onnx"), Policy.Output.LOGITS);
    Limits defaults = Limits.defaults();
    Limits limits = defaults.withCost(BUDGET, defaults.maxPerturbedValues(), defaults.maxResultBytes(),
        defaults.maxResponseBytes());
    viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, policy).limits(limits));
    id = viewer.id();
    page = viewer.page();
    rows = viewer.rows(0);
    assertTrue(rows * 5 > BUDGET, "the episode is over the budget at once: " + rows + " rows");
  }

  @AfterAll
  static void stop() throws IOException {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void anOverBudgetRequestOffersFewerStepsAtATimeAndThatSucceeds() {
    int step = rows / 2;
    page.open("#/r/" + id + "/e/0/s/" + step);
    page.waitStep(step);
    WebElement fix = page.browser().until("the fix is offered", d -> {
      WebElement b = d.findElement(testid("attribution-fix"));
      return b.isDisplayed() ? b : null;
    });
    long maxSteps = BUDGET / 5;
    assertEquals("compute " + maxSteps + " steps at a time", fix.getText());
    String status = page.find(testid("attribution-status")).getText();
    assertTrue(status.contains("over the server's 60"), "the refusal in words: " + status);
    assertEquals("error", page.find(By.cssSelector(".attribution-panel")).getAttribute("data-state"));
    fix.click();
    page.browser().until("the smaller request is answered",
        ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
    assertEquals(4, page.browser().driver().findElements(
        By.cssSelector("[data-testid=attribution-table] tbody tr[data-feature]")).size(), "CartPole's four features");
    assertTrue(page.find(testid("attribution-cost")).getText().contains("× " + maxSteps + " steps"),
        page.find(testid("attribution-cost")).getText());
  }
}
