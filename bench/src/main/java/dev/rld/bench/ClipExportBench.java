package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.viewer.Browser;
import dev.rld.samples.viewer.ViewerPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.Dimension;

/**
 * Clip export in headless Chromium at 1400×900: a whole trained CartPole-v1 episode (501 frames)
 * and a whole Catch-v0 episode (38 frames, with the occlusion heatmap the scene draws, so each
 * window of steps waits for its attributions) as WebM (VP9) and GIF, through the viewer's form
 * as a user exports them. Prints frames, seconds, frames per second and bytes.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.ClipExportBench}, from the repository root (the CartPole model is read from
 * models/cartpole).
 */
public final class ClipExportBench {
  /** Exports steps 0…last as arguments[0] and answers [ms, frames, bytes, codec, message]. */
  private static final String EXPORT = """
      const [format, done] = arguments;
      const $ = (id) => document.querySelector(`[data-testid=${id}]`);
      const form = $('clip-dialog');
      if (form.hidden) $('clip-button').click();
      $('clip-format').value = format;
      $('clip-format').dispatchEvent(new Event('input', {bubbles: true}));
      form.querySelector('[data-range=all]').click();
      const t0 = performance.now();
      $('clip-export').click();
      const check = () => {
        if (form.dataset.state === 'done' || form.dataset.state === 'error') {
          const a = $('clip-download');
          done([performance.now() - t0, Number(a.dataset.frames || 0), Number(a.dataset.bytes || 0), a.dataset.codec || '',
              $('clip-message').textContent]);
        } else {
          setTimeout(check, 50);
        }
      };
      setTimeout(check, 50);
      """;

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("rld-clip-bench");
    Path cartpole = SurgeryRoundTripBench.record(work, "cartpole", "CartPole-v1", 1);
    Path catchBall = SurgeryRoundTripBench.record(work, "catch", "Catch-v0", 3);
    Policy actorCritic = OnnxPolicy.load(Path.of("models/cartpole/cartpole_ac.onnx"), Policy.Output.LOGITS);
    try (RldServer server = RldServer.builder().recording(cartpole, actorCritic)
        .recording(catchBall, SamplePolicies.catchBall()).port(0).start();
        Browser browser = Browser.start(work)) {
      browser.driver().manage().window().setSize(new Dimension(1400, 900));
      browser.driver().manage().timeouts().scriptTimeout(java.time.Duration.ofMinutes(10));
      ViewerPage page = new ViewerPage(browser, server.url());
      for (String id : server.ids()) {
        for (String format : List.of("webm", "gif")) {
          page.open("#/r/" + id + "/e/0/s/0");
          page.waitStep(0);
          List<?> out = (List<?>) browser.driver().executeAsyncScript(EXPORT, format);
          double ms = ((Number) out.get(0)).doubleValue();
          long frames = ((Number) out.get(1)).longValue();
          long bytes = ((Number) out.get(2)).longValue();
          System.out.printf(Locale.ROOT, "%s %s (%s): %d frames in %.1f s = %.1f frames/s, %.1f ms/frame, %d kB; %s%n",
              id, format, out.get(3), frames, ms / 1000, frames * 1000 / ms, ms / Math.max(1, frames), bytes / 1024, out.get(4));
        }
      }
    }
  }
}
