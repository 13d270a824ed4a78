package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.space.Dict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch-trained agents' evaluation targets, on episodes recorded by {@code record} (docs/samples.md). */
class TorchAgentsRecordTest {

  private static List<EpisodeSummary> record(Path file, String env, String agent, int episodes) throws IOException {
    SamplesCliTest.Run r = SamplesCliTest.run("record", "--env", env, "--agent", agent, "--episodes",
        Integer.toString(episodes), "--seed", "11", "--out", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    try (Rollout rollout = Rollout.open(file)) {
      assertEquals(agent, rollout.header().metadata().agent());
      return rollout.episodes();
    }
  }

  private static double mean(List<EpisodeSummary> episodes) {
    return episodes.stream().mapToDouble(EpisodeSummary::totalReturn).average().orElseThrow();
  }

  @Test
  void ppoReachesItsTargetAndRecordsProbabilitiesLogitsAndValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ppo.arrow");
    List<EpisodeSummary> episodes = record(file, "CartPole-v1", "ppo", 100);
    System.out.printf("ppo on CartPole-v1: mean return %.2f over 100 episodes%n", mean(episodes));
    assertTrue(mean(episodes) >= 475, "mean return " + mean(episodes) + "; the target is 475");
    try (Rollout rollout = Rollout.open(file); Steps steps = rollout.read(0, 0, episodes.get(0).observations())) {
      for (int t = 0; t < episodes.get(0).length(); t++) {
        float[] p = steps.probabilities(t);
        float[] l = steps.logits(t);
        assertEquals(1.0, p[0] + p[1], 1e-6);
        assertEquals(l[1] > l[0] ? 1 : 0, ((Number) steps.action(t)).intValue(), "greedy at step " + t);
        assertNotNull(steps.value(t));
      }
    }
  }

  @Test
  void theInitialPpoPolicyIsRecordedWithItsValueAndFails(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ppo-initial.arrow");
    List<EpisodeSummary> episodes = record(file, "CartPole-v1", "ppo-initial", 20);
    System.out.printf("ppo-initial on CartPole-v1: mean return %.2f over 20 episodes%n", mean(episodes));
    assertTrue(mean(episodes) < 50, "the untrained policy balances: " + mean(episodes));
    try (Rollout rollout = Rollout.open(file); Steps steps = rollout.read(0, 0, episodes.get(0).observations())) {
      assertNotNull(steps.value(0));
      assertEquals(2, steps.logits(0).length);
    }
  }

  @Test
  void udrlReachesItsTargetActingOnTheCommandInItsObservation(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("udrl.arrow");
    List<EpisodeSummary> episodes = record(file, "CartPoleUDRL-v1", "udrl", 100);
    System.out.printf("udrl on CartPoleUDRL-v1: mean return %.2f over 100 episodes%n", mean(episodes));
    assertTrue(mean(episodes) >= 195, "mean return " + mean(episodes) + "; the target is 195");
    try (Rollout rollout = Rollout.open(file); Steps steps = rollout.read(0, 0, episodes.get(0).observations())) {
      assertTrue(rollout.observationSpace() instanceof Dict);
      @SuppressWarnings("unchecked")
      Map<String, Object> first = (Map<String, Object>) steps.observation(0);
      @SuppressWarnings("unchecked")
      Map<String, Object> second = (Map<String, Object>) steps.observation(1);
      float h0 = ((float[]) first.get("command"))[1];
      assertEquals(h0 - 1, ((float[]) second.get("command"))[1], 1e-3, "the horizon counts down");
      assertNotNull(steps.logits(0));
    }
  }
}
