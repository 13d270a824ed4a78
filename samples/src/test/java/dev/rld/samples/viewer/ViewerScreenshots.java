package dev.rld.samples.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Catch;
import dev.rld.samples.envs.GridWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Not a test: screenshots of the episode page at 1400×900 for Catch, the grid world and CartPole,
 * to look at (target/screens/*.png). Run it alone: {@code -Dtest=ViewerScreenshots} (its name
 * keeps it out of the ordinary test run).
 */
class ViewerScreenshots {
  @TempDir
  Path tmp;

  @Test
  void screenshots() throws Exception {
    Path out = Path.of("target", "screens");
    Files.createDirectories(out);
    shoot(ServedViewer.record(tmp, "catch", Catch.ID, "trained", 1, 3), SamplePolicies.catchBall(), 20, out.resolve("catch.png"));
    shoot(ServedViewer.record(tmp, "gridworld", GridWorld.ID, "trained", 1, 1), SamplePolicies.gridWorld(), 3, out.resolve("gridworld.png"));
    Policy cartpole = OnnxPolicy.load(Path.of("../models/cartpole/cartpole_mlp.onnx"), Policy.Output.LOGITS);
    shoot(ServedViewer.record(tmp, "cartpole", "CartPole-v1", "random", 1, 1), cartpole, 7, out.resolve("cartpole.png"));
  }

  private void shoot(Path file, Policy policy, int step, Path png) throws Exception {
    try (ServedViewer viewer = ServedViewer.start(tmp, RldServer.builder().recording(file, policy))) {
      viewer.browser().driver().manage().window().setSize(new Dimension(1400, 900));
      JsonNode episodes = viewer.page().api("api/rollouts/" + viewer.id() + "/episodes");
      int at = Math.min(step, episodes.get(0).get("length").asInt() - 1);
      viewer.page().open("#/r/" + viewer.id() + "/e/0/s/" + at);
      viewer.page().waitStep(at);
      viewer.browser().until("the attribution panel is ready",
          ExpectedConditions.attributeToBe(By.cssSelector(".attribution-panel"), "data-state", "ready"));
      Thread.sleep(1500);
      Files.write(png, viewer.browser().driver().getScreenshotAs(OutputType.BYTES));
      String name = png.getFileName().toString().replace(".png", "");
      for (String[] part : new String[][] {{".attribution-panel", "-attribution"}, {"[data-testid=attribution-plot]", "-plot"}}) {
        viewer.browser().script("document.querySelector(arguments[0]).scrollIntoView()", part[0]);
        Thread.sleep(300);
        Files.write(png.resolveSibling(name + part[1] + ".png"), viewer.browser().driver().getScreenshotAs(OutputType.BYTES));
      }
    }
  }
}
