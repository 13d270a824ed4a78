package dev.rld.samples.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.api.RldServer;
import dev.rld.samples.cli.SamplesCli;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The end-to-end tests' fixture: a real server on a free port with the recordings given, and a
 * headless Chromium on its viewer; closing stops both (the browser first).
 */
final class ServedViewer implements AutoCloseable {
  private final RldServer server;
  private final Browser browser;
  private final ViewerPage page;

  private ServedViewer(RldServer server, Browser browser) {
    this.server = server;
    this.browser = browser;
    this.page = new ViewerPage(browser, server.url());
  }

  /**
   * Records {@code episodes} episodes of {@code agent} in {@code env} (episode i reset with seed
   * {@code seed + i}) with the samples CLI, as a user would, to {@code dir/NAME.arrow}.
   */
  static Path record(Path dir, String name, String env, String agent, int episodes, long seed) {
    Path file = dir.resolve(name + ".arrow");
    int code = new CommandLine(new SamplesCli()).execute("record", "--env", env, "--agent", agent,
        "--episodes", String.valueOf(episodes), "--seed", String.valueOf(seed), "--out", file.toString());
    assertEquals(0, code, "recording " + env + " with agent " + agent);
    return file;
  }

  /** Starts {@code server} on a free port and a browser (working files in {@code dir}). */
  static ServedViewer start(Path dir, RldServer.Builder server) throws IOException {
    RldServer started = server.port(0).start();
    try {
      return new ServedViewer(started, Browser.start(dir));
    } catch (IOException | RuntimeException e) {
      started.close();
      throw e;
    }
  }

  RldServer server() {
    return server;
  }

  Browser browser() {
    return browser;
  }

  ViewerPage page() {
    return page;
  }

  /** The first served recording's id. */
  String id() {
    return server.ids().get(0);
  }

  /** The number of rows (steps + 1) of episode {@code episode} of the first recording. */
  int rows(int episode) throws IOException, InterruptedException {
    return page.api("api/rollouts/" + id() + "/episodes/" + episode).get("length").asInt() + 1;
  }

  /** Column {@code column} (e.g. "observations", "infos") of every row of an episode, from the JSON API. */
  JsonNode column(int episode, String column) throws IOException, InterruptedException {
    return page.api("api/rollouts/" + id() + "/episodes/" + episode + "/steps?from=0&to=" + rows(episode)).get(column);
  }

  @Override
  public void close() throws IOException {
    try {
      browser.close();
    } finally {
      server.close();
    }
  }
}
