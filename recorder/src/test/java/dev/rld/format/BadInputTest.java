package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.SpaceJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not good rollouts fail with a message naming the file and the problem. */
class BadInputTest {
  @TempDir Path dir;
  final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private String openError(Path file) {
    return assertThrows(InvalidRolloutException.class, () -> Rollout.open(file, allocator).close()).getMessage();
  }

  @Test
  void aTextFileIsNotArrow() throws Exception {
    Path f = Files.writeString(dir.resolve("notes.arrow"), "episode,reward\n0,1.0\n");
    assertEquals(f + ": not an Arrow IPC file (it starts with neither the 'ARROW1' magic nor an IPC "
        + "stream message)", openError(f));
  }

  @Test
  void anEmptyFileIsNotArrow() throws Exception {
    Path f = Files.write(dir.resolve("empty.arrow"), new byte[0]);
    assertEquals(f + ": not an Arrow IPC file: only 0 bytes", openError(f));
  }

  @Test
  void aFileCutBeforeItsSchemaIsTruncated() throws Exception {
    Path good = dir.resolve("good.arrow");
    RoundTripTest.recordLineWalk(good, 1, 10, 100);
    byte[] bytes = Files.readAllBytes(good);
    for (int cut : new int[] {8, 12, 100}) {
      Path f = Files.write(dir.resolve("cut" + cut + ".arrow"), java.util.Arrays.copyOf(bytes, cut));
      assertEquals(f + ": truncated: the file ends before its schema is complete", openError(f));
    }
  }

  @Test
  void aMissingPathIsNamed() {
    Path f = dir.resolve("nope.arrow");
    assertEquals(f + ": no such file or directory", openError(f));
  }

  @Test
  void aForeignArrowFileIsNotARollout() throws Exception {
    Path f = dir.resolve("foreign.arrow");
    Schema schema = new Schema(List.of(Field.nullable("a", new ArrowType.Int(32, true)),
        Field.nullable("b", new ArrowType.Int(32, true))));
    writeArrow(f, schema, 3);
    assertEquals(f + ": not an rld rollout: the schema metadata has no 'rld.format_version' (columns: [a, b])",
        openError(f));
  }

  @Test
  void anUnknownMajorVersionIsRefused() throws Exception {
    Path f = dir.resolve("future.arrow");
    Schema schema = rolloutSchema(Box.float32(new double[] {0}, new double[] {1}), Map.of(RolloutSchema.KEY_FORMAT_VERSION, "2.0"));
    writeArrow(f, schema, 0);
    assertEquals(f + ": format version 2.0 is not supported by this reader (it reads 1.x)", openError(f));
  }

  @Test
  void aColumnThatDoesNotFitItsSpaceIsNamed() throws Exception {
    Path f = dir.resolve("wrong.arrow");
    // Columns for a 3-element Box, metadata claiming a 4-element one.
    Box four = Box.of(DType.FLOAT32, 0, 1, 4);
    Schema schema = rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3),
        Map.of(RolloutSchema.KEY_OBSERVATION_SPACE, SpaceJson.toJson(four)));
    writeArrow(f, schema, 0);
    assertEquals(f + ": column 'observations' has type FixedSizeList(3)<FloatingPoint(SINGLE)> but the "
        + "recorded space needs FixedSizeList(4)<FloatingPoint(SINGLE)>", openError(f));
  }

  @Test
  void aBadSpaceInTheMetadataIsNamed() throws Exception {
    Path f = dir.resolve("badspace.arrow");
    Schema schema = rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3),
        Map.of(RolloutSchema.KEY_ACTION_SPACE, "{\"type\":\"Discrete\"}"));
    writeArrow(f, schema, 0);
    assertEquals(f + ": 'rld.action_space' is not a valid space: Discrete space is missing 'n'", openError(f));
  }

  @Test
  void aCorruptFooterIsNamed() throws Exception {
    Path f = dir.resolve("footer.arrow");
    RoundTripTest.recordLineWalk(f, 2, 10, 100);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      // The footer length sits just before the trailing magic: make it point outside the file.
      ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 30);
      ch.write(len, ch.size() - 10);
    }
    assertTrue(openError(f).startsWith(f + ": corrupt Arrow footer: "), openError(f));
  }

  @Test
  void anOptionalColumnOfTheWrongTypeIsNamed() throws Exception {
    Path f = dir.resolve("probs.arrow");
    Schema s = rolloutSchema(Box.of(DType.FLOAT32, 0, 1, 3), Map.of());
    List<Field> fields = new java.util.ArrayList<>(s.getFields());
    fields.add(Field.nullable(RolloutSchema.VALUE,
        new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)));
    writeArrow(f, new Schema(fields, s.getCustomMetadata()), 0);
    assertEquals(f + ": column 'value' has type FloatingPoint(DOUBLE) but the recorded space needs "
        + "FloatingPoint(SINGLE)", openError(f));
  }

  @Test
  void aStreamCutOffIsReportedAsRecovered() throws Exception {
    Path good = dir.resolve("good.arrow");
    RoundTripTest.recordLineWalk(good, 3, 10, 100);
    // The same rows as an IPC stream with no end marker: what a killed stream writer leaves.
    Path stream = dir.resolve("stream.arrow");
    try (Rollout r = Rollout.open(good, allocator);
        Steps steps = r.read(0, 0, r.episodes().get(0).observations());
        FileChannel ch = FileChannel.open(stream, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var w = new org.apache.arrow.vector.ipc.ArrowStreamWriter(steps.arrow(), null, ch)) {
      w.start();
      w.writeBatch();
    }
    try (Rollout r = Rollout.open(stream, allocator)) {
      assertTrue(r.recoveries().isEmpty(), "a stream with its end marker is complete");
    }
    byte[] bytes = Files.readAllBytes(stream);
    Files.write(stream, java.util.Arrays.copyOf(bytes, bytes.length - 8)); // drop the end marker
    try (Rollout r = Rollout.open(stream, allocator)) {
      assertEquals(1, r.episodes().size());
      assertEquals(1, r.recoveries().size(), "no end marker: reported");
      assertEquals(1, r.recoveries().get(0).batchesRecovered());
    }
  }

  /** The schema our writer would make, with some metadata entries replaced. */
  static Schema rolloutSchema(Box obs, Map<String, String> override) {
    RolloutHeader h = new RolloutHeader("1.0", "Test-v0", obs, new Discrete(2), RolloutMetadata.empty(), "test", "now");
    Schema s = RolloutSchema.build(h, AgentOutput.none());
    Map<String, String> meta = new HashMap<>(s.getCustomMetadata());
    meta.putAll(override);
    return new Schema(s.getFields(), meta);
  }

  private void writeArrow(Path f, Schema schema, int rows) throws Exception {
    writeArrow(allocator, f, schema, rows, Map.of());
  }

  /** An Arrow file of {@code schema} whose first column counts 0.. and whose footer holds {@code footer}. */
  static void writeArrow(BufferAllocator allocator, Path f, Schema schema, int rows, Map<String, String> footer)
      throws Exception {
    Files.deleteIfExists(f);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch, footer)) {
      w.start();
      if (rows > 0) {
        IntVector a = (IntVector) root.getVector(0);
        for (int i = 0; i < rows; i++) {
          a.setSafe(i, i);
        }
        root.setRowCount(rows);
        w.writeBatch();
      }
      w.end();
    }
  }
}
