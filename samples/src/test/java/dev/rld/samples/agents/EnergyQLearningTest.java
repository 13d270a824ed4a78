package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.samples.envs.EnergyGridWorld;
import dev.rld.samples.envs.Envs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Q-learning over (position, energy, fatigue) beats the random walk at the wolf, on recorded episodes. */
class EnergyQLearningTest {
  @TempDir Path dir;

  @Test
  void theLearnedPolicyWinsFarMoreOftenThanTheRandomWalk() throws Exception {
    EnergyGridWorld env = new EnergyGridWorld();
    Path learnedFile = dir.resolve("learned.arrow");
    Path randomFile = dir.resolve("random.arrow");
    Map<String, Integer> learned = RecordedEpisodes.record(env, Agents.make("qlearning", env, 1000), 100, 1000, learnedFile);
    Map<String, Integer> random = RecordedEpisodes.record(env, Agents.make("random", env, 1000), 100, 1000, randomFile);
    System.out.println("PeterAndTheWolfEnergy-v0, 100 games (seeds 1000..1099)");
    System.out.println("  random:    " + random);
    System.out.println("  qlearning: " + learned);
    // The per-step reward energy − fatigue pays for staying alive near an apple and a tree, so the
    // learned policy wins where the wolf is near and otherwise eats and rests until truncation.
    int won = learned.getOrDefault("won", 0);
    assertTrue(won >= 30, "the learned policy wins: " + learned);
    assertTrue(won >= 3 * Math.max(1, random.getOrDefault("won", 0)), "random " + random + " vs learned " + learned);
    assertTrue(learned.getOrDefault("drowned", 0) <= random.getOrDefault("drowned", 0) / 4, "random " + random + " vs learned " + learned);
    double learnedMean = RecordedEpisodes.returns(learnedFile).stream().mapToDouble(x -> x).average().orElseThrow();
    double randomMean = RecordedEpisodes.returns(randomFile).stream().mapToDouble(x -> x).average().orElseThrow();
    System.out.printf("  mean return: random %.1f, qlearning %.1f%n", randomMean, learnedMean);
    assertTrue(learnedMean > randomMean + 100, "returns: random " + randomMean + ", learned " + learnedMean);
    try (Rollout rollout = Rollout.open(learnedFile); Steps steps = rollout.read(0, 0, 1)) {
      float[] p = steps.probabilities(0);
      assertEquals(1.0, p[0] + p[1] + p[2] + p[3], 1e-5, "its action probabilities are recorded");
    }
    assertEquals(EnergyGridWorld.ID, Envs.make(EnergyGridWorld.ID).id());
  }
}
