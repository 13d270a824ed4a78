package dev.rld.format;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.testing.LineWalk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link CrashRecoveryTest}: records balanced LineWalk episodes forever and
 * says on stdout when each one has been flushed, until the test kills it with SIGKILL.
 */
public final class KilledRecorder {
  static final int MAX_STEPS = 300;
  static final int FLUSH_EVERY = 16;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    var env = new RecordingEnv<>(new LineWalk(MAX_STEPS),
        options(RolloutWriter.builder(out)));
    for (long seed = 0; ; seed++) {
      record(env, seed);
      System.out.println("flushed episode " + seed);
      System.out.flush();
    }
  }

  /**
   * Batches at every episode end and every {@link #FLUSH_EVERY} steps only, never by time, so
   * that what a kill loses is known exactly.
   */
  static RolloutWriter.Builder options(RolloutWriter.Builder b) {
    return b.flushEverySteps(FLUSH_EVERY).minBatchRows(1).flushInterval(Duration.ofDays(1));
  }

  /**
   * Runs this recorder in a child JVM writing {@code out}, kills it with SIGKILL in the middle of
   * an episode after it flushed {@code episodes} episodes, and returns how many it said it flushed.
   */
  static int killAfter(Path out, int episodes) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), KilledRecorder.class.getName(), out.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int flushed = -1;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      while ((line = lines.readLine()) != null && flushed < episodes - 1) {
        flushed = Integer.parseInt(line.substring("flushed episode ".length()));
      }
      Thread.sleep(30); // into the middle of a later episode
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no footer
      if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 137) {
        throw new IllegalStateException("the recorder did not die of SIGKILL");
      }
    }
    return flushed + 1;
  }

  /** One episode with seed {@code seed}; the same steps in the child and in the test. */
  static void record(RecordingEnv<float[], Integer> env, long seed) {
    float[] obs = env.reset(seed).observation();
    Step<float[]> step;
    do {
      step = env.step(obs[0] + 3 * obs[1] > 0 ? 0 : 2);
      obs = step.observation();
    } while (!step.done());
  }
}
