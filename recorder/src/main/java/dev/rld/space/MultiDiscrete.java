package dev.rld.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code MultiDiscrete(nvec, start)}: one Discrete per element. Values are
 * {@code long[]} (Gymnasium's int64).
 */
public final class MultiDiscrete implements Space {
  private final long[] nvec;
  private final long[] start;

  public MultiDiscrete(long[] nvec, long[] start) {
    if (nvec.length != start.length) {
      throw new IllegalArgumentException("MultiDiscrete nvec and start differ in length");
    }
    for (long n : nvec) {
      if (n <= 0) {
        throw new IllegalArgumentException("MultiDiscrete nvec must be positive: " + Arrays.toString(nvec));
      }
    }
    this.nvec = nvec.clone();
    this.start = start.clone();
  }

  public MultiDiscrete(long... nvec) {
    this(nvec, new long[nvec.length]);
  }

  public long[] nvec() {
    return nvec.clone();
  }

  public long[] start() {
    return start.clone();
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof long[] v)) {
      return "expected long[] for MultiDiscrete, got " + Box.describe(value);
    }
    if (v.length != nvec.length) {
      return "expected " + nvec.length + " elements, got " + v.length;
    }
    for (int i = 0; i < v.length; i++) {
      if (v[i] < start[i] || v[i] >= start[i] + nvec[i]) {
        return "element " + i + " = " + v[i] + " is outside [" + start[i] + ", " + (start[i] + nvec[i] - 1) + "]";
      }
    }
    return null;
  }

  @Override
  public long[] sample(RandomGenerator rng) {
    long[] out = new long[nvec.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = start[i] + rng.nextLong(nvec[i]);
    }
    return out;
  }

  @Override
  public int flatDim() {
    return Math.toIntExact(Arrays.stream(nvec).sum());
  }

  /** Concatenated one-hots, as {@code gymnasium.spaces.flatten} does. */
  @Override
  public void flatten(Object value, double[] out, int offset) {
    long[] v = (long[]) value;
    int at = offset;
    for (int i = 0; i < nvec.length; i++) {
      Arrays.fill(out, at, at + (int) nvec[i], 0.0);
      out[at + (int) (v[i] - start[i])] = 1.0;
      at += (int) nvec[i];
    }
  }

  @Override
  public List<Feature> features() {
    List<Feature> out = new ArrayList<>(flatDim());
    for (int i = 0; i < nvec.length; i++) {
      for (long k = 0; k < nvec[i]; k++) {
        out.add(new Feature("[" + i + "]=" + (start[i] + k), "", ""));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiDiscrete m && Arrays.equals(nvec, m.nvec) && Arrays.equals(start, m.start);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(nvec), Arrays.hashCode(start));
  }

  @Override
  public String toString() {
    return "MultiDiscrete(" + Arrays.toString(nvec) + ")";
  }
}
