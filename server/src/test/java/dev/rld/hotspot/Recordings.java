package dev.rld.hotspot;

import dev.rld.format.AgentOutput;
import dev.rld.format.RolloutWriter;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Small recordings with known events, for hotspot tests: observation {@code [t, 0]} at row t
 * (a Box of two floats), Discrete(2) actions, and per step whatever the test says.
 */
public final class Recordings {
  public static final Box OBSERVATIONS = Box.float32(new double[] {-1e6, -1e6}, new double[] {1e6, 1e6});

  /** One recorded step: the action, the reward it brought, and what the agent output. */
  public record Step(int action, double reward, AgentOutput agent) {}

  /** An episode of {@code steps} steps, terminated or truncated at its last, each step given by {@code step}. */
  public record Episode(int steps, boolean terminated, IntFunction<Step> step) {}

  private Recordings() {}

  public static Path write(Path file, Episode... episodes) throws IOException {
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(OBSERVATIONS, new Discrete(2)).envId("Test-v0").open()) {
      for (Episode e : episodes) {
        w.beginEpisode(0L, null, new float[] {0, 0}, Map.of());
        for (int t = 0; t < e.steps(); t++) {
          Step s = e.step().apply(t);
          boolean last = t == e.steps() - 1;
          w.step(s.action(), s.reward(), last && e.terminated(), last && !e.terminated(), new float[] {t + 1, 0},
              Map.of(), s.agent());
        }
      }
    }
    return file;
  }

  /** Probabilities {@code [p0, 1 - p0]}. */
  public static AgentOutput probabilities(double p0) {
    return AgentOutput.ofProbabilities((float) p0, (float) (1 - p0));
  }
}
