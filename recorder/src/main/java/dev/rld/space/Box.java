package dev.rld.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Box}: an n-dimensional array with per-element bounds {@code [low, high]}
 * (infinite bounds allowed for floating types). Values are flat Java arrays in row-major order,
 * of the type {@link DType#arrayType()} names.
 *
 * <p>A Box may carry one label and unit per element ("cart position", "m"); the viewer and the
 * attribution tables show them.
 */
public final class Box implements Space {
  private final double[] low;
  private final double[] high;
  /** The bounds as float32 (exact: they are rounded to the dtype), for checking float32 values. */
  private final float[] lowF;
  private final float[] highF;
  private final int[] shape;
  private final DType dtype;
  private final List<String> labels;
  private final List<String> units;

  private Box(double[] low, double[] high, int[] shape, DType dtype,
      List<String> labels, List<String> units) {
    this.shape = shape.clone();
    int n = size(shape);
    if (low.length != n || high.length != n) {
      throw new IllegalArgumentException("Box low/high have " + low.length + "/" + high.length
          + " elements but shape " + Arrays.toString(shape) + " has " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!(low[i] <= high[i])) {
        throw new IllegalArgumentException("Box low[" + i + "]=" + low[i] + " > high[" + i + "]=" + high[i]);
      }
    }
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.low = roundToDtype(low, dtype);
    this.high = roundToDtype(high, dtype);
    this.lowF = new float[dtype == DType.FLOAT32 ? n : 0];
    this.highF = new float[lowF.length];
    for (int i = 0; i < lowF.length; i++) {
      lowF[i] = (float) this.low[i];
      highF[i] = (float) this.high[i];
    }
    this.labels = checkedNames("labels", labels, n);
    this.units = checkedNames("units", units, n);
  }

  /** A Box with per-element bounds (row-major) and the given shape; {@code []} is a scalar. */
  public static Box of(DType dtype, double[] low, double[] high, int[] shape) {
    return new Box(low, high, shape, dtype, List.of(), List.of());
  }

  /** A one-dimensional Box with per-element bounds. */
  public static Box of(DType dtype, double[] low, double[] high) {
    return of(dtype, low, high, new int[] {low.length});
  }

  /** A Box whose elements all share the bounds {@code [low, high]}. */
  public static Box of(DType dtype, double low, double high, int... shape) {
    int n = size(shape);
    double[] lo = new double[n];
    double[] hi = new double[n];
    Arrays.fill(lo, low);
    Arrays.fill(hi, high);
    return new Box(lo, hi, shape, dtype, List.of(), List.of());
  }

  /** A one-dimensional float32 Box, the most common observation space. */
  public static Box float32(double[] low, double[] high) {
    return of(DType.FLOAT32, low, high);
  }

  /** This Box with one label per element (row-major order). */
  public Box withLabels(String... labels) {
    return new Box(low, high, shape, dtype, List.of(labels), units);
  }

  /** This Box with one unit per element (row-major order); use "" for none. */
  public Box withUnits(String... units) {
    return new Box(low, high, shape, dtype, labels, List.of(units));
  }

  public double[] low() {
    return low.clone();
  }

  public double[] high() {
    return high.clone();
  }

  public int[] shape() {
    return shape.clone();
  }

  public DType dtype() {
    return dtype;
  }

  /** The per-element labels, or an empty list when the Box has none. */
  public List<String> labels() {
    return labels;
  }

  /** The per-element units, or an empty list when the Box has none. */
  public List<String> units() {
    return units;
  }

  /** Number of elements: the product of the shape. */
  public int size() {
    return low.length;
  }

  @Override
  public String mismatch(Object value) {
    if (value instanceof float[] f && dtype == DType.FLOAT32 && f.length == low.length) {
      // The common case (and every step of a recording): no per-element type dispatch.
      for (int i = 0; i < f.length; i++) {
        if (!(f[i] >= lowF[i] && f[i] <= highF[i])) {
          return outOfRange(i, f[i]);
        }
      }
      return null;
    }
    int n = dtype.lengthOf(value);
    if (n < 0) {
      return "expected " + dtype.arrayType().getSimpleName() + " for a " + dtype.numpyName()
          + " Box, got " + describe(value);
    }
    if (n != low.length) {
      return "expected " + low.length + " elements (shape " + Arrays.toString(shape) + "), got " + n;
    }
    for (int i = 0; i < n; i++) {
      double v = dtype.get(value, i);
      // Written as !(in range) so that NaN is out of range, as in Gymnasium.
      if (!(v >= low[i] && v <= high[i])) {
        return outOfRange(i, v);
      }
    }
    return null;
  }

  private String outOfRange(int i, double v) {
    return "element " + i + (labels.isEmpty() ? "" : " (" + labels.get(i) + ")") + " = "
        + dtype.format(v) + " is outside [" + dtype.format(low[i]) + ", " + dtype.format(high[i]) + "]";
  }

  @Override
  public Object sample(RandomGenerator rng) {
    Object out = dtype.newArray(low.length);
    for (int i = 0; i < low.length; i++) {
      double lo = low[i];
      double hi = high[i];
      double v;
      // Gymnasium: uniform when bounded, exponential when bounded on one side, normal when free.
      if (!dtype.isFloating()) {
        lo = Math.max(lo, dtype.minValue());
        hi = Math.min(hi, dtype.maxValue());
        v = Math.floor(lo + rng.nextDouble() * (hi + 1 - lo));
        v = Math.min(v, hi);
      } else if (Double.isFinite(lo) && Double.isFinite(hi)) {
        v = lo + rng.nextDouble() * (hi - lo);
      } else if (Double.isFinite(lo)) {
        v = lo + rng.nextExponential();
      } else if (Double.isFinite(hi)) {
        v = hi - rng.nextExponential();
      } else {
        v = rng.nextGaussian();
      }
      dtype.set(out, i, v);
    }
    return out;
  }

  @Override
  public int flatDim() {
    return low.length;
  }

  @Override
  public void flatten(Object value, double[] out, int offset) {
    for (int i = 0; i < low.length; i++) {
      out[offset + i] = dtype.get(value, i);
    }
  }

  @Override
  public List<Feature> features() {
    List<Feature> out = new ArrayList<>(low.length);
    for (int i = 0; i < low.length; i++) {
      String label = labels.isEmpty() ? indexLabel(i) : labels.get(i);
      out.add(new Feature(label, units.isEmpty() ? "" : units.get(i), ""));
    }
    return out;
  }

  /** "[i]" for vectors, "[r,c]" for matrices: element {@code flat} in row-major order. */
  private String indexLabel(int flat) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < idx.length; d++) {
      sb.append(d == 0 ? "" : ",").append(idx[d]);
    }
    return sb.append(']').toString();
  }

  /**
   * Bounds as the dtype holds them, as Gymnasium stores them in an array of that dtype: a
   * float32 Box's bound 4.8 is 4.8f, so that every float32 value NumPy accepts is accepted here.
   */
  private static double[] roundToDtype(double[] bounds, DType dtype) {
    double[] out = bounds.clone();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) out[i];
      }
    }
    return out;
  }

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static List<String> checkedNames(String what, List<String> names, int n) {
    if (!names.isEmpty() && names.size() != n) {
      throw new IllegalArgumentException("Box has " + n + " elements but " + names.size() + " " + what);
    }
    return Collections.unmodifiableList(new ArrayList<>(names));
  }

  static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + abbreviate(value);
  }

  private static String abbreviate(Object value) {
    String s = value.getClass().isArray() ? arrayToString(value) : String.valueOf(value);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String arrayToString(Object a) {
    if (a instanceof float[] f) return Arrays.toString(f);
    if (a instanceof double[] d) return Arrays.toString(d);
    if (a instanceof int[] i) return Arrays.toString(i);
    if (a instanceof long[] l) return Arrays.toString(l);
    if (a instanceof byte[] b) return Arrays.toString(b);
    if (a instanceof Object[] o) return Arrays.deepToString(o);
    return a.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high)
        && Arrays.equals(shape, b.shape) && dtype == b.dtype && labels.equals(b.labels)
        && units.equals(b.units);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(low), Arrays.hashCode(high), Arrays.hashCode(shape), dtype, labels);
  }

  @Override
  public String toString() {
    return "Box(" + dtype.numpyName() + ", shape=" + Arrays.toString(shape) + ")";
  }
}
