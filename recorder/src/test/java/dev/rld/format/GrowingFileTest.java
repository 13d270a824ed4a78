package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.RecordingEnv;
import dev.rld.testing.LineWalk;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording opened while its file is written takes in each complete batch on refresh. */
class GrowingFileTest {
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private Path record(String name, int episodes) throws Exception {
    Path ref = dir.resolve(name);
    try (var env = new RecordingEnv<>(new LineWalk(KilledRecorder.MAX_STEPS),
        RolloutWriter.builder(ref).flushEverySteps(KilledRecorder.FLUSH_EVERY))) {
      for (int seed = 0; seed < episodes; seed++) {
        KilledRecorder.record(env, seed);
      }
    }
    return ref;
  }

  @Test
  void aGrowingFileShowsWhatAFreshOpenOfTheSameBytesShows() throws Exception {
    byte[] bytes = Files.readAllBytes(record("reference.arrow", 4));
    Path live = dir.resolve("live.arrow");
    int head;
    try (RolloutFile f = RolloutFile.open(dir.resolve("reference.arrow"), allocator)) {
      head = (int) f.batchEndOffsets()[0] + 5; // the magic, the schema and not yet a batch
    }
    Files.write(live, Arrays.copyOf(bytes, head));
    try (Rollout whole = Rollout.open(dir.resolve("reference.arrow"), allocator);
        OutputStream out = Files.newOutputStream(live, StandardOpenOption.APPEND);
        Rollout r = Rollout.open(live, allocator)) {
      assertTrue(r.growing());
      int grew = 0;
      // Chunks that cut batches anywhere: the reader must keep only whole ones.
      for (int at = head, chunk = 137; at < bytes.length; at += chunk, chunk = chunk * 7 % 4001 + 1) {
        int to = Math.min(bytes.length, at + chunk);
        out.write(bytes, at, to - at);
        out.flush();
        int before = r.episodes().size();
        long rowsBefore = before == 0 ? 0 : r.episodes().get(before - 1).observations();
        if (to == bytes.length) {
          break;
        }
        boolean changed = r.refresh();
        Path cut = Files.write(dir.resolve("cut.arrow"), Arrays.copyOf(bytes, to));
        try (Rollout fresh = Rollout.open(cut, allocator)) {
          assertEquals(fresh.episodes(), r.episodes(), "after " + to + " bytes");
          assertEquals(fresh.recoveries().get(0).batchesRecovered(), r.recoveries().get(0).batchesRecovered());
          if (!r.episodes().isEmpty()) {
            int last = r.episodes().size() - 1;
            int rows = r.episodes().get(last).observations();
            try (Steps a = r.read(last, 0, rows); Steps b = fresh.read(last, 0, rows)) {
              assertEquals(b.arrow().contentToTSVString(), a.arrow().contentToTSVString());
            }
          }
        }
        if (changed) {
          grew++;
          assertTrue(r.episodes().size() > before
              || r.episodes().get(before - 1).observations() > rowsBefore);
        }
      }
      assertTrue(grew > 3, "it grew " + grew + " times");
      // The footer arrived: the file is reopened as a finished one.
      assertTrue(r.refresh());
      assertFalse(r.growing());
      assertEquals(whole.episodes(), r.episodes());
      assertTrue(r.recoveries().isEmpty());
      assertFalse(r.refresh());
    }
  }

  @Test
  void aDirectoryTakesInFilesThatAppear() throws Exception {
    Path served = Files.createDirectory(dir.resolve("run"));
    Files.copy(record("a.arrow", 2), served.resolve("a.arrow"));
    Files.write(served.resolve("b.arrow"), new byte[0]); // created, nothing written yet
    try (Rollout r = Rollout.open(served, allocator)) {
      assertEquals(2, r.episodes().size());
      assertTrue(r.growing());
      assertFalse(r.refresh());
      Files.copy(record("b.arrow", 3), served.resolve("b.arrow"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertTrue(r.refresh());
      assertEquals(5, r.episodes().size());
      assertTrue(r.recoveries().isEmpty());
      try (Steps s = r.read(4, 0, 2)) {
        assertEquals(2, s.size());
      }
    }
  }
}
