package dev.rld.space;

/**
 * Element types a {@link Box} may hold, named as NumPy names them. Each maps to one Java array
 * type for values: float32 to {@code float[]}, float64 to {@code double[]}, int32 to
 * {@code int[]}, int64 to {@code long[]} and uint8 to {@code byte[]} (read as unsigned).
 */
public enum DType {
  FLOAT32("float32", float[].class),
  FLOAT64("float64", double[].class),
  INT32("int32", int[].class),
  INT64("int64", long[].class),
  UINT8("uint8", byte[].class);

  private final String numpyName;
  private final Class<?> arrayType;

  DType(String numpyName, Class<?> arrayType) {
    this.numpyName = numpyName;
    this.arrayType = arrayType;
  }

  /** NumPy's name: "float32", "uint8", … */
  public String numpyName() {
    return numpyName;
  }

  /** The Java array class that holds values of this type. */
  public Class<?> arrayType() {
    return arrayType;
  }

  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** The dtype with NumPy name {@code name}. */
  public static DType ofNumpyName(String name) {
    for (DType d : values()) {
      if (d.numpyName.equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unsupported Box dtype '" + name + "' (expected float32, float64, int32, int64 or uint8)");
  }

  /** Element {@code i} of an array of this type, as a double. */
  double get(Object array, int i) {
    return switch (this) {
      case FLOAT32 -> ((float[]) array)[i];
      case FLOAT64 -> ((double[]) array)[i];
      case INT32 -> ((int[]) array)[i];
      case INT64 -> ((long[]) array)[i];
      case UINT8 -> ((byte[]) array)[i] & 0xFF;
    };
  }

  /** {@code v} as this type prints it: 0.41887903 for float32, 255 for uint8. */
  String format(double v) {
    return switch (this) {
      case FLOAT32 -> Float.toString((float) v);
      case FLOAT64 -> Double.toString(v);
      default -> Double.isInfinite(v) ? Double.toString(v) : Long.toString((long) v);
    };
  }

  /** Bytes per element. */
  public int byteWidth() {
    return switch (this) {
      case FLOAT32, INT32 -> 4;
      case FLOAT64, INT64 -> 8;
      case UINT8 -> 1;
    };
  }

  /** A new array of this type ({@link #arrayType()}) and length {@code n}. */
  public Object newArray(int n) {
    return switch (this) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT32 -> new int[n];
      case INT64 -> new long[n];
      case UINT8 -> new byte[n];
    };
  }

  /** Stores {@code v} (already in range) at element {@code i}. */
  void set(Object array, int i, double v) {
    switch (this) {
      case FLOAT32 -> ((float[]) array)[i] = (float) v;
      case FLOAT64 -> ((double[]) array)[i] = v;
      case INT32 -> ((int[]) array)[i] = (int) v;
      case INT64 -> ((long[]) array)[i] = (long) v;
      case UINT8 -> ((byte[]) array)[i] = (byte) (int) v;
    }
  }

  /** Length of an array of this type, or -1 when {@code value} is not one. */
  int lengthOf(Object value) {
    return arrayType.isInstance(value) ? java.lang.reflect.Array.getLength(value) : -1;
  }

  /** The lowest and highest value the type can hold, for default bounds. */
  double minValue() {
    return switch (this) {
      case FLOAT32, FLOAT64 -> Double.NEGATIVE_INFINITY;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      case UINT8 -> 0;
    };
  }

  double maxValue() {
    return switch (this) {
      case FLOAT32, FLOAT64 -> Double.POSITIVE_INFINITY;
      case INT32 -> Integer.MAX_VALUE;
      case INT64 -> Long.MAX_VALUE;
      case UINT8 -> 255;
    };
  }
}
