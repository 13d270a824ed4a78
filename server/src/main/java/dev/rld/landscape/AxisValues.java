package dev.rld.landscape;

import java.util.stream.DoubleStream;
import java.util.stream.LongStream;

/** The values one landscape axis visits: a range at the asked resolution, or a discrete feature's values. */
final class AxisValues {
  private AxisValues() {}

  /**
   * The values of {@code axis} over feature {@code f}; IllegalArgumentException, naming the axis
   * ({@code name}: "x" or "y") and the feature, when the range or resolution does not fit.
   */
  static double[] of(SweptFeature f, PolicyLandscape.Axis axis, String name, String label) {
    int n = axis.resolution();
    if (n < 1 || n > PolicyLandscape.MAX_RESOLUTION) {
      throw new IllegalArgumentException("the " + name + " resolution must be 1 to " + PolicyLandscape.MAX_RESOLUTION
          + ", got " + n);
    }
    double from = bound(axis.from(), f.low(), name + ".from", label);
    double to = bound(axis.to(), f.high(), name + ".to", label);
    if (from < f.low() || to > f.high()) {
      throw new IllegalArgumentException(name + " sweeps '" + label + "' over [" + from + ", " + to
          + "], outside its space's bounds [" + f.low() + ", " + f.high() + "]");
    }
    if (from > to) {
      throw new IllegalArgumentException(name + ".from (" + from + ") must not exceed " + name + ".to (" + to + ")");
    }
    if (f.discrete() || f.kind() == SweptFeature.Kind.INTEGERS) {
      // every value of a Discrete, MultiBinary or small integer range; an integer range wider than
      // the resolution rounds evenly spaced values
      long lo = (long) Math.ceil(from);
      long hi = (long) Math.floor(to);
      if (lo > hi) {
        throw new IllegalArgumentException(name + " sweeps '" + label + "' over [" + from + ", " + to
            + "], which holds none of its values");
      }
      if (f.discrete() || hi - lo + 1 <= n) {
        if (hi - lo + 1 > PolicyLandscape.MAX_RESOLUTION) {
          throw new IllegalArgumentException(name + " sweeps '" + label + "' over " + (hi - lo + 1)
              + " values; at most " + PolicyLandscape.MAX_RESOLUTION + " (narrow " + name + ".from/" + name + ".to)");
        }
        return LongStream.rangeClosed(lo, hi).asDoubleStream().toArray();
      }
      return DoubleStream.of(linspace(lo, hi, n)).map(Math::rint).distinct().toArray();
    }
    return linspace(from, to, n);
  }

  private static double bound(Double given, double space, String what, String label) {
    if (given == null) {
      if (!Double.isFinite(space)) {
        throw new IllegalArgumentException(what + " is needed: '" + label + "' is unbounded in the space "
            + "(give the range to sweep, e.g. the episode's observed range)");
      }
      return space;
    }
    if (!Double.isFinite(given)) {
      throw new IllegalArgumentException(what + " must be a finite number, got " + given);
    }
    return given;
  }

  private static double[] linspace(double from, double to, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = n == 1 ? from : from + (to - from) * i / (n - 1);
    }
    return v;
  }
}
