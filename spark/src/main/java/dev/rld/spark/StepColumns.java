package dev.rld.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.FileBatches;
import dev.rld.format.Steps;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.Feature;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The steps view's columns, derived from the recording's spaces (docs/spark.md): {@code file},
 * {@code episode}, {@code step}, one double column per flattened observation feature named by
 * its label, {@code observation} (the flattened observation), {@code action}, {@code reward},
 * {@code terminated}, {@code truncated}, the agent outputs the files hold, and {@code info}
 * (JSON). Converts a batch's row to a Spark row of any pruned subset of them.
 */
final class StepColumns implements Serializable {
  static final List<String> FIXED = List.of("file", "episode", "step", "observation", "action", "reward",
      "terminated", "truncated", "probabilities", "logits", "value", "scalars", "info");
  /** Above this many observation elements, no per-feature columns unless asked (images). */
  static final int MAX_FEATURE_COLUMNS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpaceRef observationSpace;
  private final SpaceRef actionSpace;
  private final List<String> featureNames;
  private final StructType schema;

  StepColumns(Space observationSpace, Space actionSpace, boolean features, Set<String> agentColumns) {
    this.observationSpace = new SpaceRef(observationSpace);
    this.actionSpace = new SpaceRef(actionSpace);
    this.featureNames = features ? List.copyOf(featureNames(observationSpace.features())) : List.of();
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("file", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("episode", DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField("step", DataTypes.IntegerType, false));
    for (String f : featureNames) {
      fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("observation", DataTypes.createArrayType(DataTypes.DoubleType, false),
        false));
    fields.add(DataTypes.createStructField("action", actionType(actionSpace), true));
    fields.add(DataTypes.createStructField("reward", DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField("terminated", DataTypes.BooleanType, false));
    fields.add(DataTypes.createStructField("truncated", DataTypes.BooleanType, false));
    if (agentColumns.contains("probabilities")) {
      fields.add(DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false),
          true));
    }
    if (agentColumns.contains("logits")) {
      fields.add(DataTypes.createStructField("logits", DataTypes.createArrayType(DataTypes.FloatType, false), true));
    }
    if (agentColumns.contains("value")) {
      fields.add(DataTypes.createStructField("value", DataTypes.FloatType, true));
    }
    if (agentColumns.contains("scalars")) {
      fields.add(DataTypes.createStructField("scalars",
          DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), true));
    }
    fields.add(DataTypes.createStructField("info", DataTypes.StringType, false));
    this.schema = new StructType(fields.toArray(StructField[]::new));
  }

  /** The agent-output columns a file has, by their Spark names. */
  static Set<String> agentColumns(FileBatches file) {
    Set<String> out = new HashSet<>();
    file.schema().getFields().forEach(f -> {
      switch (f.getName()) {
        case "action_probabilities" -> out.add("probabilities");
        case "action_logits" -> out.add("logits");
        case "value" -> out.add("value");
        case "scalars" -> out.add("scalars");
        default -> { }
      }
    });
    return out;
  }

  StructType schema() {
    return schema;
  }

  /** Feature labels as column names: made unique, and kept clear of the fixed columns. */
  static List<String> featureNames(List<Feature> features) {
    List<String> out = new ArrayList<>();
    Set<String> taken = new HashSet<>(FIXED);
    for (Feature f : features) {
      String name = f.label();
      if (taken.contains(name)) {
        name = "obs_" + name;
      }
      String base = name;
      for (int k = 2; taken.contains(name); k++) {
        name = base + "_" + k;
      }
      taken.add(name);
      out.add(name);
    }
    return out;
  }

  private static DataType actionType(Space space) {
    if (space instanceof Discrete) {
      return DataTypes.LongType;
    }
    if (space instanceof Box) {
      return DataTypes.createArrayType(DataTypes.DoubleType, false);
    }
    if (space instanceof MultiDiscrete || space instanceof MultiBinary) {
      return DataTypes.createArrayType(DataTypes.LongType, false);
    }
    return DataTypes.StringType; // Dict and Tuple actions: JSON
  }

  /** Fills the columns of {@code wanted} (a pruned schema) for row {@code i} of a batch. */
  final class RowWriter {
    private final int[] source;
    private final boolean needsObservation;
    private final String file;
    private final int featureStart;

    RowWriter(StructType wanted, String file) {
      this.file = file;
      this.source = new int[wanted.fields().length];
      boolean obs = false;
      for (int c = 0; c < source.length; c++) {
        String name = wanted.fields()[c].name();
        source[c] = schema.fieldIndex(name);
        obs |= name.equals("observation") || featureNames.contains(name);
      }
      this.needsObservation = obs;
      this.featureStart = 3;
    }

    InternalRow row(FileBatches.Batch batch, int i) {
      Steps rows = batch.rows();
      Object[] values = new Object[source.length];
      double[] flat = needsObservation ? observationSpace.get().flatten(rows.observation(i)) : null;
      for (int c = 0; c < source.length; c++) {
        int s = source[c];
        if (s >= featureStart && s < featureStart + featureNames.size()) {
          values[c] = flat[s - featureStart];
          continue;
        }
        values[c] = switch (schema.fields()[s].name()) {
          case "file" -> UTF8String.fromString(file);
          case "episode" -> batch.episode(i);
          case "step" -> batch.step(i);
          case "observation" -> ArrayData.toArrayData(flat);
          case "action" -> action(rows.action(i));
          case "reward" -> rows.reward(i);
          case "terminated" -> rows.terminated(i);
          case "truncated" -> rows.truncated(i);
          case "probabilities" -> floats(rows.has("action_probabilities") ? rows.probabilities(i) : null);
          case "logits" -> floats(rows.has("action_logits") ? rows.logits(i) : null);
          case "value" -> rows.has("value") ? rows.value(i) : null;
          case "scalars" -> rows.has("scalars") ? scalars(rows.scalars(i)) : null;
          case "info" -> UTF8String.fromString(json(rows.info(i)));
          default -> throw new IllegalStateException("unknown column " + schema.fields()[s].name());
        };
      }
      return new GenericInternalRow(values);
    }
  }

  private Object action(Object a) {
    if (a == null) {
      return null;
    }
    Space actionSpace = this.actionSpace.get();
    if (actionSpace instanceof Discrete) {
      return ((Number) a).longValue();
    }
    if (actionSpace instanceof Box) {
      return ArrayData.toArrayData(actionSpace.flatten(a));
    }
    if (actionSpace instanceof MultiDiscrete || actionSpace instanceof MultiBinary) {
      return ArrayData.toArrayData(longs(a));
    }
    return UTF8String.fromString(json(a));
  }

  static long[] longs(Object array) {
    int n = java.lang.reflect.Array.getLength(array);
    long[] out = new long[n];
    for (int j = 0; j < n; j++) {
      out[j] = ((Number) java.lang.reflect.Array.get(array, j)).longValue();
    }
    return out;
  }

  private static Object floats(float[] v) {
    return v == null ? null : ArrayData.toArrayData(v);
  }

  private static Object scalars(Map<String, Double> m) {
    if (m.isEmpty()) {
      return null;
    }
    Object[] keys = new Object[m.size()];
    Object[] vals = new Object[m.size()];
    int k = 0;
    for (Map.Entry<String, Double> e : m.entrySet()) {
      keys[k] = UTF8String.fromString(e.getKey());
      vals[k++] = e.getValue();
    }
    return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(vals));
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
