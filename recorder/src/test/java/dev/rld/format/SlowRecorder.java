package dev.rld.format;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.testing.LineWalk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link FlushIntervalTest}: records one very long LineWalk episode a step
 * every {@value #STEP_MILLIS} ms, far too slowly for any row threshold, with a flush interval of
 * {@value #INTERVAL_MILLIS} ms, and prints the number of steps done after each step.
 */
public final class SlowRecorder {
  static final int STEP_MILLIS = 5;
  static final int INTERVAL_MILLIS = 200;

  public static void main(String[] args) throws Exception {
    var env = new RecordingEnv<>(new LineWalk(1_000_000), RolloutWriter.builder(Path.of(args[0]))
        .flushInterval(Duration.ofMillis(INTERVAL_MILLIS)));
    float[] obs = env.reset(0L).observation();
    for (long steps = 1; ; steps++) {
      Step<float[]> step = env.step(obs[0] + 3 * obs[1] > 0 ? 0 : 2);
      obs = step.done() ? env.reset(steps).observation() : step.observation();
      System.out.println(steps);
      System.out.flush();
      Thread.sleep(STEP_MILLIS);
    }
  }

  /**
   * Runs this recorder in a child JVM writing {@code out}, kills it with SIGKILL {@code runMillis}
   * after its first step, and returns, for each step it reported, when the test read the report
   * (System.nanoTime), followed by the kill time as the last element.
   */
  static List<Long> killAfter(Path out, long runMillis) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), SlowRecorder.class.getName(), out.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Long> reported = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      long first = 0;
      String line;
      while ((line = lines.readLine()) != null) {
        long now = System.nanoTime();
        if (reported.isEmpty()) {
          first = now;
        }
        if (Long.parseLong(line) != reported.size() + 1) {
          throw new IllegalStateException("unexpected report " + line);
        }
        reported.add(now);
        if (now - first >= TimeUnit.MILLISECONDS.toNanos(runMillis)) {
          break;
        }
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no footer
      reported.add(System.nanoTime());
      if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 137) {
        throw new IllegalStateException("the recorder did not die of SIGKILL");
      }
    }
    return reported;
  }
}
