package dev.rld.format;

import static dev.rld.format.RolloutSchema.ACTIONS;
import static dev.rld.format.RolloutSchema.EPISODE_ID;
import static dev.rld.format.RolloutSchema.INFOS;
import static dev.rld.format.RolloutSchema.LOGITS;
import static dev.rld.format.RolloutSchema.OBSERVATIONS;
import static dev.rld.format.RolloutSchema.PROBABILITIES;
import static dev.rld.format.RolloutSchema.REWARDS;
import static dev.rld.format.RolloutSchema.SCALARS;
import static dev.rld.format.RolloutSchema.TERMINATIONS;
import static dev.rld.format.RolloutSchema.TRUNCATIONS;
import static dev.rld.format.RolloutSchema.VALUE;

import dev.rld.space.DType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The batch a {@link RolloutWriter} is filling: one {@link ColumnBuffer} per column of the
 * file, by name in schema order, and the agent-output columns the first step fixed.
 */
final class BatchColumns {
  final Map<String, ColumnBuffer> byName = new LinkedHashMap<>();
  final ColumnBuffer.Numbers episodeId = new ColumnBuffer.Numbers(DType.INT32, 1, false);
  final ColumnBuffer observations;
  final ColumnBuffer actions;
  final ColumnBuffer.Numbers rewards = new ColumnBuffer.Numbers(DType.FLOAT64, 1, false);
  final ColumnBuffer.Booleans terminations = new ColumnBuffer.Booleans();
  final ColumnBuffer.Booleans truncations = new ColumnBuffer.Booleans();
  final ColumnBuffer.Texts infos = new ColumnBuffer.Texts();
  final ColumnBuffer.Numbers probabilities;
  final ColumnBuffer.Numbers logits;
  final ColumnBuffer.Numbers value;
  final ColumnBuffer.Struct scalars;

  BatchColumns(Schema schema, SpaceCodec observationCodec, SpaceCodec actionCodec) {
    observations = observationCodec.newBuffer();
    actions = actionCodec.newBuffer();
    probabilities = floatList(schema, PROBABILITIES);
    logits = floatList(schema, LOGITS);
    value = has(schema, VALUE) ? new ColumnBuffer.Numbers(DType.FLOAT32, 1, false) : null;
    if (has(schema, SCALARS)) {
      Map<String, ColumnBuffer> fields = new LinkedHashMap<>();
      schema.findField(SCALARS).getChildren().forEach(f ->
          fields.put(f.getName(), new ColumnBuffer.Numbers(DType.FLOAT64, 1, false)));
      scalars = new ColumnBuffer.Struct(fields);
    } else {
      scalars = null;
    }
    Map<String, ColumnBuffer> all = new HashMap<>();
    all.put(EPISODE_ID, episodeId);
    all.put(OBSERVATIONS, observations);
    all.put(ACTIONS, actions);
    all.put(REWARDS, rewards);
    all.put(TERMINATIONS, terminations);
    all.put(TRUNCATIONS, truncations);
    all.put(INFOS, infos);
    all.put(PROBABILITIES, probabilities);
    all.put(LOGITS, logits);
    all.put(VALUE, value);
    all.put(SCALARS, scalars);
    schema.getFields().forEach(f -> byName.put(f.getName(), all.get(f.getName())));
  }

  private static boolean has(Schema schema, String name) {
    return schema.getFields().stream().anyMatch(f -> f.getName().equals(name));
  }

  private static ColumnBuffer.Numbers floatList(Schema schema, String name) {
    if (!has(schema, name)) {
      return null;
    }
    int n = ((ArrowType.FixedSizeList) schema.findField(name).getType()).getListSize();
    return new ColumnBuffer.Numbers(DType.FLOAT32, n, true);
  }

  void flushTo(VectorSchemaRoot root) {
    byName.forEach((name, buffer) -> buffer.flushTo(root.getVector(name)));
  }

  /** Why agent outputs do not fit the columns the first step fixed, or null when they do. */
  String agentMismatch(AgentOutput a) {
    if (a == AgentOutput.none()) {
      return null;
    }
    String why = listMismatch(a.probabilities(), probabilities, "probabilities");
    if (why == null) {
      why = listMismatch(a.logits(), logits, "logits");
    }
    if (why == null && a.value() != null && value == null) {
      why = notDeclared("a value");
    }
    for (String name : a.scalars().keySet()) {
      if (why == null && (scalars == null || !scalars.fields.containsKey(name))) {
        why = notDeclared("scalar '" + name + "'");
      }
    }
    return why;
  }

  private static String listMismatch(float[] values, ColumnBuffer.Numbers column, String what) {
    if (values == null) {
      return null;
    }
    if (column == null) {
      return notDeclared(what);
    }
    return values.length == column.width() ? null
        : what + " have " + values.length + " entries but the first step had " + column.width();
  }

  private static String notDeclared(String what) {
    return what + " given, but the first recorded step had none: the columns of a file are fixed "
        + "by its first step, so attach every kind of agent output from the first step on";
  }

  /** Appends the agent's outputs; {@code a == null} on an episode's final row. */
  void appendAgent(AgentOutput a) {
    appendList(probabilities, a == null ? null : a.probabilities());
    appendList(logits, a == null ? null : a.logits());
    if (value != null) {
      if (a == null || a.value() == null) {
        value.appendNull();
      } else {
        value.appendFloat(a.value());
      }
    }
    if (scalars != null) {
      if (a == null) {
        scalars.appendNull();
        return;
      }
      scalars.appendRow();
      scalars.fields.forEach((name, field) -> {
        Double v = a.scalars().get(name);
        if (v == null) {
          field.appendNull();
        } else {
          ((ColumnBuffer.Numbers) field).appendDouble(v);
        }
      });
    }
  }

  private static void appendList(ColumnBuffer.Numbers column, float[] values) {
    if (column == null) {
      return;
    }
    if (values == null) {
      column.appendNull();
    } else {
      column.appendArray(values);
    }
  }
}
