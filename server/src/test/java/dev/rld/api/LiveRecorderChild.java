package dev.rld.api;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.testing.LineWalk;
import java.nio.file.Path;

/**
 * The child JVM of {@link LiveServeTest}: records short LineWalk episodes slowly, in small
 * batches, forever (until killed), and says on stdout when each episode has been flushed.
 */
public final class LiveRecorderChild {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    long stepMillis = Long.parseLong(args[1]);
    var env = new RecordingEnv<>(new LineWalk(40), RolloutWriter.builder(out).flushEverySteps(8));
    for (long seed = 0; ; seed++) {
      float[] obs = env.reset(seed).observation();
      Step<float[]> step;
      do {
        step = env.step(obs[0] + 3 * obs[1] > 0 ? 0 : 2);
        obs = step.observation();
        Thread.sleep(stepMillis);
      } while (!step.done());
      System.out.println("flushed episode " + seed);
      System.out.flush();
    }
  }
}
