package dev.rld.bench;

import dev.rld.api.RldServer;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.viewer.Browser;
import dev.rld.samples.viewer.ViewerPage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The start page and the episode page on recordings of many short episodes, in headless
 * Chromium: from navigation to the first episode row drawn, to the overview chart drawn, and
 * the middle episode's page from navigation to its first frame (the observation panel filled,
 * which the episode page does right after drawing the scene). Medians of a few fresh loads.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.StartPageBench [episodes ..., default 3 100000 1000000] [loads, default 5]}.
 * Recordings of random CartPole episodes are made once in the temp directory.
 */
public final class StartPageBench {
  /** Marks, in ms since navigation, when the first row, the overview and the first frame appear. */
  private static final String MARKS = """
      window.__rld_marks = {};
      const marks = window.__rld_marks;
      const seen = (name, selector) => {
        if (!marks[name] && document.querySelector(selector)) marks[name] = performance.now();
      };
      new MutationObserver(() => {
        seen('row', '[data-testid="episode-table"] tbody tr');
        seen('overview', '[data-testid="overview-chart"][data-drawn="true"]');
        seen('frame', '[data-testid="observation-table"] tbody tr');
      }).observe(document, {subtree: true, childList: true, attributes: true});
      """;

  public static void main(String[] args) throws Exception {
    int loads = 5;
    int[] sizes = {3, 100_000, 1_000_000};
    if (args.length > 0) {
      sizes = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    }
    if (args.length > 1) {
      loads = Integer.parseInt(args[1]);
    }
    Path work = Files.createTempDirectory("rld-start-page-bench");
    try (Browser browser = Browser.start(work)) {
      browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", MARKS));
      System.out.println("episodes, first row ms, overview ms, middle episode's first frame ms (medians of "
          + loads + " loads)");
      for (int episodes : sizes) {
        Path file = recording(episodes);
        try (RldServer server = RldServer.builder().recording(file).port(0).start()) {
          ViewerPage page = new ViewerPage(browser, server.url());
          String id = server.ids().get(0);
          double[] row = new double[loads];
          double[] overview = new double[loads];
          double[] frame = new double[loads];
          for (int i = 0; i < loads; i++) {
            page.open("#/");
            row[i] = mark(browser, "row");
            overview[i] = mark(browser, "overview");
            page.open("#/r/" + id + "/e/" + episodes / 2 + "/s/0");
            frame[i] = mark(browser, "frame");
          }
          System.out.printf(Locale.ROOT, "%,d, %.0f, %.0f, %.0f%n", episodes, median(row), median(overview),
              median(frame));
          String episodesRoute = server.url() + "api/rollouts/" + id + "/episodes?limit=200&";
          System.out.printf(Locale.ROOT, "  API ms: sort=return first %.0f, again %.0f; return range filter %.0f%n",
              millis(episodesRoute + "sort=return&order=desc"), millis(episodesRoute + "sort=return&order=desc&offset=200"),
              millis(episodesRoute + "minReturn=30&maxReturn=40&offset=1000"));
        }
      }
    }
  }

  private static double mark(Browser browser, String name) {
    return browser.until(name + " drawn", d -> {
      Object v = browser.script("return window.__rld_marks && window.__rld_marks[arguments[0]];", name);
      return v == null ? null : ((Number) v).doubleValue();
    });
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The time of one GET of {@code url}, which must answer 200. */
  static double millis(String url) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** {@code episodes} random CartPole episodes (seeds 0, 1, …), recorded once in the temp directory. */
  static Path recording(int episodes) throws Exception {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "rld-bench-episodes-" + episodes + ".arrow");
    if (!Files.exists(file)) {
      Path partial = Path.of(file + ".partial");
      long t0 = System.nanoTime();
      SplittableRandom rng = new SplittableRandom(7);
      try (var env = new RecordingEnv<>(new CartPole(), RolloutWriter.builder(partial))) {
        for (long seed = 0; seed < episodes; seed++) {
          env.reset(seed);
          Step<float[]> s;
          do {
            s = env.step(rng.nextInt(2));
          } while (!s.done());
        }
      }
      Files.move(partial, file);
      System.out.printf(Locale.ROOT, "recorded %,d episodes in %.1f s (%,d bytes)%n", episodes,
          (System.nanoTime() - t0) / 1e9, Files.size(file));
    }
    return file;
  }
}
