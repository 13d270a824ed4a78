package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.RecordingEnv;
import dev.rld.testing.ArrowJs;
import dev.rld.testing.LineWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rld repair}: a killed recorder's file gets its footer, and reads the same everywhere. */
class RepairTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  @Test
  void aKilledRecordersFileReadsTheSameAfterRepairInOurReaderAndArrowJs() throws Exception {
    Path killed = dir.resolve("killed.arrow");
    KilledRecorder.killAfter(killed, 3);
    Path unrepaired = Files.copy(killed, dir.resolve("unrepaired.arrow"));

    RolloutRepair.Result result = RolloutRepair.repair(killed);
    System.out.println(result.describe());
    assertTrue(result.repaired());
    assertTrue(result.describe().contains("repaired: kept " + result.recovery().batchesRecovered() + " record batches"));

    try (Rollout before = Rollout.open(unrepaired, allocator); Rollout after = Rollout.open(killed, allocator)) {
      assertEquals(before.recoveries().get(0), new RecoveryReport(unrepaired, result.recovery().batchesRecovered(),
          result.recovery().completeEpisodes(), result.recovery().partialEpisodes(),
          result.recovery().stepsRecovered(), result.recovery().bytesDropped()));
      assertEquals(List.of(), after.recoveries(), "the repaired file has its footer");
      assertEquals(before.header(), after.header());
      assertEquals(before.episodes(), after.episodes(), "the same episodes, the partial one still incomplete");
      assertTrue(after.episodes().size() >= 3);
      JsonNode js = JSON.readTree(ArrowJs.node(dir, "read_rld.mjs", killed.toString()));
      JsonNode rows = js.get("rows");
      int row = 0;
      for (EpisodeSummary e : before.episodes()) {
        try (Steps want = before.read(e.index(), 0, e.observations());
            Steps got = after.read(e.index(), 0, e.observations())) {
          for (int t = 0; t < want.size(); t++, row++) {
            String at = "episode " + e.index() + " row " + t + ": ";
            assertArrayEquals((float[]) want.observation(t), (float[]) got.observation(t), at);
            assertEquals(want.action(t), got.action(t), at);
            assertEquals(want.reward(t), got.reward(t), at);
            assertEquals(want.info(t), got.info(t), at);
            JsonNode r = rows.get(row);
            assertEquals(e.episodeId(), r.get("episode_id").asInt(), at + "Arrow JS episode_id");
            float[] obs = (float[]) want.observation(t);
            for (int i = 0; i < obs.length; i++) {
              assertEquals(obs[i], (float) r.get("observation").get(i).asDouble(), at + "Arrow JS observation");
            }
            if (want.action(t) == null) {
              assertTrue(r.get("action").isNull() && r.get("reward").isNull(), at + "Arrow JS final row");
            } else {
              assertEquals(want.action(t), r.get("action").asInt(), at + "Arrow JS action");
              assertEquals(want.reward(t), r.get("reward").asDouble(), at + "Arrow JS reward");
              assertEquals(want.terminated(t), r.get("terminated").booleanValue(), at + "Arrow JS terminated");
              assertEquals(want.truncated(t), r.get("truncated").booleanValue(), at + "Arrow JS truncated");
            }
            JsonNode info = r.get("infos");
            if (t == 0 && e.seed() != null) {
              // Steps.info hides the recorder's reserved reset entry; a plain Arrow reader sees it.
              assertEquals(e.seed().longValue(), info.get("rld.reset").get("seed").asLong(), at + "Arrow JS seed");
              info = ((com.fasterxml.jackson.databind.node.ObjectNode) info).without("rld.reset");
              info = info.isEmpty() ? JSON.nullNode() : info;
            }
            assertEquals(JSON.valueToTree(want.info(t)), info.isNull() ? JSON.createObjectNode() : info,
                at + "Arrow JS infos");
          }
        }
      }
      assertEquals(rows.size(), row, "Arrow JS reads every recovered row and no other");
    }

    RolloutVerifier.Result verified = RolloutVerifier.verify(killed, allocator, (done, total) -> {});
    assertTrue(verified.ok(), verified.describe());
    assertTrue(verified.checksummed(), "the repaired footer carries the checksums a closed file has");
    assertNoTempFiles();
  }

  @Test
  void aPartialLastEpisodeStaysPartialAndATornBatchIsDropped() throws Exception {
    Path closed = closedFile();
    long[] ends;
    try (RolloutFile f = RolloutFile.open(closed, allocator)) {
      ends = f.batchEndOffsets();
    }
    // In the middle of batch 4's bytes: batches 0-3 are kept, 16 steps each, inside episode 0.
    byte[] bytes = java.util.Arrays.copyOf(Files.readAllBytes(closed), (int) ends[4] + 50);
    Path cut = Files.write(dir.resolve("cut.arrow"), bytes);
    Path unrepaired = Files.write(dir.resolve("unrepaired.arrow"), bytes);
    RolloutRepair.Result result = RolloutRepair.repair(cut);
    assertEquals(4, result.recovery().batchesRecovered());
    assertEquals(1, result.recovery().partialEpisodes());
    assertEquals(50, result.recovery().bytesDropped());
    try (Rollout before = Rollout.open(unrepaired, allocator); Rollout after = Rollout.open(cut, allocator)) {
      assertEquals(before.episodes(), after.episodes());
      EpisodeSummary last = after.episodes().get(after.episodes().size() - 1);
      assertFalse(last.complete(), "the cut-off episode is still marked incomplete");
      try (Steps want = before.read(last.index(), 0, last.observations());
          Steps got = after.read(last.index(), 0, last.observations())) {
        for (int t = 0; t < want.size(); t++) {
          assertArrayEquals((float[]) want.observation(t), (float[]) got.observation(t));
          assertEquals(want.action(t), got.action(t));
        }
      }
    }
    JsonNode js = JSON.readTree(ArrowJs.node(dir, "read_rld.mjs", cut.toString()));
    assertEquals(4 * KilledRecorder.FLUSH_EVERY, js.get("rows").size(), "Arrow JS reads the kept rows");
  }

  @Test
  void aCutOffIpcStreamBecomesAFile() throws Exception {
    Path closed = closedFile();
    long[] ends;
    try (RolloutFile f = RolloutFile.open(closed, allocator)) {
      ends = f.batchEndOffsets();
    }
    // The stream inside the file (no magic, no footer), cut in the middle of batch 3.
    byte[] stream = java.util.Arrays.copyOfRange(Files.readAllBytes(closed), 8, (int) ends[3] + 20);
    Path cut = Files.write(dir.resolve("stream.arrows"), stream);
    assertEquals(3, RolloutRepair.repair(cut).recovery().batchesRecovered());
    assertEquals("ARROW1", new String(Files.readAllBytes(cut), 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
    RolloutVerifier.Result verified = RolloutVerifier.verify(cut, allocator, (done, total) -> {});
    assertTrue(verified.ok() && verified.checksummed(), verified.describe());
    JsonNode js = JSON.readTree(ArrowJs.node(dir, "read_rld.mjs", cut.toString()));
    assertEquals(3 * KilledRecorder.FLUSH_EVERY, js.get("rows").size());
  }

  @Test
  void aFileWithItsFooterIsLeftUntouched() throws Exception {
    Path file = closedFile();
    byte[] bytes = Files.readAllBytes(file);
    RolloutRepair.Result result = RolloutRepair.repair(file);
    assertFalse(result.repaired());
    assertNull(result.recovery());
    assertTrue(result.describe().endsWith("left untouched"), result.describe());
    assertArrayEquals(bytes, Files.readAllBytes(file));
    assertNoTempFiles();
  }

  @Test
  void aFailureAtAnyPointOfTheRepairLeavesTheOriginal() throws Exception {
    Path closed = closedFile();
    byte[] whole = Files.readAllBytes(closed);
    Path cut = Files.write(dir.resolve("cut.arrow"), java.util.Arrays.copyOf(whole, whole.length - 100));
    byte[] original = Files.readAllBytes(cut);
    for (String stage : List.of("batch 0", "batch 2", "fsync", "rename")) {
      IOException e = assertThrows(IOException.class, () -> RolloutRepair.repair(cut, reached -> {
        if (reached.equals(stage)) {
          throw new IOException("simulated crash at " + stage);
        }
      }));
      assertEquals("simulated crash at " + stage, e.getMessage());
      assertArrayEquals(original, Files.readAllBytes(cut), "after a failure at " + stage);
      assertNoTempFiles();
    }
    assertTrue(RolloutRepair.repair(cut).repaired(), "and the repair still works afterwards");
    assertFalse(RolloutRepair.repair(cut).repaired(), "a repaired file needs no second repair");
  }

  @Test
  void aFileThatCannotBeRecoveredIsRefusedAndKept() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.arrow"), "not an arrow file at all");
    assertThrows(InvalidRolloutException.class, () -> RolloutRepair.repair(junk));
    assertEquals("not an arrow file at all", Files.readString(junk));
    assertNoTempFiles();
  }

  private Path closedFile() throws Exception {
    Path file = dir.resolve("closed.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(KilledRecorder.MAX_STEPS),
        KilledRecorder.options(RolloutWriter.builder(file)))) {
      for (int seed = 0; seed < 3; seed++) {
        KilledRecorder.record(env, seed);
      }
    }
    return file;
  }

  private void assertNoTempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> temps = files.filter(f -> f.getFileName().toString().endsWith(".repair")).toList();
      assertEquals(List.of(), temps, "temp files left behind");
    }
  }
}
