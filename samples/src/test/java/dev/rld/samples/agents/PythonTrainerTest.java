package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying a PyTorch trainer's log: four episodes of models/ppo/train.py's log (training episodes
 * 0, 1, 426 and 1106, the last one 500 steps long), replayed in the Java CartPole from their
 * logged initial states.
 */
class PythonTrainerTest {
  private static final Path SAMPLE = Path.of("src", "test", "resources", "ppo_training_sample.jsonl");

  @Test
  void theJavaCartPoleReplaysTheLoggedEpisodesObservationForObservation(@TempDir Path dir) throws IOException {
    CartPole env = new CartPole();
    Path file = dir.resolve("training.arrow");
    try (TrainingRecorder recorder = TrainingRecorder.open(file, env.id(), "ppo", env.observationSpace(),
        env.actionSpace(), 1)) {
      PythonTrainer.Replayed r = PythonTrainer.replay(SAMPLE, env, recorder);
      assertEquals(4, r.episodes());
      assertTrue(r.largestDifference() < 1e-6, "observations as logged: " + r.largestDifference());
      assertEquals(0, r.resyncs());
    }
    try (Rollout rollout = Rollout.open(file)) {
      List<EpisodeSummary> episodes = rollout.episodes();
      assertEquals(List.of(11.0, 31.0, 184.0, 500.0), episodes.stream().map(EpisodeSummary::totalReturn).toList());
      EpisodeSummary last = episodes.get(3);
      try (Steps steps = rollout.read(3, 0, last.observations())) {
        assertEquals(10_000L + 1106, ((Number) steps.info(0).get("training_seed")).longValue());
        assertTrue(steps.truncated(last.length() - 1));
        assertNotNull(steps.value(0));
        assertEquals(1.0, steps.probabilities(0)[0] + steps.probabilities(0)[1], 1e-6);
      }
    }
  }

  @Test
  void aLogThatTheEnvDoesNotReproduceIsRefused(@TempDir Path dir) throws IOException {
    String first = Files.readAllLines(SAMPLE).get(0);
    Path log = dir.resolve("tampered.jsonl");
    // the third cart-position value of episode 0 nudged: the replay must notice
    int at = first.indexOf("\"observations\": [[") + "\"observations\": [[".length();
    int third = first.indexOf("[", first.indexOf("[", at) + 1) + 1;
    Files.writeString(log, first.substring(0, third) + "0.05" + first.substring(first.indexOf(",", third)));
    var e = assertThrows(IllegalStateException.class,
        () -> PythonTrainer.replay(log, new CartPole(), TrainingRecorder.none()));
    assertTrue(e.getMessage().contains("observation 2 differs"), e.getMessage());
  }
}
