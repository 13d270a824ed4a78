package dev.rld.attribution;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Precomputed attributions beside a recording ({@code NAME.attributions.arrow}), written by
 * {@code rld attribute} and used by {@code rld serve} instead of recomputing. One row per step
 * and computation; {@code raw} holds {@code targets × features} values row-major. The policy's
 * fingerprint and the recording's ({@code Rollout.fingerprint()}) are kept so that a sidecar is
 * only used with the policy and the data that made it.
 */
public final class Sidecar {
  static final String KEY_VERSION = "rld.sidecar_version";
  static final String KEY_POLICY = "rld.policy";
  static final String KEY_RECORDING = "rld.recording";
  /** 1.1 added each step's value at the baseline and the standard errors of sampled Shapley values. */
  static final String VERSION = "1.1";

  /** One step's attributions for one computation. */
  public record Entry(int episode, String computation, StepAttribution attribution) {}

  /**
   * What a sidecar file holds; {@code recordingFingerprint} is null in sidecars written before
   * it was recorded.
   */
  public record Contents(String policyFingerprint, String recordingFingerprint, List<Entry> entries) {}

  private Sidecar() {}

  /** The sidecar path of a recording file or directory. */
  public static Path pathFor(Path recording) {
    Path abs = recording.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      return abs.resolve("rollout.attributions.arrow");
    }
    String name = abs.getFileName().toString();
    String stem = name.endsWith(".arrow") ? name.substring(0, name.length() - ".arrow".length()) : name;
    return abs.resolveSibling(stem + ".attributions.arrow");
  }

  private static Schema schema(String policyFingerprint, String recordingFingerprint) {
    Field f64 = Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    return new Schema(List.of(
        Field.notNullable("episode", new ArrowType.Int(32, true)),
        Field.notNullable("step", new ArrowType.Int(32, true)),
        Field.notNullable("computation", ArrowType.Utf8.INSTANCE),
        new Field("probabilities", FieldType.nullable(ArrowType.List.INSTANCE), List.of(f64)),
        new Field("values", FieldType.notNullable(ArrowType.List.INSTANCE), List.of(f64)),
        Field.notNullable("features", new ArrowType.Int(32, true)),
        new Field("raw", FieldType.notNullable(ArrowType.List.INSTANCE), List.of(f64)),
        new Field("at_baseline", FieldType.nullable(ArrowType.List.INSTANCE), List.of(f64)),
        new Field("stderr", FieldType.nullable(ArrowType.List.INSTANCE), List.of(f64))),
        recordingFingerprint == null ? Map.of(KEY_VERSION, VERSION, KEY_POLICY, policyFingerprint)
            : Map.of(KEY_VERSION, VERSION, KEY_POLICY, policyFingerprint, KEY_RECORDING, recordingFingerprint));
  }

  /**
   * Writes the attributions {@code policyFingerprint} computed for the recording of
   * {@code recordingFingerprint} (null only to imitate sidecars of older versions).
   */
  public static void write(Path file, String policyFingerprint, String recordingFingerprint, List<Entry> entries)
      throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(policyFingerprint, recordingFingerprint), allocator);
        FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      IntVector episode = (IntVector) root.getVector("episode");
      IntVector step = (IntVector) root.getVector("step");
      VarCharVector computation = (VarCharVector) root.getVector("computation");
      IntVector features = (IntVector) root.getVector("features");
      UnionListWriter probabilities = ((ListVector) root.getVector("probabilities")).getWriter();
      UnionListWriter values = ((ListVector) root.getVector("values")).getWriter();
      UnionListWriter raw = ((ListVector) root.getVector("raw")).getWriter();
      UnionListWriter atBaseline = ((ListVector) root.getVector("at_baseline")).getWriter();
      UnionListWriter stderr = ((ListVector) root.getVector("stderr")).getWriter();
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        StepAttribution a = e.attribution();
        episode.setSafe(i, e.episode());
        step.setSafe(i, a.step());
        computation.setSafe(i, e.computation().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        features.setSafe(i, a.raw().length == 0 ? 0 : a.raw()[0].length);
        probabilities.setPosition(i);
        if (a.probabilities() != null) {
          list(probabilities, a.probabilities());
        }
        values.setPosition(i);
        list(values, a.values());
        raw.setPosition(i);
        raw.startList();
        for (double[] perTarget : a.raw()) {
          for (double v : perTarget) {
            raw.float8().writeFloat8(v);
          }
        }
        raw.endList();
        atBaseline.setPosition(i);
        if (a.atBaseline() != null) {
          list(atBaseline, a.atBaseline());
        }
        stderr.setPosition(i);
        if (a.stderr() != null) {
          stderr.startList();
          for (double[] perTarget : a.stderr()) {
            for (double v : perTarget) {
              stderr.float8().writeFloat8(v);
            }
          }
          stderr.endList();
        }
      }
      atBaseline.setValueCount(entries.size());
      stderr.setValueCount(entries.size());
      probabilities.setValueCount(entries.size());
      values.setValueCount(entries.size());
      raw.setValueCount(entries.size());
      root.setRowCount(entries.size());
      w.writeBatch();
      w.end();
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void list(UnionListWriter w, double[] v) {
    w.startList();
    for (double d : v) {
      w.float8().writeFloat8(d);
    }
    w.endList();
  }

  public static Contents read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Map<String, String> meta = root.getSchema().getCustomMetadata();
      if (meta == null || !("1.0".equals(meta.get(KEY_VERSION)) || VERSION.equals(meta.get(KEY_VERSION)))) {
        throw new IOException(file + ": not an rld attributions sidecar (version 1.0 or " + VERSION + ")");
      }
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        IntVector episode = (IntVector) root.getVector("episode");
        IntVector step = (IntVector) root.getVector("step");
        VarCharVector computation = (VarCharVector) root.getVector("computation");
        IntVector features = (IntVector) root.getVector("features");
        ListVector probabilities = (ListVector) root.getVector("probabilities");
        ListVector values = (ListVector) root.getVector("values");
        ListVector raw = (ListVector) root.getVector("raw");
        ListVector atBaseline = (ListVector) root.getVector("at_baseline"); // null in 1.0
        ListVector stderr = (ListVector) root.getVector("stderr");
        for (int i = 0; i < root.getRowCount(); i++) {
          double[] v = doubles(values, i);
          double[] flat = doubles(raw, i);
          int m = features.get(i);
          double[][] byTarget = new double[v.length][];
          for (int k = 0; k < v.length; k++) {
            byTarget[k] = java.util.Arrays.copyOfRange(flat, k * m, (k + 1) * m);
          }
          double[][] se = null;
          if (stderr != null && !stderr.isNull(i)) {
            double[] flatSe = doubles(stderr, i);
            se = new double[v.length][];
            for (int k = 0; k < v.length; k++) {
              se[k] = java.util.Arrays.copyOfRange(flatSe, k * m, (k + 1) * m);
            }
          }
          StepAttribution a = new StepAttribution(step.get(i),
              probabilities.isNull(i) ? null : doubles(probabilities, i), v, byTarget,
              atBaseline == null || atBaseline.isNull(i) ? null : doubles(atBaseline, i), se);
          entries.add(new Entry(episode.get(i), new String(computation.get(i), java.nio.charset.StandardCharsets.UTF_8), a));
        }
      }
      return new Contents(meta.get(KEY_POLICY), meta.get(KEY_RECORDING), entries);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(file + ": corrupt attributions sidecar: " + e.getMessage(), e);
    }
  }

  private static double[] doubles(ListVector list, int i) {
    int start = list.getElementStartIndex(i);
    int end = list.getElementEndIndex(i);
    Float8Vector data = (Float8Vector) list.getDataVector();
    double[] out = new double[end - start];
    for (int j = start; j < end; j++) {
      out[j - start] = data.get(j);
    }
    return out;
  }
}
