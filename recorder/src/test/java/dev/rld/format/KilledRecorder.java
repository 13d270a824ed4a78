package dev.rld.format;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.testing.LineWalk;
import java.nio.file.Path;

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
        RolloutWriter.builder(out).flushEverySteps(FLUSH_EVERY));
    for (long seed = 0; ; seed++) {
      record(env, seed);
      System.out.println("flushed episode " + seed);
      System.out.flush();
    }
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
