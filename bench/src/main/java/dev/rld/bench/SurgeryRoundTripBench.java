package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.cli.SamplesCli;
import dev.rld.samples.viewer.Browser;
import dev.rld.samples.viewer.ViewerPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import picocli.CommandLine;

/**
 * Observation surgery's round trip in headless Chromium: from an edit to the policy's new
 * distribution and the new attributions drawn, on a trained CartPole-v1 episode (actor-critic ONNX
 * policy; ablation, 5 policy evaluations per attribution) and a trained Catch-v0 episode (ONNX CNN;
 * occlusion, 401 evaluations). A CartPole edit types a pole angle into its field; a Catch edit is
 * one dab of the brush (8 × 8 pixels of both frames). Each figure is measured in the page: "edit →
 * drawn" from the input event until the probe says its answer is drawn (it includes the probe's
 * 150 ms debounce), "request → drawn" the probe's own figure (requests sent until both drawn).
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.SurgeryRoundTripBench [edits per env, default 20]}, from the repository root (the
 * CartPole model is read from models/cartpole).
 */
public final class SurgeryRoundTripBench {
  /**
   * Makes one edit (arguments[0]: 'field' types arguments[1] into the pole angle's field; 'brush'
   * dabs the brush at frame pixel arguments[1] = [col, row]) and answers [ms until the probe's
   * answer is drawn, ms until the next frame, the probe's request-to-drawn ms].
   */
  private static final String EDIT = """
      const [kind, arg, done] = arguments;
      const status = document.querySelector('[data-testid=probe-status]');
      const before = status.dataset.roundTripMs;
      const t0 = performance.now();
      if (kind === 'field') {
        const field = document.querySelector('[data-testid=edit-field-2]');
        field.value = String(arg);
        field.dispatchEvent(new Event('input', {bubbles: true}));
      } else {
        const canvas = document.querySelector('[data-testid=scene-canvas]');
        const r = canvas.getBoundingClientRect();
        const side = Math.min(r.width, r.height);
        const x = r.left + r.width / 2 + (arg[0] + 0.5 - 42) * side / 84;
        const y = r.top + r.height / 2 + (arg[1] + 0.5 - 42) * side / 84;
        for (const type of ['pointerdown', 'pointerup']) {
          canvas.dispatchEvent(new PointerEvent(type, {clientX: x, clientY: y, button: 0, pointerId: 1, bubbles: true}));
        }
      }
      const check = () => {
        if (status.dataset.state === 'ready' && status.dataset.roundTripMs !== before) {
          const drawn = performance.now() - t0;
          requestAnimationFrame(() => done([drawn, performance.now() - t0, Number(status.dataset.roundTripMs)]));
        } else {
          requestAnimationFrame(check);
        }
      };
      requestAnimationFrame(check);
      """;

  public static void main(String[] args) throws Exception {
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path work = Files.createTempDirectory("rld-surgery-bench");
    Path cartpole = record(work, "cartpole", "CartPole-v1", 1);
    Path catchBall = record(work, "catch", "Catch-v0", 3);
    Policy actorCritic = OnnxPolicy.load(Path.of("models/cartpole/cartpole_ac.onnx"), Policy.Output.LOGITS);
    try (RldServer server = RldServer.builder().recording(cartpole, actorCritic)
        .recording(catchBall, SamplePolicies.catchBall()).port(0).start();
        Browser browser = Browser.start(work)) {
      browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
      ViewerPage page = new ViewerPage(browser, server.url());
      System.out.println(browser.script("return navigator.userAgent;"));
      run(browser, page, server.ids().get(0), 40, "CartPole-v1 (pole angle typed; ablation)", edits,
          i -> List.of("field", (i % 2 == 0 ? -1 : 1) * (0.01 + 0.002 * i)));
      run(browser, page, server.ids().get(1), 10, "Catch-v0 (one 8x8 brush dab; occlusion)", edits,
          i -> List.of("brush", List.of(10 + (i * 7) % 64, 10 + (i * 11) % 60)));
    }
  }

  private static void run(Browser browser, ViewerPage page, String id, int step, String what, int edits,
      IntFunction<List<Object>> edit) {
    page.open("#/r/" + id + "/e/0/s/" + step + "?edit=");
    page.waitStep(step);
    browser.until("the recorded observation is evaluated", d -> "unchanged".equals(
        d.findElement(ViewerPage.testid("probe-status")).getAttribute("data-state")));
    double[][] ms = new double[3][edits];
    for (int i = 0; i < edits; i++) {
      List<Object> e = edit.apply(i);
      List<?> out = (List<?>) browser.driver().executeAsyncScript(EDIT, e.get(0), e.get(1));
      for (int k = 0; k < 3; k++) {
        ms[k][i] = ((Number) out.get(k)).doubleValue();
      }
    }
    for (double[] m : ms) {
      Arrays.sort(m);
    }
    System.out.printf(Locale.ROOT, "%s, %d edits:%n", what, edits);
    System.out.printf(Locale.ROOT, "  edit -> drawn (with the 150 ms debounce): median %.0f ms, p90 %.0f ms, max %.0f ms; next frame median %.0f ms%n",
        ViewerPlaybackBench.pct(ms[0], 50), ViewerPlaybackBench.pct(ms[0], 90), ms[0][edits - 1], ViewerPlaybackBench.pct(ms[1], 50));
    System.out.printf(Locale.ROOT, "  request -> distribution and attributions drawn: median %.0f ms, p90 %.0f ms, max %.0f ms%n",
        ViewerPlaybackBench.pct(ms[2], 50), ViewerPlaybackBench.pct(ms[2], 90), ms[2][edits - 1]);
  }

  /** One episode of env's trained agent, recorded with the samples CLI into {@code dir/NAME.arrow}. */
  static Path record(Path dir, String name, String env, long seed) {
    Path file = dir.resolve(name + ".arrow");
    int code = new CommandLine(new SamplesCli()).execute("record", "--env", env, "--agent", "trained",
        "--episodes", "1", "--seed", String.valueOf(seed), "--out", file.toString());
    if (code != 0) {
      throw new IllegalStateException("recording " + env + " failed: exit code " + code);
    }
    return file;
  }
}
