package dev.rld.attribution;

import java.util.Arrays;

/**
 * Scales attributions to [-1, 1] for display as rld does, with Captum's visualisation rule
 * (docs/attributions.md): a threshold from the cumulative sum of sorted magnitudes, which keeps
 * a few outliers from washing out everything else.
 */
public final class Normalization {
  /** Which signs are shown. */
  public enum Mode {
    ALL, POSITIVE, NEGATIVE, ABSOLUTE;

    /** The mode named {@code name} ("all", "positive", "negative", "absolute"). */
    public static Mode parse(String name) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown normalize '" + name + "' (all, positive, negative, absolute)");
    }
  }

  /** Captum's default outlier percentile. */
  public static final double DEFAULT_OUTLIER_PERCENTILE = 2;

  private Normalization() {}

  public static double[] normalize(double[] raw, Mode mode, double outlierPercentile) {
    double[] v = new double[raw.length];
    double threshold;
    switch (mode) {
      case ALL -> {
        System.arraycopy(raw, 0, v, 0, raw.length);
        threshold = cumulativeThreshold(abs(raw), 100 - outlierPercentile);
      }
      case POSITIVE -> {
        for (int i = 0; i < raw.length; i++) {
          v[i] = Math.max(raw[i], 0);
        }
        threshold = cumulativeThreshold(v, 100 - outlierPercentile);
      }
      case NEGATIVE -> {
        for (int i = 0; i < raw.length; i++) {
          v[i] = Math.min(raw[i], 0);
        }
        threshold = -cumulativeThreshold(abs(v), 100 - outlierPercentile);
      }
      default -> {
        v = abs(raw);
        threshold = cumulativeThreshold(v, 100 - outlierPercentile);
      }
    }
    double[] out = new double[v.length];
    if (threshold == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.max(-1, Math.min(1, v[i] / threshold));
    }
    return out;
  }

  private static double[] abs(double[] a) {
    return Arrays.stream(a).map(Math::abs).toArray();
  }

  /** The first sorted value whose cumulative sum reaches {@code percentile} % of the total. */
  static double cumulativeThreshold(double[] values, double percentile) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] cum = new double[sorted.length];
    double sum = 0;
    for (int i = 0; i < sorted.length; i++) {
      sum += sorted[i];
      cum[i] = sum;
    }
    double bar = cum[cum.length - 1] * 0.01 * percentile;
    for (int i = 0; i < cum.length; i++) {
      if (cum[i] >= bar) {
        return sorted[i];
      }
    }
    return sorted[sorted.length - 1];
  }
}
