package dev.rld.api;

import java.util.function.ToLongFunction;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** What one row of a recording costs in an answer, from its schema alone: to price steps requests. */
final class RowSize {
  private RowSize() {}

  /** Bytes of one row in an Arrow answer: the fixed-width values of every column (infos guessed at 64). */
  static long arrowBytes(Schema schema) {
    return schema.getFields().stream().mapToLong(f -> sumOfLeaves(f, t -> t instanceof ArrowType.Int i
        ? i.getBitWidth() / 8
        : t instanceof ArrowType.FloatingPoint p ? (p.getPrecision() == FloatingPointPrecision.DOUBLE ? 8 : 4)
        : t instanceof ArrowType.Utf8 ? 64 : 1)).sum();
  }

  /** Bytes of one row in a JSON answer: about 16 characters a value (infos counted as 4 values). */
  static long jsonBytes(Schema schema) {
    return schema.getFields().stream().mapToLong(f -> 16 * sumOfLeaves(f, t -> t instanceof ArrowType.Utf8 ? 4 : 1))
        .sum();
  }

  /** {@code leaf} of every leaf of a column's type tree, times the fixed list sizes above it. */
  private static long sumOfLeaves(Field f, ToLongFunction<ArrowType> leaf) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.FixedSizeList l) {
      return l.getListSize() * sumOfLeaves(f.getChildren().get(0), leaf);
    }
    if (t instanceof ArrowType.Struct) {
      return f.getChildren().stream().mapToLong(c -> sumOfLeaves(c, leaf)).sum();
    }
    return leaf.applyAsLong(t);
  }
}
