package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.space.Box;
import dev.rld.space.DType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files built to hurt: absurd widths and spaces, lying indexes, flipped bytes; and format 1.1's checksums. */
class HostileFileTest {
  @TempDir Path dir;
  final RootAllocator root = new RootAllocator();
  /** Opening any of these files needs a few KB; asking for more fails the test. */
  final BufferAllocator allocator = root.newChildAllocator("hostile", 0, 4 << 20);

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
    root.close();
  }

  private String openError(Path f) {
    return assertThrows(InvalidRolloutException.class, () -> Rollout.open(f, allocator).close()).getMessage();
  }

  @Test
  void probabilitiesSixteenMillionWideAreRefusedAtOnce() throws Exception {
    Path f = dir.resolve("wide.arrow");
    Schema s = BadInputTest.rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3), Map.of());
    List<Field> fields = new ArrayList<>(s.getFields());
    fields.add(new Field(RolloutSchema.PROBABILITIES, FieldType.nullable(new ArrowType.FixedSizeList(1 << 24)),
        List.of(Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)))));
    write(f, new Schema(fields, s.getCustomMetadata()), 0, Map.of());
    long t0 = System.nanoTime();
    assertEquals(f + ": column 'action_probabilities' has 16777216 entries per row but the action space "
        + "Discrete(2) has 2 actions", openError(f));
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused without reading 64 MB per row");
  }

  @Test
  void aDiscreteOfTwoBillionValuesIsRefusedBeforeAnyLabelIsBuilt() throws Exception {
    Path f = dir.resolve("huge.arrow");
    Schema s = BadInputTest.rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3),
        Map.of(RolloutSchema.KEY_ACTION_SPACE, "{\"type\":\"Discrete\",\"n\":2147483647}"));
    write(f, s, 0, Map.of());
    assertEquals(f + ": 'rld.action_space' is not a valid space: Discrete(2147483647) has 2147483647 flat "
        + "elements, more than the 16777216 (2^24) rld accepts", openError(f));
    Schema md = BadInputTest.rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3), Map.of(RolloutSchema.KEY_OBSERVATION_SPACE,
        "{\"type\":\"MultiBinary\",\"n\":[65536,65536,65536]}"));
    write(f, md, 0, Map.of());
    assertTrue(openError(f).startsWith(f + ": 'rld.observation_space' is not a valid space: space shape is too large"),
        openError(f));
  }

  @Test
  void aFooterIndexThatDisagreesWithTheBatchesIsNamed() throws Exception {
    Path f = dir.resolve("index.arrow");
    Schema s = BadInputTest.rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3), Map.of());
    String fields = "\"fields\":" + RolloutSchema.JSON.writeValueAsString(EpisodeIndex.FIELDS);
    write(f, s, 3, Map.of(RolloutSchema.KEY_INDEX, "{\"batch_rows\":[5]," + fields + ",\"episodes\":[]}"));
    assertTrue(openError(f).matches(".*: the footer's episode index says record batch 0 has 5 rows but the "
        + "batch at byte \\d+ has 3"), openError(f));
    write(f, s, 3, Map.of(RolloutSchema.KEY_INDEX, "{\"batch_rows\":[3]," + fields
        + ",\"episodes\":[[0,0,2,1,1.0,null,false,false,true],[1,1,2,1,1.0,null,false,false,true]]}"));
    assertEquals(f + ": the footer's episode index is inconsistent: episode 1 (rows 1 + 2) does not follow the "
        + "previous episode (which ends at row 2) within the 3 rows of the batches", openError(f));
    write(f, s, 3, Map.of(RolloutSchema.KEY_INDEX, "{\"batch_rows\":[3,4]," + fields + ",\"episodes\":[]}"));
    assertEquals(f + ": the footer's episode index lists 2 batches but the file has 1", openError(f));
  }

  @Test
  void theWriterRecordsTheCrc32cOfEveryBatchAsTheSpecSaysAndTheReaderChecksIt() throws Exception {
    Path f = dir.resolve("crc.arrow");
    RoundTripTest.recordLineWalk(f, 3, 10, 4);
    byte[] bytes = Files.readAllBytes(f);
    long firstBody;
    try (RolloutFile rf = RolloutFile.open(f, allocator)) {
      assertEquals("1.1", rf.header.formatVersion());
      long[] ends = rf.batchEndOffsets();
      for (int b = 0; b < rf.batchCount(); b++) {
        // docs/format.md section 9: the CRC32C of the bytes from the block's offset to its body's end.
        ByteBuffer block = ByteBuffer.wrap(bytes, (int) rf.batchOffset(b), (int) (ends[b + 1] - rf.batchOffset(b)));
        assertEquals(Crc.of(block), rf.index.crc(b));
      }
      firstBody = ends[1] - 8;
    }
    bytes[(int) firstBody] ^= 0x10;
    Files.write(f, bytes);
    // Opening reads no body; reading the batch finds the flip.
    try (Rollout r = Rollout.open(f, allocator)) {
      String e = assertThrows(InvalidRolloutException.class, () -> r.read(0, 0, 1).close()).getMessage();
      assertTrue(e.startsWith(f + ": record batch 0 at byte "), e);
      assertTrue(e.contains("checksum mismatch"), e);
    }
  }

  @Test
  void aFormatOneZeroFileWithoutChecksumsStillOpens() throws Exception {
    Path committed = Path.of("../models/cartpole/recording.arrow");
    try (Rollout r = Rollout.open(committed, allocator)) {
      assertEquals("1.0", r.header().formatVersion());
      assertTrue(r.episodes().size() > 0);
    }
    RolloutVerifier.Result v = RolloutVerifier.verify(committed, allocator, (done, total) -> {});
    assertTrue(v.ok(), v.describe());
    assertFalse(v.checksummed());
  }

  @Test
  void aDirectoryServesItsGoodFilesAndReportsTheBadOne() throws Exception {
    Path data = Files.createDirectory(dir.resolve("actors"));
    RoundTripTest.recordLineWalk(data.resolve("a.arrow"), 2, 10, 100);
    RoundTripTest.recordLineWalk(data.resolve("b.arrow"), 2, 10, 100);
    RoundTripTest.recordLineWalk(data.resolve("c.arrow"), 3, 10, 100);
    Path bad = data.resolve("b.arrow");
    try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("XXXX".getBytes()), Files.size(bad) - 200); // inside the footer's index
    }
    try (Rollout r = Rollout.open(data, allocator)) {
      assertEquals(5, r.episodes().size());
      assertEquals(List.of(data.resolve("a.arrow"), data.resolve("c.arrow")), r.files());
      assertEquals(1, r.skipped().size());
      assertEquals(bad, r.skipped().get(0).file());
      assertTrue(r.skipped().get(0).describe().startsWith("skipped " + bad + ": "), r.skipped().get(0).describe());
    }
    // Given directly, the bad file fails with the same one-line reason.
    assertTrue(openError(bad).startsWith(bad + ": "));
  }

  @Test
  void theFingerprintFollowsTheContent() throws Exception {
    Path f = dir.resolve("fp.arrow");
    RoundTripTest.recordLineWalk(f, 2, 10, 4);
    String first;
    try (Rollout r = Rollout.open(f, allocator)) {
      first = r.fingerprint();
      assertTrue(first.matches("sha256:[0-9a-f]{64}"), first);
    }
    try (Rollout r = Rollout.open(f, allocator)) {
      assertEquals(first, r.fingerprint());
    }
    RoundTripTest.recordLineWalk(f, 3, 10, 4);
    try (Rollout r = Rollout.open(f, allocator)) {
      assertNotEquals(first, r.fingerprint());
    }
  }

  private void write(Path f, Schema schema, int rows, Map<String, String> footer) throws Exception {
    BadInputTest.writeArrow(allocator, f, schema, rows, footer);
  }
}
