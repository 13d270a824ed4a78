package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBatchesTest {
  @TempDir Path dir;

  /** Batches hold parts of several episodes: every row is placed and read as Rollout.read reads it. */
  @Test
  void batchesPlaceEveryRowAndReadAsRolloutDoes() throws Exception {
    Path file = dir.resolve("walk.arrow");
    RoundTripTest.recordLineWalk(file, 12, 30, 7);
    try (RootAllocator allocator = new RootAllocator(); Rollout rollout = Rollout.open(file);
        FileBatches batches = FileBatches.open(file, FileChannel.open(file, StandardOpenOption.READ), allocator)) {
      assertEquals(rollout.episodes(), batches.episodes());
      assertEquals(rollout.fingerprint(), batches.fingerprint());
      assertTrue(batches.batchCount() > 1);
      List<String> seen = new ArrayList<>();
      for (int b = 0; b < batches.batchCount(); b++) {
        try (FileBatches.Batch batch = batches.read(b)) {
          assertEquals(batches.batchRows(b), batch.size());
          for (int i = 0; i < batch.size(); i++) {
            int e = batch.episode(i);
            int t = batch.step(i);
            seen.add(e + ":" + t);
            try (Steps one = rollout.read(e, t, t + 1)) {
              assertArrayEquals((float[]) one.observation(0), (float[]) batch.rows().observation(i));
              assertEquals(one.action(0), batch.rows().action(i));
              assertEquals(one.reward(0), batch.rows().reward(i));
              assertEquals(one.terminated(0), batch.rows().terminated(i));
              assertEquals(one.info(0), batch.rows().info(i));
              assertArrayEquals(one.probabilities(0), batch.rows().probabilities(i));
            }
          }
        }
      }
      List<String> expected = new ArrayList<>();
      for (EpisodeSummary e : rollout.episodes()) {
        for (int t = 0; t < e.observations(); t++) {
          expected.add(e.index() + ":" + t);
        }
      }
      assertEquals(expected, seen);
    }
  }

  @Test
  void aBadFileIsNamedAndItsChannelClosed() throws Exception {
    Path file = dir.resolve("bad.arrow");
    Files.writeString(file, "not arrow at all");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try (RootAllocator allocator = new RootAllocator()) {
      InvalidRolloutException e = assertThrows(InvalidRolloutException.class,
          () -> FileBatches.open(file, channel, allocator));
      assertTrue(e.getMessage().contains("bad.arrow"), e.getMessage());
    }
    assertTrue(!channel.isOpen());
  }
}
