package dev.rld.space;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code MultiBinary(n)}: an array of 0/1 values of the given shape. Values are
 * {@code byte[]} (Gymnasium's int8) in row-major order.
 */
public final class MultiBinary implements Space {
  private final int[] shape;
  private final int size;

  public MultiBinary(int... shape) {
    this.shape = shape.clone();
    this.size = Box.size(shape);
  }

  public int[] shape() {
    return shape.clone();
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof byte[] v)) {
      return "expected byte[] for MultiBinary, got " + Box.describe(value);
    }
    if (v.length != size) {
      return "expected " + size + " elements, got " + v.length;
    }
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0 && v[i] != 1) {
        return "element " + i + " = " + v[i] + " is not 0 or 1";
      }
    }
    return null;
  }

  @Override
  public byte[] sample(RandomGenerator rng) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (rng.nextBoolean() ? 1 : 0);
    }
    return out;
  }

  @Override
  public int flatDim() {
    return size;
  }

  @Override
  public void flatten(Object value, double[] out, int offset) {
    byte[] v = (byte[]) value;
    for (int i = 0; i < size; i++) {
      out[offset + i] = v[i];
    }
  }

  @Override
  public List<Feature> features() {
    // The element labels of a Box of the same shape.
    return Box.of(DType.UINT8, 0, 1, shape).features();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiBinary m && Arrays.equals(shape, m.shape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "MultiBinary(" + Arrays.toString(shape) + ")";
  }
}
