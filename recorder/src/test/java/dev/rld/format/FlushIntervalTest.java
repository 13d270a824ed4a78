package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability bounded by time: a slow recorder killed with SIGKILL loses at most about the last flush interval. */
class FlushIntervalTest {
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  @Test
  void aSlowRecorderKilledWithSigkillKeepsAllButTheLastIntervals() throws Exception {
    Path out = dir.resolve("slow.arrow");
    List<Long> times = SlowRecorder.killAfter(out, 1500);
    long kill = times.get(times.size() - 1);
    // Steps the child reported done three flush intervals (generous on a loaded machine) before
    // the kill; row thresholds (1000 rows) were never reached, so only the interval flushed them.
    long margin = TimeUnit.MILLISECONDS.toNanos(3L * SlowRecorder.INTERVAL_MILLIS);
    long safe = times.subList(0, times.size() - 1).stream().filter(t -> t <= kill - margin).count();
    long reported = times.size() - 1;
    assertTrue(reported < 1000, "no row threshold was reached: " + reported + " steps");
    assertTrue(safe >= 20, "the child recorded steps long enough before the kill: " + safe);

    try (Rollout recovered = Rollout.open(out, allocator)) {
      RecoveryReport report = recovered.recoveries().get(0);
      System.out.println(report.describe() + "; " + reported + " steps reported, " + safe
          + " of them more than " + 3 * SlowRecorder.INTERVAL_MILLIS + " ms before the kill");
      assertTrue(recovered.totalSteps() >= safe, "recovered " + recovered.totalSteps()
          + " steps, but " + safe + " were reported done over three flush intervals before the kill");
      assertTrue(recovered.totalSteps() <= reported + 1);
    }
  }

  @Test
  void flushHandsOverWhatWasRecordedBeforeAPause() throws Exception {
    Path out = dir.resolve("paused.arrow");
    try (RolloutWriter w = RolloutWriter.builder(out).spaces(new dev.rld.space.Discrete(5), new dev.rld.space.Discrete(2))
        .flushInterval(java.time.Duration.ofDays(1)).open()) {
      w.beginEpisode(3L, null, 0, java.util.Map.of());
      for (int t = 0; t < 17; t++) {
        w.step(t % 2, 0.5, false, false, (t + 1) % 5, java.util.Map.of(), null);
      }
      // No threshold is near (4096 rows, a day): without flush() the file would hold no row.
      w.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long steps = 0;
      while (steps < 17 && System.nanoTime() < deadline) {
        try (Rollout r = Rollout.open(out, allocator)) {
          steps = r.totalSteps(); // the writer thread writes the batch a moment later
        }
      }
      assertEquals(17, steps, "every recorded step reached the file");
      try (Rollout r = Rollout.open(out, allocator); Steps rows = r.read(0, 0, 17)) {
        assertEquals(8.5, r.episodes().get(0).totalReturn());
        assertEquals(1, ((Number) rows.action(15)).intValue());
      }
    }
  }
}
