package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.space.Discrete;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt of the agent's thread while a batch is handed to the background writer loses no
 * row: the hand-over completes, the interrupt stays set for the caller, and the file holds every
 * step the episode index counts.
 */
class WriterInterruptTest {
  @TempDir Path dir;

  @Test
  void anInterruptedHandOverKeepsTheBatchAndTheInterrupt() throws Exception {
    Path file = dir.resolve("interrupted.arrow");
    boolean flagAfter;
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(new Discrete(5), new Discrete(2))
        .flushEverySteps(4).minBatchRows(1).open()) {
      w.beginEpisode(1L, null, 0, Map.of());
      for (int t = 0; t < 10; t++) {
        if (t == 3) {
          Thread.currentThread().interrupt(); // the 4th step hands a batch over
        }
        w.step(t % 2, 1, false, t == 9, (t + 1) % 5, Map.of(), null);
      }
      flagAfter = Thread.interrupted(); // clears it, so close() and the test go on normally
    }
    assertTrue(flagAfter, "the interrupt is kept for the caller");
    try (Rollout r = Rollout.open(file); Steps steps = r.read(0, 0, 11)) {
      assertEquals(10, r.episodes().get(0).length());
      assertEquals(10.0, r.episodes().get(0).totalReturn());
      for (int t = 0; t < 10; t++) {
        assertEquals(t % 2, ((Number) steps.action(t)).intValue(), "step " + t);
        assertEquals((t + 1) % 5, ((Number) steps.observation(t + 1)).intValue());
      }
    }
  }
}
