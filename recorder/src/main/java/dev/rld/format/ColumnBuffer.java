package dev.rld.format;

import dev.rld.space.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * One column of the batch being recorded, held in plain Java arrays and copied into its Arrow
 * vector in bulk when the batch is flushed. Appending a step is a few array stores; Arrow's
 * bounds-checked per-value setters would cost several times more on the recording hot path.
 */
abstract class ColumnBuffer {
  /** Rows appended since the last flush. */
  int rows;
  private int capacity = 64;
  /** The null rows, in order: few (an episode's final row), so kept as a list, not a flag per row. */
  private int[] nullRows = new int[8];
  private int nulls;

  /** Appends a null row. */
  final void appendNull() {
    markRow(true);
    appendZeros();
  }

  /** Records whether the new row is null; subclasses call it once per appended row. */
  final void markRow(boolean nullRow) {
    if (rows == capacity) {
      capacity *= 2;
      grow(capacity);
    }
    if (nullRow) {
      if (nulls == nullRows.length) {
        nullRows = Arrays.copyOf(nullRows, nulls * 2);
      }
      nullRows[nulls++] = rows;
    }
    rows++;
  }

  /** Room for {@code rows} rows. */
  abstract void grow(int capacity);

  /** Placeholder values for a null row. */
  abstract void appendZeros();

  /** Fills {@code vector} with the buffered rows and empties the buffer. */
  final void flushTo(FieldVector vector) {
    fill(vector, rows);
    rows = 0;
    nulls = 0;
  }

  /**
   * Fills the vector's buffers, reusing them when they are large enough (batches are flushed
   * often, and allocation is the larger part of a small flush), then sets its value count.
   */
  abstract void fill(FieldVector vector, int n);

  /** Sets the validity bits of the first {@code n} rows from the null flags. */
  final void fillValidity(ArrowBuf validity, int n) {
    setAllValid(validity, n);
    for (int i = 0; i < nulls; i++) {
      BitVectorHelper.unsetBit(validity, nullRows[i]);
    }
  }

  static void setAllValid(ArrowBuf validity, int n) {
    validity.setOne(0L, n / 8);
    if (n % 8 != 0) {
      validity.setByte(n / 8, (1 << (n % 8)) - 1);
    }
  }

  /**
   * Numbers of one type, {@code width} per row: a primitive column ({@code width == 1}) or a
   * fixed-size list of them (Box, MultiDiscrete, MultiBinary, agent probabilities).
   */
  static final class Numbers extends ColumnBuffer {
    /** The Java array type; MultiBinary's int8 elements are bytes like uint8's. */
    private final DType kind;
    private final int width;
    private final boolean list;
    private Object data;
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    Numbers(DType kind, int width, boolean list) {
      this.kind = kind;
      this.width = width;
      this.list = list;
      this.data = kind.newArray(64 * width);
    }

    @Override
    void grow(int capacity) {
      Object bigger = kind.newArray(capacity * width);
      System.arraycopy(data, 0, bigger, 0, rows * width);
      data = bigger;
    }

    /** Elements per row. */
    int width() {
      return width;
    }

    /** Appends one row from an array of this kind holding {@code width} elements. */
    void appendArray(Object values) {
      markRow(false);
      int at = (rows - 1) * width;
      if (kind == DType.FLOAT32) {
        // Typed, so that the copy is compiled for float[] (the common Box) rather than through
        // the generic, type-checking arraycopy path.
        float[] from = (float[]) values;
        float[] to = (float[]) data;
        for (int i = 0; i < width; i++) {
          to[at + i] = from[i];
        }
      } else {
        System.arraycopy(values, 0, data, at, width);
      }
    }

    void appendInt(int v) {
      markRow(false);
      ((int[]) data)[rows - 1] = v;
    }

    void appendFloat(float v) {
      markRow(false);
      ((float[]) data)[rows - 1] = v;
    }

    void appendDouble(double v) {
      markRow(false);
      ((double[]) data)[rows - 1] = v;
    }

    @Override
    void appendZeros() {
      int from = (rows - 1) * width;
      switch (kind) {
        case FLOAT32 -> Arrays.fill((float[]) data, from, from + width, 0f);
        case FLOAT64 -> Arrays.fill((double[]) data, from, from + width, 0d);
        case INT32 -> Arrays.fill((int[]) data, from, from + width, 0);
        case INT64 -> Arrays.fill((long[]) data, from, from + width, 0L);
        case UINT8 -> Arrays.fill((byte[]) data, from, from + width, (byte) 0);
      }
    }

    @Override
    void fill(FieldVector vector, int n) {
      BaseFixedWidthVector values;
      if (list) {
        FixedSizeListVector listVector = (FixedSizeListVector) vector;
        if (listVector.getValueCapacity() < n) {
          listVector.clear();
          listVector.setInitialCapacity(n);
          listVector.allocateNew();
        }
        fillValidity(listVector.getValidityBuffer(), n);
        values = (BaseFixedWidthVector) listVector.getDataVector();
        setAllValid(values.getValidityBuffer(), n * width);
      } else {
        values = (BaseFixedWidthVector) vector;
        if (values.getValueCapacity() < n) {
          values.clear();
          values.allocateNew(n);
        }
        fillValidity(values.getValidityBuffer(), n);
      }
      int count = n * width;
      ByteBuffer bytes = littleEndianBytes(count);
      values.getDataBuffer().setBytes(0, bytes);
      vector.setValueCount(n);
    }

    /** The first {@code count} elements as little-endian bytes, Arrow's byte order. */
    private ByteBuffer littleEndianBytes(int count) {
      int size = count * kind.byteWidth();
      if (scratch.capacity() < size) {
        scratch = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      }
      ByteBuffer b = scratch.clear().order(ByteOrder.LITTLE_ENDIAN);
      switch (kind) {
        case FLOAT32 -> b.asFloatBuffer().put((float[]) data, 0, count);
        case FLOAT64 -> b.asDoubleBuffer().put((double[]) data, 0, count);
        case INT32 -> b.asIntBuffer().put((int[]) data, 0, count);
        case INT64 -> b.asLongBuffer().put((long[]) data, 0, count);
        case UINT8 -> b.put((byte[]) data, 0, count);
      }
      return b.position(0).limit(size);
    }
  }

  /** Booleans (terminations, truncations), packed into Arrow's bits at flush. */
  static final class Booleans extends ColumnBuffer {
    private boolean[] data = new boolean[64];

    void append(boolean v) {
      markRow(false);
      data[rows - 1] = v;
    }

    @Override
    void grow(int capacity) {
      data = Arrays.copyOf(data, capacity);
    }

    @Override
    void appendZeros() {
      data[rows - 1] = false;
    }

    @Override
    void fill(FieldVector vector, int n) {
      BitVector bits = (BitVector) vector;
      if (bits.getValueCapacity() < n) {
        bits.clear();
        bits.allocateNew(n);
      }
      fillValidity(bits.getValidityBuffer(), n);
      ArrowBuf values = bits.getDataBuffer();
      values.setZero(0, (n + 7) / 8);
      for (int r = 0; r < n; r++) {
        if (data[r]) {
          BitVectorHelper.setBit(values, r);
        }
      }
      bits.setValueCount(n);
    }
  }

  /** UTF-8 text (infos as JSON); mostly null, so rows are set one by one at flush. */
  static final class Texts extends ColumnBuffer {
    private byte[][] data = new byte[64][];

    void append(byte[] utf8) {
      markRow(false); // fill() sets validity from the values themselves: nulls need no list

      data[rows - 1] = utf8;
    }

    void append(String s) {
      append(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void grow(int capacity) {
      data = Arrays.copyOf(data, capacity);
    }

    @Override
    void appendZeros() {
      data[rows - 1] = null;
    }

    @Override
    void fill(FieldVector vector, int n) {
      VarCharVector text = (VarCharVector) vector;
      if (text.getValueCapacity() < n) {
        text.clear();
        text.allocateNew(n);
      } else {
        text.reset();
      }
      for (int r = 0; r < n; r++) {
        if (data[r] != null) {
          text.setSafe(r, data[r]);
          data[r] = null;
        }
      }
      text.setValueCount(n);
    }
  }

  /** A struct (Dict, Tuple, agent scalars): one buffer per field, in field order. */
  static final class Struct extends ColumnBuffer {
    final Map<String, ColumnBuffer> fields;

    Struct(Map<String, ColumnBuffer> fields) {
      this.fields = fields;
    }

    /** Marks a present row; the caller appends to every field. */
    void appendRow() {
      markRow(false);
    }

    @Override
    void grow(int capacity) {
      // Fields grow on their own appends.
    }

    @Override
    void appendZeros() {
      fields.values().forEach(ColumnBuffer::appendNull);
    }

    @Override
    void fill(FieldVector vector, int n) {
      StructVector struct = (StructVector) vector;
      if (struct.getValidityBuffer().capacity() * 8 < n) {
        struct.clear();
        struct.setInitialCapacity(n);
        struct.allocateNew();
      }
      fillValidity(struct.getValidityBuffer(), n);
      List<FieldVector> children = struct.getChildrenFromFields();
      int i = 0;
      for (ColumnBuffer field : fields.values()) {
        field.flushTo(children.get(i++));
      }
      struct.setValueCount(n);
    }
  }
}
