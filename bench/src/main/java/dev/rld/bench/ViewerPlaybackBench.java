package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.viewer.Browser;
import dev.rld.samples.viewer.LongEpisode;
import dev.rld.samples.viewer.ViewerPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The viewer's smoothness on a 100 000-step CartPole episode, in headless Chromium (WebGL on
 * SwiftShader, i.e. on the CPU): frame times while playing at 8× (intervals between
 * requestAnimationFrame callbacks, from the first frame after pressing play), the main thread's
 * long tasks meanwhile, and the time from a scrub to the scrubbed-to row drawn, for rows whose
 * chunk is not loaded yet (cold) and for rows already loaded (warm).
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.ViewerPlaybackBench [playback seconds, default 20] [scrubs of each kind, default 20]}.
 * The recording is made once in the temp directory.
 */
public final class ViewerPlaybackBench {
  static final int STEPS = 100_000;

  /** Records rAF timestamps and long tasks in the page until __rld_bench.stop(). */
  private static final String RECORD_FRAMES = """
      const b = window.__rld_bench = {frames: [], longTasks: [], on: true};
      const tick = (t) => { if (!b.on) return; b.frames.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      try {
        b.observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => b.longTasks.push(e.duration)));
        b.observer.observe({type: 'longtask'});
      } catch (e) { /* no long task timing */ }
      b.stop = () => { b.on = false; if (b.observer) b.observer.disconnect(); };
      """;

  /**
   * Moves the slider to arguments[0] as a drag does and answers [ms until the row is drawn, ms
   * until the next animation frame]: the page draws the scene and then fills the observation
   * panel in one go (pages/episode.js), so the panel's change marks the frame rendered.
   */
  private static final String SCRUB = """
      const [target, done] = arguments;
      const slider = document.querySelector('[data-testid="timeline-slider"]');
      const panel = document.querySelector('[data-testid="observation-table"] tbody');
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        observer.disconnect();
        const drawn = performance.now() - t0;
        requestAnimationFrame(() => done([drawn, performance.now() - t0]));
      });
      observer.observe(panel, {subtree: true, childList: true, characterData: true});
      slider.value = String(target);
      slider.dispatchEvent(new Event('input', {bubbles: true}));
      """;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int scrubs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path file = recording();
    Path work = Files.createTempDirectory("rld-viewer-bench");
    try (RldServer server = RldServer.builder().recording(file, SamplePolicies.cartPole()).viewer("cartpole")
        .port(0).start();
        Browser browser = Browser.start(work)) {
      ViewerPage page = new ViewerPage(browser, server.url());
      String id = server.ids().get(0);
      System.out.println(browser.script("return navigator.userAgent;"));
      page.open("#/r/" + id + "/e/0/s/0");
      browser.script("performance.setResourceTimingBufferSize(100000);");
      page.waitStep(0);
      page.waitDrawn();

      // 8x playback, as a user starts it right after the page opens (chunks still arriving)
      new Select(page.find(By.cssSelector("select[data-act=speed]"))).selectByValue("8");
      browser.script(RECORD_FRAMES);
      page.find(By.cssSelector("[data-testid=play-button]")).click();
      Thread.sleep(seconds * 1000L);
      browser.script("window.__rld_bench.stop();");
      page.find(By.cssSelector("[data-testid=play-button]")).click();
      double[] frames = doubles(browser.script("return window.__rld_bench.frames;"));
      double[] longTasks = doubles(browser.script("return window.__rld_bench.longTasks;"));
      int reached = page.step();
      double[] intervals = new double[frames.length - 1];
      for (int i = 1; i < frames.length; i++) {
        intervals[i - 1] = frames[i] - frames[i - 1];
      }
      Arrays.sort(intervals);
      long slow = Arrays.stream(intervals).filter(v -> v > 50).count();
      System.out.printf(Locale.ROOT, "playback 8x for %d s: %d frames (%.1f fps), reached step %d%n",
          seconds, intervals.length, intervals.length / (seconds * 1.0), reached);
      System.out.printf(Locale.ROOT, "frame interval ms: median %.1f, p95 %.1f, p99 %.1f, max %.1f; > 50 ms: %d (%.2f %%)%n",
          pct(intervals, 50), pct(intervals, 95), pct(intervals, 99), intervals[intervals.length - 1],
          slow, 100.0 * slow / intervals.length);
      System.out.printf(Locale.ROOT, "long tasks (> 50 ms) during playback: %d, %.0f ms in all%n",
          longTasks.length, Arrays.stream(longTasks).sum());

      // scrubs to rows loaded already (the background loader fetched rows 0 to 50 000), first:
      // the cache keeps 64 chunks, and the cold scrubs below would push these out
      List<Integer> warm = new ArrayList<>();
      for (int i = 0; i < scrubs; i++) {
        warm.add(1000 + (i * 1999) % 45_000);
      }
      report("scrub to a loaded row", scrub(browser, page, warm));
      // then to rows whose chunks were never fetched (playback did not get past 50 000), two
      // chunks apart so that the chunk prefetched after each one is not hit
      List<Integer> cold = new ArrayList<>();
      for (int i = 0; i < scrubs; i++) {
        cold.add(STEPS - 1 - i * 2000 - (i * 337) % 1000);
      }
      report("scrub to an unloaded row", scrub(browser, page, cold));
    }
  }

  private static double[][] scrub(Browser browser, ViewerPage page, List<Integer> targets) {
    double[][] out = new double[2][targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      double[] ms = doubles(browser.driver().executeAsyncScript(SCRUB, targets.get(i)));
      page.waitStep(targets.get(i));
      out[0][i] = ms[0];
      out[1][i] = ms[1];
    }
    return out;
  }

  private static void report(String what, double[][] ms) {
    Arrays.sort(ms[0]);
    Arrays.sort(ms[1]);
    System.out.printf(Locale.ROOT, "%s (%d): row drawn median %.1f ms, max %.1f ms; next frame median %.1f ms, max %.1f ms%n",
        what, ms[0].length, pct(ms[0], 50), ms[0][ms[0].length - 1], pct(ms[1], 50), ms[1][ms[1].length - 1]);
  }

  /** The {@code p}-th percentile of sorted values (nearest rank). */
  static double pct(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double[] doubles(Object list) {
    return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  /** The 100 000-step episode, recorded once in the temp directory. */
  static Path recording() throws Exception {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "rld-bench-viewer-" + STEPS + ".arrow");
    if (!Files.exists(file)) {
      Path partial = Path.of(file + ".partial");
      LongEpisode.record(partial, STEPS, LongEpisode.LASTING_SEED);
      Files.move(partial, file);
    }
    return file;
  }
}
