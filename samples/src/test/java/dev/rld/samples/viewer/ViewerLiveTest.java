package dev.rld.samples.viewer;

import static dev.rld.samples.viewer.ViewerPage.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.api.RldServer;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * A recording written while the viewer shows it, in a real headless Chromium and without a page
 * reload: the start page's counts and episode table take new episodes, the episode page's
 * timeline grows with the episode being recorded, "follow" moves on to the newest episode, and
 * the badge turns from live to finished when the recorder closes the file.
 */
class ViewerLiveTest {
  @TempDir Path dir;

  @Test
  void followsARecordingAsItIsWritten() throws Exception {
    Path file = dir.resolve("run.arrow");
    // Every episode end and every 5 steps reach the file at once.
    RecordingEnv<float[], Integer> env = new RecordingEnv<>(new CartPole(),
        RolloutWriter.builder(file).flushEverySteps(5).minBatchRows(1).flushInterval(Duration.ofMillis(50)));
    try (env) {
      for (long seed = 0; seed < 3; seed++) {
        playEpisode(env, seed);
      }
      try (ServedViewer viewer = ServedViewer.start(dir, RldServer.builder().recording(file))) {
        ViewerPage page = viewer.page();
        String id = viewer.id();
        page.open("#/");
        viewer.browser().script("window.rldNoReload = true;");
        waitTotal(viewer, 3);
        assertEquals("live", page.find(testid("live-state")).getText());

        playEpisode(env, 3);
        playEpisode(env, 4);
        waitTotal(viewer, 5);
        viewer.browser().until("the recordings table counts 5 episodes", d -> d.findElement(
            By.cssSelector("[data-testid=rollouts-table] tbody tr td:nth-child(3)")).getText().equals("5"));
        assertEquals(Boolean.TRUE, viewer.browser().script("return window.rldNoReload === true;"), "no reload");

        // An episode being recorded: its first 10 steps, then 20 more while the page is open.
        float[] obs = env.reset(5L).observation();
        obs = steps(env, obs, 10);
        env.writer().flush(); // a pause: what was recorded goes to the file now
        waitTotal(viewer, 6); // the episode being recorded counts as soon as its rows are on disk
        page.open("#/r/" + id + "/e/5/s/0");
        page.waitStep(0);
        viewer.browser().script("window.rldNoReload = true;");
        viewer.browser().until("the timeline shows the 10 recorded steps", d -> lastStep(page) == 9);
        assertEquals("live", page.find(testid("live-state")).getText());
        steps(env, obs, 20);
        env.writer().flush();
        viewer.browser().until("the timeline grows to 30 steps", d -> lastStep(page) == 29);
        page.scrubTo(25);
        page.waitStep(25);

        // Follow: play to the end of this episode, then the newest one.
        page.find(testid("follow-live")).click();
        env.writer().endEpisode();
        playEpisode(env, 6);
        // read in the page: the episode page is rebuilt under the test's feet as it jumps
        viewer.browser().until("following opens the newest episode", d -> "6".equals(viewer.browser().script(
            "return document.querySelector('[data-testid=episode-search]')?.dataset.episode ?? null;")));
        assertEquals(Boolean.TRUE, viewer.browser().script("return window.rldNoReload === true;"), "no reload");

        env.close();
        viewer.browser().until("the badge says finished",
            d -> "finished".equals(viewer.browser().script(
                "return document.querySelector('[data-testid=live-state]')?.textContent ?? null;")));
      }
    }
  }

  private static void waitTotal(ServedViewer viewer, int episodes) {
    viewer.browser().until("the episode table counts " + episodes + " episodes", d -> String.valueOf(episodes)
        .equals(d.findElement(testid("episode-total")).getAttribute("data-total")));
  }

  private static int lastStep(ViewerPage page) {
    String label = page.find(testid("step-label")).getText(); // "step 0 / 29"
    return Integer.parseInt(label.substring(label.indexOf('/') + 1).trim());
  }

  /** A whole episode of a balancing controller, reset with {@code seed}. */
  private static void playEpisode(RecordingEnv<float[], Integer> env, long seed) {
    float[] obs = env.reset(seed).observation();
    Step<float[]> s;
    int t = 0;
    do {
      s = env.step(obs[2] + obs[3] > 0 ? 1 : 0);
      obs = s.observation();
    } while (!s.done() && ++t < 40);
    if (!s.done()) {
      try {
        env.writer().endEpisode();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static float[] steps(RecordingEnv<float[], Integer> env, float[] obs, int n) {
    for (int t = 0; t < n; t++) {
      obs = env.step(obs[2] + obs[3] > 0 ? 1 : 0).observation();
    }
    return obs;
  }
}
