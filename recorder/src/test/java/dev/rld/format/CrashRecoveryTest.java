package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.RecordingEnv;
import dev.rld.testing.LineWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorder that dies leaves a file whose flushed batches all come back. */
class CrashRecoveryTest {
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  /** The same episodes recorded by a process that lived, to compare with what was recovered. */
  private Path reference(int episodes) throws Exception {
    Path ref = dir.resolve("reference.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(KilledRecorder.MAX_STEPS),
        KilledRecorder.options(RolloutWriter.builder(ref)))) {
      for (int seed = 0; seed < episodes; seed++) {
        KilledRecorder.record(env, seed);
      }
    }
    return ref;
  }

  @Test
  void aRecorderKilledWithSigkillLeavesARecoverableFile() throws Exception {
    Path out = dir.resolve("killed.arrow");
    // It flushes at least five episodes, then dies of SIGKILL in the middle of a later one.
    int flushed = KilledRecorder.killAfter(out, 5) - 1;
    assertTrue(flushed >= 4, "the child flushed at least five episodes before it was killed");

    try (Rollout recovered = Rollout.open(out, allocator)) {
      List<RecoveryReport> reports = recovered.recoveries();
      assertEquals(1, reports.size());
      RecoveryReport report = reports.get(0);
      System.out.println(report.describe());
      List<EpisodeSummary> episodes = recovered.episodes();
      assertTrue(report.completeEpisodes() >= flushed + 1, report.describe());
      assertEquals(episodes.size(), report.completeEpisodes() + report.partialEpisodes());
      assertTrue(report.partialEpisodes() <= 1);
      assertEquals(recovered.totalSteps(), report.stepsRecovered());
      assertTrue(report.describe().contains("not closed properly"));

      try (Rollout ref = Rollout.open(reference(episodes.size()), allocator)) {
        for (EpisodeSummary e : episodes) {
          EpisodeSummary expected = ref.episodes().get(e.index());
          assertEquals(expected.seed(), e.seed(), "seeds are kept in the data, not only in the footer");
          if (e.complete()) {
            assertEquals(expected.length(), e.length());
            assertEquals(expected.totalReturn(), e.totalReturn(), 1e-9);
            assertEquals(expected.truncated(), e.truncated());
          } else {
            assertTrue(e.length() < expected.length(), "a partial episode is a prefix");
            assertEquals(0, e.length() % KilledRecorder.FLUSH_EVERY, "partial episodes end on a flush");
            assertFalse(e.terminated() || e.truncated());
          }
          try (Steps got = recovered.read(e.index(), 0, e.observations());
              Steps want = ref.read(e.index(), 0, e.observations())) {
            for (int t = 0; t < got.size(); t++) {
              assertArrayEquals((float[]) want.observation(t), (float[]) got.observation(t));
              assertEquals(t < e.length() ? want.action(t) : null, got.action(t));
            }
          }
        }
      }
    }
  }

  @Test
  void aFileCutAnywhereOpensWithEveryCompleteBatch() throws Exception {
    Path ref = reference(4);
    byte[] bytes = Files.readAllBytes(ref);
    try (Rollout whole = Rollout.open(ref, allocator)) {
      long[] starts = batchEnds(ref);
      // Cut inside the footer, at a batch boundary, and in the middle of a batch body.
      for (long cut : new long[] {bytes.length - 3, bytes.length - 200, starts[3], starts[3] + 50, starts[1] + 1}) {
        Path f = Files.write(dir.resolve("cut-" + cut + ".arrow"), Arrays.copyOf(bytes, (int) cut));
        try (Rollout r = Rollout.open(f, allocator)) {
          RecoveryReport report = r.recoveries().get(0);
          long kept = Arrays.stream(starts).filter(end -> end <= cut).count() - 1; // starts[0] is the schema end
          assertEquals(kept, report.batchesRecovered(), "cut at " + cut);
          assertTrue(report.bytesDropped() >= 0 && report.bytesDropped() < bytes.length);
          for (EpisodeSummary e : r.episodes()) {
            if (e.complete()) {
              assertEquals(whole.episodes().get(e.index()).length(), e.length());
            }
          }
        }
      }
    }
  }

  /** Where the schema and each record batch end in the file, from the reader's own block list. */
  private long[] batchEnds(Path file) throws Exception {
    try (RolloutFile f = RolloutFile.open(file, allocator)) {
      return f.batchEndOffsets();
    }
  }
}
