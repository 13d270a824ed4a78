package dev.rld.samples.cli;

import static dev.rld.samples.cli.SamplesCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rld-samples train}: the grid world's Q-learning from scratch, its result line, and the
 * recording of its training — every k-th episode and every new best, numbered, with the learner's
 * ε-greedy distribution — whose later episodes play better than its first.
 */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void trainingQLearningRecordsItsTrainingEpisodes() throws Exception {
    // --out DIR/ (a directory that does not exist yet): a file per run inside, for rld serve DIR
    SamplesCliTest.Run r = run("train", "--agent", "qlearning", "--seed", "1000", "--out", dir.resolve("runs") + "/",
        "--record-every", "1000");
    Path out = dir.resolve("runs/qlearning-PeterAndTheWolf-v0-1000.arrow");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("Training qlearning"), "a progress bar: " + r.err());
    Matcher won = Pattern.compile("reaches the apple in (\\d+) of 100 games").matcher(r.out());
    assertTrue(won.find(), r.out());
    assertTrue(Integer.parseInt(won.group(1)) >= 60, "the learnt table plays well: " + r.out());
    try (Rollout rollout = Rollout.open(out)) {
      assertEquals(Boolean.TRUE, rollout.header().metadata().extra().get("training"));
      assertEquals(1000, ((Number) rollout.header().metadata().extra().get("every")).intValue());
      int kept = rollout.episodes().size();
      assertTrue(r.out().contains("Recorded " + kept + " training episodes"), r.out());
      assertTrue(kept >= 30, "every 1000th of 30 000 and the new bests: " + kept);
      long last = -1;
      int everyTh = 0;
      for (int e = 0; e < kept; e++) {
        try (Steps steps = rollout.read(e, 0, 1)) {
          long n = ((Number) steps.info(0).get("training_episode")).longValue();
          assertTrue(n > last, "training episodes in order: " + n + " after " + last);
          everyTh += n % 1000 == 0 ? 1 : 0;
          last = n;
        }
        try (Steps steps = rollout.read(e, 0, 1)) {
          float[] p = steps.probabilities(0);
          assertEquals(1.0, p[0] + p[1] + p[2] + p[3], 1e-5, "the learner's ε-greedy distribution");
        }
      }
      assertEquals(30, everyTh, "training episodes 0, 1000, …, 29 000 are all kept");
      double early = rollout.episodes().subList(0, 5).stream().mapToDouble(x -> x.totalReturn()).average().orElseThrow();
      double late = rollout.episodes().subList(kept - 10, kept).stream().mapToDouble(x -> x.totalReturn()).average().orElseThrow();
      assertTrue(late > early, "later training episodes return more: " + early + " then " + late);
    }
  }

  @Test
  void theTinySearchTrainsInTheEnvItIsGivenAndRecordsEachGenerationsBest() throws Exception {
    Path out = dir.resolve("tiny.arrow");
    SamplesCliTest.Run r = run("train", "--agent", "tiny", "--env", "CartPoleBalance-v0", "--out", out.toString(),
        "--record-every", "1");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("generations"), "a progress bar of generations: " + r.err());
    assertTrue(r.out().contains("linear policy of 6 parameters in CartPoleBalance-v0"), r.out());
    assertTrue(r.out().contains("\"command\":\"rld-samples train --agent tiny --env CartPoleBalance-v0 --seed 0\""), r.out());
    try (Rollout rollout = Rollout.open(out)) {
      assertEquals("CartPoleBalance-v0", rollout.header().envId());
      assertTrue(rollout.episodes().size() >= 5, "one episode per generation");
      double last = rollout.episodes().get(rollout.episodes().size() - 1).totalReturn();
      assertEquals(500, last, 1e-9, "the last generation's best balances");
    }
    SamplesCliTest.Run wrong = run("train", "--agent", "ppo", "--env", "CartPoleBalance-v0");
    assertEquals(2, wrong.exitCode());
    assertTrue(wrong.err().contains("trains in CartPole-v1 only"), wrong.err());
  }

  @Test
  void anUnknownAgentIsAUsageError() {
    SamplesCliTest.Run r = run("train", "--agent", "nobody");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("trainable agents: ") && r.err().contains("qlearning"), r.err());
  }

  @Test
  void anEnvTheAgentDoesNotTrainInIsAUsageError() {
    SamplesCliTest.Run r = run("train", "--agent", "qlearning", "--env", "Pendulum-v1");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("qlearning trains in PeterAndTheWolf-v0, PeterAndTheWolfEnergy-v0 and CartPole-v1, not Pendulum-v1"), r.err());
  }
}
