package dev.rld.attribution;

/**
 * Shapley values by enumeration (docs/attributions.md): the policy is evaluated once on each of
 * the 2^m coalitions of a step, and each feature's value is the weighted sum of its marginal
 * contributions. Coalition S is the bitmask with bit g set for each feature g in S.
 */
final class ExactShapley implements Plan {
  private final FeatureGroups groups;
  private final float[] baseline;
  private final int d;
  private final int targets;
  private final int m;
  /** weight[s] = s! (m − s − 1)! / m!, the weight of a coalition of size s. */
  private final double[] weight;

  ExactShapley(FeatureGroups groups, float[] baseline, int d, int targets) {
    this.groups = groups;
    this.baseline = baseline;
    this.d = d;
    this.targets = targets;
    this.m = groups.size();
    this.weight = new double[Math.max(1, m)];
    for (int s = 0; s < m; s++) {
      // s!(m−s−1)!/m! = 1 / (m · C(m−1, s))
      double c = 1;
      for (int i = 1; i <= s; i++) {
        c = c * (m - 1 - s + i) / i;
      }
      weight[s] = 1 / (m * c);
    }
  }

  /** Rows per step, 2^m, as a long: callers check it before building the plan. */
  static long coalitions(int m) {
    return m >= 62 ? Long.MAX_VALUE : 1L << m;
  }

  @Override
  public int rowsPerStep() {
    return 1 << m;
  }

  @Override
  public String describe() {
    return "exact shapley of " + m + " features (2^" + m + " coalitions)";
  }

  @Override
  public void fill(float[] x, int step, float[] inputs, int row) {
    for (int mask = 0; mask < 1 << m; mask++) {
      int at = (row + mask) * d;
      System.arraycopy(baseline, 0, inputs, at, d);
      for (int g = 0; g < m; g++) {
        if ((mask & (1 << g)) != 0) {
          for (int i : groups.members().get(g)) {
            inputs[at + i] = x[i];
          }
        }
      }
    }
  }

  @Override
  public Estimate estimate(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
    double[][] f = new double[1 << m][];
    for (int mask = 0; mask < f.length; mask++) {
      f[mask] = head.values(outputs, row + mask);
    }
    double[][] raw = new double[targets][m];
    for (int mask = 0; mask < f.length; mask++) {
      double w = weight[Math.min(Integer.bitCount(mask), m - 1)];
      for (int g = 0; g < m; g++) {
        int bit = 1 << g;
        if ((mask & bit) == 0) {
          double[] with = f[mask | bit];
          double[] without = f[mask];
          for (int k = 0; k < targets; k++) {
            raw[k][g] += w * (with[k] - without[k]);
          }
        }
      }
    }
    return new Estimate(raw, null);
  }
}
