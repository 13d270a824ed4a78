package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.samples.cli.SamplesCliTest.Run;
import dev.rld.samples.envs.Catch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX CNN trained in PyTorch (models/catch) catches the ball, recorded through the CLI's
 * {@code record} as a user would run it: {@code record --env Catch-v0 --agent trained
 * --episodes 100 --seed 7}.
 */
class CatchTrainedAgentTest {
  static final long SEED = 7;

  /** Records 100 episodes of {@code agent} and returns how many balls it caught, checking each episode's end. */
  private static int caught(Path file, String agent) throws IOException {
    Run r = SamplesCliTest.run("record", "--env", Catch.ID, "--agent", agent, "--episodes", "100",
        "--seed", String.valueOf(SEED), "--out", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    int caught = 0;
    try (Rollout rollout = Rollout.open(file)) {
      assertEquals(agent, rollout.header().metadata().agent());
      List<EpisodeSummary> episodes = rollout.episodes();
      assertEquals(100, episodes.size());
      for (EpisodeSummary e : episodes) {
        assertEquals(Catch.EPISODE_STEPS, e.length(), "one ball per episode");
        assertTrue(e.terminated());
        try (Steps steps = rollout.read(e.index(), e.length(), e.observations())) {
          Object outcome = steps.info(0).get("outcome");
          assertEquals(e.totalReturn() == 1 ? "caught" : "missed", outcome, "episode " + e.index());
        }
        caught += e.totalReturn() == 1 ? 1 : 0;
      }
    }
    return caught;
  }

  @Test
  void theTrainedAgentCatchesAtLeastNinetyOfAHundredBalls(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("catch-trained.arrow");
    int caught = caught(file, "trained");
    System.out.println("trained Catch-v0 agent (greedy ONNX CNN): " + caught + "/100 balls caught (seeds "
        + SEED + ".." + (SEED + 99) + ")");
    assertTrue(caught >= 90, caught + "/100 balls caught; the target is 90");
    try (Rollout rollout = Rollout.open(file)) {
      EpisodeSummary first = rollout.episodes().get(0);
      try (Steps steps = rollout.read(0, 0, first.observations())) {
        for (int t = 0; t < first.length(); t++) {
          float[] p = steps.probabilities(t);
          float[] logits = steps.logits(t);
          assertEquals(3, p.length);
          assertEquals(3, logits.length);
          assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);
          int greedy = 0;
          for (int a = 1; a < 3; a++) {
            greedy = logits[a] > logits[greedy] ? a : greedy;
          }
          assertEquals(greedy, ((Number) steps.action(t)).intValue(), "greedy at step " + t);
        }
      }
    }
  }

  @Test
  void aRandomAgentCatchesFarFewer(@TempDir Path dir) throws IOException {
    int caught = caught(dir.resolve("catch-random.arrow"), "random");
    System.out.println("random Catch-v0 agent: " + caught + "/100 balls caught (seeds " + SEED + ".." + (SEED + 99) + ")");
    // Wherever a wandering paddle ends up, 15 of the 81 columns a ball can land in overlap it:
    // about one ball in five, far from the trained agent's 90.
    assertTrue(caught >= 5 && caught <= 40, caught + "/100 balls caught at random");
  }
}
