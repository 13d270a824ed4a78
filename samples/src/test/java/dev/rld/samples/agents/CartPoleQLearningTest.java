package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.Rollout;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Envs;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial's CartPole Q-learning: its discretisation, its probabilities, and its evaluation target. */
class CartPoleQLearningTest {
  /** Rewritten by this test's command with -Drld.writeQTable=true (docs/samples.md). */
  private static final Path TABLE = Path.of("src/main/resources/rld/models/cartpole_qtable.txt.gz");

  @TempDir Path dir;

  @Test
  void discretisesByTheTutorialsBinWidthsTruncatingTowardsZero() {
    // numpy: (x / [0.25, 0.25, 0.01, 0.1]).astype(int)
    assertArrayEquals(new int[] {0, 0, 0, 0}, CartPoleQLearning.discretize(new float[] {0.2f, -0.2f, 0.009f, -0.09f}));
    assertArrayEquals(new int[] {1, -1, 4, -3}, CartPoleQLearning.discretize(new float[] {0.3f, -0.3f, 0.045f, -0.35f}));
    assertArrayEquals(new int[] {9, -12, -20, 25}, CartPoleQLearning.discretize(new float[] {2.4f, -3.1f, -0.2094f, 2.55f}));
    assertEquals(CartPoleQLearning.state(new float[] {0.3f, -0.3f, 0.045f, -0.35f}),
        CartPoleQLearning.state(new float[] {0.26f, -0.49f, 0.041f, -0.31f}), "same bins, same key");
    assertNotEquals(CartPoleQLearning.state(new float[] {0.3f, -0.3f, 0.045f, -0.35f}),
        CartPoleQLearning.state(new float[] {0.3f, -0.3f, 0.045f, 0.35f}), "signs kept apart");
    assertNotEquals(CartPoleQLearning.state(new float[] {0, 0, 0, -0.1f}), CartPoleQLearning.state(new float[] {0, 0, 0.01f, 0}));
  }

  @Test
  void probabilitiesShiftTheQValuesPositive() {
    double[] p = CartPoleQLearning.probabilities(new double[] {3, 1});
    assertEquals((2 + 1e-4) / (2 + 2e-4), p[0], 1e-12);
    assertEquals(1e-4 / (2 + 2e-4), p[1], 1e-12);
    assertArrayEquals(new double[] {0.5, 0.5}, CartPoleQLearning.probabilities(new double[] {0, 0}), 1e-12);
  }

  @Test
  void trainingReachesTheTutorialsAverageAndTheAgentPlaysAsWell() throws Exception {
    List<Double> averages = new ArrayList<>();
    long started = System.nanoTime();
    Map<Long, double[]> q = CartPoleQLearning.train(CartPoleQLearning.TRAINING_EPISODES, TrainingRecorder.none(),
        (d, t, s) -> {}, averages);
    System.out.printf("CartPole Q-learning: %d episodes in %.1f s; averages per 5000: %s%n",
        CartPoleQLearning.TRAINING_EPISODES, (System.nanoTime() - started) / 1e9, averages);
    assertEquals(CartPoleQLearning.TRAINING_EPISODES / CartPoleQLearning.REPORT_EVERY, averages.size());
    assertTrue(averages.get(averages.size() - 1) >= 200, "average over the last 5000: " + averages);
    if (Boolean.getBoolean("rld.writeQTable")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(TABLE))) {
        CartPoleQLearning.writeTable(q, out);
      }
    }
    Map<Long, double[]> shipped = CartPoleQLearning.loadShipped();
    assertEquals(q.keySet(), shipped.keySet(), "the shipped table is the trained one; rewrite it with -Drld.writeQTable=true");
    q.forEach((k, v) -> assertArrayEquals(v, shipped.get(k), "state " + k));

    Path out = dir.resolve("q.arrow");
    CartPole env = new CartPole();
    RecordedEpisodes.record(env, Agents.make("qlearning", env, 11), 100, 11, out);
    double mean = RecordedEpisodes.returns(out).stream().mapToDouble(x -> x).average().orElseThrow();
    System.out.printf("CartPole qlearning, 100 recorded episodes from seed 11: mean return %.1f%n", mean);
    assertTrue(mean >= 200, "mean return " + mean);
    try (Rollout rollout = Rollout.open(out); var steps = rollout.read(0, 0, 1)) {
      float[] p = steps.probabilities(0);
      assertEquals(1.0, p[0] + p[1], 1e-5, "its action probabilities are recorded");
    }
  }
}
