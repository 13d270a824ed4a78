package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.space.Discrete;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the background writer fails (here: its thread is interrupted by someone else, which also
 * closes its file channel if it is writing), the agent's next call throws an IOException naming
 * the file, close() throws too, and every batch written before the failure is still readable.
 */
class WriterFailureTest {
  @TempDir Path dir;

  @Test
  void aFailedWriterThreadIsReportedToTheAgentAndKeepsWhatItWrote() throws Exception {
    Path file = dir.resolve("failed.arrow");
    RolloutWriter w = RolloutWriter.builder(file).spaces(new Discrete(5), new Discrete(2))
        .flushEverySteps(10).minBatchRows(1).open();
    w.beginEpisode(1L, null, 0, Map.of());
    for (int t = 0; t < 30; t++) {
      w.step(t % 2, 1, false, false, (t + 1) % 5, Map.of(), null); // three batches of 10
    }
    Thread writer = writerThread(file);
    waitForBatches(file, 3);
    writer.interrupt();
    IOException failed = null;
    for (int t = 30; t < 100_000 && failed == null; t++) {
      try {
        w.step(t % 2, 1, false, false, (t + 1) % 5, Map.of(), null);
      } catch (IOException e) {
        failed = e;
      }
      if (t % 100 == 0) {
        Thread.sleep(1); // the failure is seen by the writer thread first
      }
    }
    assertNotNull(failed, "the agent is told that the writer failed");
    assertTrue(failed.getMessage().contains(file.toString()), failed.getMessage());
    // interrupted while waiting for a batch, or while writing one (the channel closes)
    assertTrue(failed.getMessage().toLowerCase().contains("interrupt"), failed.getMessage());
    IOException atClose = assertThrows(IOException.class, w::close);
    assertTrue(atClose.getMessage().contains(file.toString()), atClose.getMessage());

    try (Rollout r = Rollout.open(file)) {
      long rows = r.episodes().get(0).observations();
      assertTrue(rows >= 30, "the three batches written before the failure are kept, got " + rows);
      try (Steps steps = r.read(0, 0, 30)) {
        for (int t = 0; t < 30; t++) {
          assertEquals(t % 2, ((Number) steps.action(t)).intValue(), "step " + t);
        }
      }
    }
  }

  private static Thread writerThread(Path file) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("rld-writer " + file)).findFirst().orElseThrow();
  }

  /** Waits (bounded) until the file holds {@code n} batches: the interrupt must come after them. */
  private static void waitForBatches(Path file, int n) throws Exception {
    for (int i = 0; i < 500; i++) {
      try (Rollout r = Rollout.open(file)) {
        if (r.totalSteps() >= n * 10L - 1) {
          return;
        }
      } catch (IOException | RuntimeException notYet) {
        // the schema or a batch is still being written
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the writer never wrote " + n + " batches");
  }
}
