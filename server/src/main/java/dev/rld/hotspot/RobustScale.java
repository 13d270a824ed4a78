package dev.rld.hotspot;

import java.util.Arrays;

/**
 * Where a series is centred and how widely it spreads, robustly: the median, and the median
 * absolute deviation scaled to a normal's standard deviation. A spike does not move either, so
 * it stands out in its own z-score (Iglewicz and Hoaglin's modified z-score).
 */
record RobustScale(double median, double scale, double mean) {
  /** |z| from which a value is an outlier (Iglewicz and Hoaglin's 3.5). */
  static final double OUTLIER_Z = 3.5;

  /** The scale of the finite values of {@code v}; scale 0 when they do not vary. */
  static RobustScale of(double[] v) {
    double[] x = Arrays.stream(v).filter(Double::isFinite).toArray();
    if (x.length == 0) {
      return new RobustScale(0, 0, 0);
    }
    Arrays.sort(x);
    double median = median(x);
    double[] dev = new double[x.length];
    double sumDev = 0;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      dev[i] = Math.abs(x[i] - median);
      sumDev += dev[i];
      sum += x[i];
    }
    Arrays.sort(dev);
    double scale = 1.4826 * median(dev);
    // Rounding noise (values recorded as float32, sums of doubles) is no spread: below this,
    // a series counts as constant, or as its few outliers' mean absolute deviation says.
    double noise = 1e-6 * Math.max(1, Math.max(Math.abs(x[0]), Math.abs(x[x.length - 1])));
    if (scale < noise) {
      // More than half the values are equal (sparse rewards, a constant value): the mean
      // absolute deviation still sees the few that differ (1.2533 makes it a normal's sigma).
      scale = 1.2533 * sumDev / x.length;
    }
    return new RobustScale(median, scale < noise ? 0 : scale, sum / x.length);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The robust z-score of {@code x}; 0 when the series does not vary or x is not finite. */
  double z(double x) {
    return scale == 0 || !Double.isFinite(x) ? 0 : (x - median) / scale;
  }

  /** How far past the outlier threshold |z| is, in [0, 1): 0 at the threshold, 0.9 at ten times it. */
  static double strength(double z) {
    return Math.abs(z) < OUTLIER_Z ? 0 : 1 - OUTLIER_Z / Math.abs(z);
  }
}
