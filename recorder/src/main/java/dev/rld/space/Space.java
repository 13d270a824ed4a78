package dev.rld.space;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A set of values with Gymnasium's meaning: {@link Box}, {@link Discrete}, {@link MultiDiscrete},
 * {@link MultiBinary}, {@link Dict} and {@link Tuple}.
 *
 * <p>The space is the single description of a value: the recorder encodes by it, the reader
 * decodes by it, policies flatten by it and the viewer labels and draws by it. Values are plain
 * Java objects; each space documents the Java type it holds.
 */
public sealed interface Space permits Box, Discrete, MultiDiscrete, MultiBinary, Dict, Tuple {

  /** Whether {@code value} is a member of this space (right Java type, shape and bounds). */
  default boolean contains(Object value) {
    return mismatch(value) == null;
  }

  /**
   * Why {@code value} is not a member of this space, or {@code null} when it is. The text names
   * the offending element and value, for error messages.
   */
  String mismatch(Object value);

  /** A random member of the space, drawn with Gymnasium's distributions from {@code rng}. */
  Object sample(RandomGenerator rng);

  /** Length of the flat vector {@link #flatten} writes, as {@code gymnasium.spaces.flatdim}. */
  int flatDim();

  /**
   * Writes {@code value} as {@code gymnasium.spaces.flatten} does (Discrete one-hot, Box raveled
   * in row-major order, Dict in key order) into {@code out} from {@code offset}.
   */
  void flatten(Object value, double[] out, int offset);

  /** One feature per element of the flat vector, in {@link #flatten} order. */
  List<Feature> features();

  /** Gymnasium's name of the space kind, as written in the JSON form ("Box", "Discrete", …). */
  default String typeName() {
    return getClass().getSimpleName();
  }

  /** Flattens {@code value} into a new array of length {@link #flatDim()}. */
  default double[] flatten(Object value) {
    double[] out = new double[flatDim()];
    flatten(value, out, 0);
    return out;
  }
}
