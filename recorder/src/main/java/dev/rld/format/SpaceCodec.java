package dev.rld.format;

import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * How values of one space are stored in an Arrow column, and read back: the one place that maps
 * spaces to Arrow. Box, MultiDiscrete and MultiBinary are fixed-size lists of their element type
 * (row-major), Discrete is int32, Dict and Tuple are structs (Tuple fields named "0", "1", …).
 */
abstract class SpaceCodec {

  static SpaceCodec of(Space space) {
    if (space instanceof Box b) {
      return new ArrayCodec(b.size(), b.dtype(), b.shape());
    } else if (space instanceof Discrete) {
      return new DiscreteCodec();
    } else if (space instanceof MultiDiscrete m) {
      return new ArrayCodec(m.nvec().length, DType.INT64, new int[] {m.nvec().length});
    } else if (space instanceof MultiBinary m) {
      return new ArrayCodec(Arrays.stream(m.shape()).reduce(1, (a, b) -> a * b), null, m.shape());
    } else if (space instanceof Dict d) {
      Map<String, SpaceCodec> children = new LinkedHashMap<>();
      d.spaces().forEach((k, s) -> children.put(k, of(s)));
      return new StructCodec(children, false);
    } else {
      Map<String, SpaceCodec> children = new LinkedHashMap<>();
      List<Space> spaces = ((Tuple) space).spaces();
      for (int i = 0; i < spaces.size(); i++) {
        children.put(String.valueOf(i), of(spaces.get(i)));
      }
      return new StructCodec(children, true);
    }
  }

  /** The Arrow field for a column of this space named {@code name}; always nullable. */
  abstract Field field(String name);

  /** A buffer for a batch of this column (see {@link ColumnBuffer}). */
  abstract ColumnBuffer newBuffer();

  /** Bytes one value takes in its column, for sizing batches. */
  abstract long bytesPerRow();

  /** Appends {@code value} (already checked against the space) to {@code buffer}. */
  abstract void append(ColumnBuffer buffer, Object value);

  /** The value at {@code row}, or null when the row is null. */
  abstract Object read(FieldVector vector, int row);

  /** A human-readable Arrow type, for schema mismatch messages. */
  String describe() {
    return describe(field("x"));
  }

  static String describe(Field f) {
    if (f.getChildren().isEmpty()) {
      return f.getType().toString();
    }
    String kids = f.getChildren().stream()
        .map(c -> (f.getType() instanceof ArrowType.Struct ? c.getName() + ": " : "") + describe(c))
        .collect(Collectors.joining(", "));
    return f.getType() + "<" + kids + ">";
  }

  /** Fixed-size list of numbers: Box (any dtype), MultiDiscrete (int64), MultiBinary (int8). */
  static final class ArrayCodec extends SpaceCodec {
    private final int size;
    private final DType dtype; // null for MultiBinary's int8 elements
    private final int[] shape;

    ArrayCodec(int size, DType dtype, int[] shape) {
      this.size = size;
      this.dtype = dtype;
      this.shape = shape;
    }

    @Override
    Field field(String name) {
      String shapeText = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(","));
      Field item = new Field("item", FieldType.nullable(elementType()), null);
      return new Field(name,
          new FieldType(true, new ArrowType.FixedSizeList(size), null, Map.of("shape", shapeText)),
          List.of(item));
    }

    private ArrowType elementType() {
      if (dtype == null) {
        return new ArrowType.Int(8, true);
      }
      return switch (dtype) {
        case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case INT32 -> new ArrowType.Int(32, true);
        case INT64 -> new ArrowType.Int(64, true);
        case UINT8 -> new ArrowType.Int(8, false);
      };
    }

    @Override
    ColumnBuffer newBuffer() {
      return new ColumnBuffer.Numbers(dtype == null ? DType.UINT8 : dtype, size, true);
    }

    @Override
    long bytesPerRow() {
      return (long) size * (dtype == null ? 1 : dtype.byteWidth());
    }

    @Override
    void append(ColumnBuffer buffer, Object value) {
      ((ColumnBuffer.Numbers) buffer).appendArray(value);
    }

    @Override
    Object read(FieldVector vector, int row) {
      FixedSizeListVector list = (FixedSizeListVector) vector;
      if (list.isNull(row)) {
        return null;
      }
      FieldVector data = list.getDataVector();
      int base = row * size;
      if (dtype == null) {
        byte[] a = new byte[size];
        for (int j = 0; j < size; j++) {
          a[j] = ((TinyIntVector) data).get(base + j);
        }
        return a;
      }
      switch (dtype) {
        case FLOAT32: {
          float[] a = new float[size];
          for (int j = 0; j < size; j++) {
            a[j] = ((Float4Vector) data).get(base + j);
          }
          return a;
        }
        case FLOAT64: {
          double[] a = new double[size];
          for (int j = 0; j < size; j++) {
            a[j] = ((Float8Vector) data).get(base + j);
          }
          return a;
        }
        case INT32: {
          int[] a = new int[size];
          for (int j = 0; j < size; j++) {
            a[j] = ((IntVector) data).get(base + j);
          }
          return a;
        }
        case INT64: {
          long[] a = new long[size];
          for (int j = 0; j < size; j++) {
            a[j] = ((BigIntVector) data).get(base + j);
          }
          return a;
        }
        default: {
          byte[] a = new byte[size];
          for (int j = 0; j < size; j++) {
            a[j] = ((UInt1Vector) data).get(base + j);
          }
          return a;
        }
      }
    }
  }

  /** Discrete as int32, as Minari stores it. */
  static final class DiscreteCodec extends SpaceCodec {
    @Override
    Field field(String name) {
      return Field.nullable(name, new ArrowType.Int(32, true));
    }

    @Override
    ColumnBuffer newBuffer() {
      return new ColumnBuffer.Numbers(DType.INT32, 1, false);
    }

    @Override
    long bytesPerRow() {
      return 4;
    }

    @Override
    void append(ColumnBuffer buffer, Object value) {
      ((ColumnBuffer.Numbers) buffer).appendInt(((Number) value).intValue());
    }

    @Override
    Object read(FieldVector vector, int row) {
      IntVector v = (IntVector) vector;
      return v.isNull(row) ? null : v.get(row);
    }
  }

  /** Dict and Tuple: a struct with one child per subspace. */
  static final class StructCodec extends SpaceCodec {
    private final Map<String, SpaceCodec> children;
    private final boolean tuple;

    StructCodec(Map<String, SpaceCodec> children, boolean tuple) {
      this.children = children;
      this.tuple = tuple;
    }

    @Override
    Field field(String name) {
      List<Field> kids = new ArrayList<>();
      children.forEach((k, c) -> kids.add(c.field(k)));
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), kids);
    }

    @Override
    ColumnBuffer newBuffer() {
      Map<String, ColumnBuffer> fields = new LinkedHashMap<>();
      children.forEach((k, c) -> fields.put(k, c.newBuffer()));
      return new ColumnBuffer.Struct(fields);
    }

    @Override
    long bytesPerRow() {
      return children.values().stream().mapToLong(SpaceCodec::bytesPerRow).sum();
    }

    @Override
    void append(ColumnBuffer buffer, Object value) {
      ColumnBuffer.Struct struct = (ColumnBuffer.Struct) buffer;
      struct.appendRow();
      int i = 0;
      for (Map.Entry<String, SpaceCodec> e : children.entrySet()) {
        Object v = tuple ? ((List<?>) value).get(i++) : ((Map<?, ?>) value).get(e.getKey());
        e.getValue().append(struct.fields.get(e.getKey()), v);
      }
    }

    @Override
    Object read(FieldVector vector, int row) {
      StructVector struct = (StructVector) vector;
      if (struct.isNull(row)) {
        return null;
      }
      if (tuple) {
        List<Object> out = new ArrayList<>(children.size());
        children.forEach((k, c) -> out.add(c.read((FieldVector) struct.getChild(k), row)));
        return out;
      }
      // By name: another writer may order struct fields differently.
      Map<String, Object> out = new LinkedHashMap<>();
      children.forEach((k, c) -> out.put(k, c.read((FieldVector) struct.getChild(k), row)));
      return out;
    }
  }
}
