package dev.rld.landscape;

import dev.rld.space.Box;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.Tuple;

/**
 * What element {@code index} of a flattened observation can take, found by walking the space in
 * {@code gymnasium.spaces.flatten} order: a Box element a range (integers for integer dtypes), a
 * MultiBinary element 0 or 1, and an element of a Discrete's (or a MultiDiscrete part's) one-hot
 * block the block's values: sweeping it moves the hot element through the block.
 *
 * @param index the element asked about
 * @param kind how it is swept
 * @param low lowest value: the Box bound, 0 for MultiBinary, the first value of a one-hot block
 * @param high highest value (inclusive)
 * @param blockFrom for ONE_HOT, the first element of the block in the flat vector; else {@code index}
 */
public record SweptFeature(int index, Kind kind, double low, double high, int blockFrom) {

  /** How an element is swept. */
  public enum Kind {
    /** A floating-point Box element: evenly spaced values. */
    RANGE,
    /** An integer Box element: the distinct integers of evenly spaced values. */
    INTEGERS,
    /** A MultiBinary element: 0 and 1. */
    BINARY,
    /** An element of a one-hot block: the block's values, one hot element each. */
    ONE_HOT
  }

  /** Elements of the block (ONE_HOT), else 1. */
  public int blockSize() {
    return kind == Kind.ONE_HOT ? (int) (high - low) + 1 : 1;
  }

  /** Whether the value count is fixed by the space (one-hot blocks and MultiBinary), not by a resolution. */
  public boolean discrete() {
    return kind == Kind.ONE_HOT || kind == Kind.BINARY;
  }

  /** Element {@code index} of {@code space}'s flat vector; IllegalArgumentException beyond its end. */
  public static SweptFeature of(Space space, int index) {
    if (index < 0 || index >= space.flatDim()) {
      throw new IllegalArgumentException("feature " + index + " is not an element of the flattened observation "
          + "(0 to " + (space.flatDim() - 1) + ")");
    }
    return find(space, index, 0);
  }

  private static SweptFeature find(Space space, int index, int offset) {
    int i = index - offset;
    if (space instanceof Box b) {
      return new SweptFeature(index, b.dtype().isFloating() ? Kind.RANGE : Kind.INTEGERS, b.low()[i], b.high()[i],
          index);
    }
    if (space instanceof MultiBinary) {
      return new SweptFeature(index, Kind.BINARY, 0, 1, index);
    }
    if (space instanceof Discrete d) {
      return new SweptFeature(index, Kind.ONE_HOT, d.start(), d.start() + d.n() - 1, offset);
    }
    if (space instanceof MultiDiscrete m) {
      int at = 0;
      for (int k = 0; ; k++) {
        int n = (int) m.nvec()[k];
        if (i < at + n) {
          return new SweptFeature(index, Kind.ONE_HOT, m.start()[k], m.start()[k] + n - 1, offset + at);
        }
        at += n;
      }
    }
    return space instanceof Dict d ? within(d.spaces().values(), index, offset)
        : within(((Tuple) space).spaces(), index, offset);
  }

  private static SweptFeature within(Iterable<Space> parts, int index, int offset) {
    for (Space part : parts) {
      if (index < offset + part.flatDim()) {
        return find(part, index, offset);
      }
      offset += part.flatDim();
    }
    throw new IllegalStateException("feature " + index + " past the space's end");
  }
}
