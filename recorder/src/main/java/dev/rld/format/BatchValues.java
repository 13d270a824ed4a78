package dev.rld.format;

import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.function.IntPredicate;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Checks on a loaded batch that need its values, so that the {@link Steps} accessors and the
 * policies that flatten actions never meet what the format forbids: a null element inside a
 * non-null action or agent output, a Discrete or MultiDiscrete action out of range.
 * (Observations have no nulls at any level; {@link BatchDecoder} checks that from the node
 * counts alone.)
 */
final class BatchValues {
  private BatchValues() {}

  /** What is wrong with the batch's values, or null. */
  static String problem(VectorSchemaRoot root, Space actionSpace) {
    int rows = root.getRowCount();
    for (String column : new String[] {RolloutSchema.ACTIONS, RolloutSchema.PROBABILITIES, RolloutSchema.LOGITS}) {
      FieldVector v = root.getVector(column);
      if (v != null) {
        String p = nullUnder(v, rows, i -> true, column);
        if (p != null) {
          return p;
        }
      }
    }
    String p = actionOutOfRange(root.getVector(RolloutSchema.ACTIONS), rows, actionSpace);
    return p != null ? p : badInfo((VarCharVector) root.getVector(RolloutSchema.INFOS), rows);
  }

  /** Every info is a JSON object (a streaming pass: no tree is built). */
  private static String badInfo(VarCharVector infos, int rows) {
    for (int r = 0; infos != null && r < rows; r++) {
      if (!infos.isNull(r)) {
        byte[] info = infos.get(r);
        if (InfoJson.plainSeed(info) != null) {
          continue; // the recorder's reset info, checked byte for byte
        }
        try (JsonParser p = RolloutSchema.JSON.getFactory().createParser(info)) {
          if (p.nextToken() != JsonToken.START_OBJECT || p.skipChildren() == null || p.nextToken() != null) {
            return "row " + r + ": infos is not a JSON object";
          }
        } catch (IOException e) {
          return "row " + r + ": infos is not valid JSON";
        }
      }
    }
    return null;
  }

  /** A null child element under a slot of {@code v} that is itself present. */
  private static String nullUnder(FieldVector v, int count, IntPredicate parentPresent, String name) {
    IntPredicate present = i -> parentPresent.test(i) && !v.isNull(i);
    if (v instanceof FixedSizeListVector l) {
      int width = l.getListSize();
      return nullIn(l.getDataVector(), count * width, j -> present.test(j / width), name);
    }
    if (v instanceof StructVector s) {
      for (FieldVector c : s.getChildrenFromFields()) {
        String p = nullIn(c, count, present, name + "." + c.getName());
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private static String nullIn(FieldVector child, int count, IntPredicate present, String name) {
    if (child.getNullCount() > 0) {
      for (int j = 0; j < count; j++) {
        if (present.test(j) && child.isNull(j)) {
          return "column '" + name + "' has a null element " + j + " inside a value that is not null";
        }
      }
    }
    return nullUnder(child, count, present, name);
  }

  private static String actionOutOfRange(FieldVector actions, int rows, Space space) {
    if (space instanceof Discrete d) {
      IntVector v = (IntVector) actions;
      for (int r = 0; r < rows; r++) {
        if (!v.isNull(r) && (v.get(r) < d.start() || v.get(r) - (long) d.start() >= d.n())) {
          return "row " + r + ": action " + v.get(r) + " is outside " + d;
        }
      }
    } else if (space instanceof MultiDiscrete m) {
      FixedSizeListVector l = (FixedSizeListVector) actions;
      BigIntVector data = (BigIntVector) l.getDataVector();
      int k = m.nvec().length;
      for (int r = 0; r < rows; r++) {
        for (int i = 0; !l.isNull(r) && i < k; i++) {
          long x = data.get(r * k + i);
          if (x < m.start()[i] || x - m.start()[i] >= m.nvec()[i]) {
            return "row " + r + ": action element " + i + " (" + x + ") is outside " + m;
          }
        }
      }
    }
    return null;
  }
}
