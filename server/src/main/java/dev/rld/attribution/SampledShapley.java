package dev.rld.attribution;

import java.util.Arrays;

/**
 * Shapley value sampling over seeded permutations (docs/attributions.md), plain or antithetic
 * (each drawn permutation passed forward and reversed), with the standard error of each value
 * from the spread of its units (one pass, or the mean of a pair of passes).
 */
final class SampledShapley implements Plan {
  private final FeatureGroups groups;
  private final float[] baseline;
  private final int d;
  private final int targets;
  private final long seed;
  private final boolean antithetic;
  /** Permutations drawn per step. */
  private final int drawn;
  /** Passes per step: drawn (plain) or twice drawn (antithetic). */
  private final int passes;
  private final double[] atBaseline;

  /** {@code atBaseline} (f at the baseline) may be null when the plan is only checked, not run. */
  SampledShapley(FeatureGroups groups, AttributionRequest request, int d, int targets, boolean antithetic,
      double[] atBaseline) {
    this.groups = groups;
    this.baseline = request.baseline().values();
    this.d = d;
    this.targets = targets;
    this.seed = request.seed();
    this.antithetic = antithetic;
    this.drawn = antithetic ? (request.permutations() + 1) / 2 : request.permutations();
    this.passes = antithetic ? 2 * drawn : drawn;
    this.atBaseline = atBaseline;
  }

  @Override
  public int rowsPerStep() {
    return passes * groups.size();
  }

  @Override
  public String describe() {
    return "shapley with " + passes + (antithetic ? " antithetic" : "") + " permutations of " + groups.size()
        + " features";
  }

  /** The step's passes in order: π_1 … π_P, or π_1, reverse(π_1), π_2, reverse(π_2), … */
  private int[][] passes(int step) {
    int[][] perms = SplitMix64.permutationsForStep(seed, step, drawn, groups.size());
    if (!antithetic) {
      return perms;
    }
    int[][] out = new int[passes][];
    for (int k = 0; k < drawn; k++) {
      out[2 * k] = perms[k];
      int[] reversed = new int[perms[k].length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = perms[k][reversed.length - 1 - i];
      }
      out[2 * k + 1] = reversed;
    }
    return out;
  }

  @Override
  public void fill(float[] x, int step, float[] inputs, int row) {
    float[] z = new float[d];
    int r = row;
    for (int[] perm : passes(step)) {
      System.arraycopy(baseline, 0, z, 0, d);
      for (int g : perm) {
        for (int i : groups.members().get(g)) {
          z[i] = x[i];
        }
        System.arraycopy(z, 0, inputs, r++ * d, d);
      }
    }
  }

  @Override
  public Estimate estimate(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
    int m = groups.size();
    int units = antithetic ? drawn : passes;
    // Welford's running mean and sum of squared deviations of the units, per target and feature.
    double[][] mean = new double[targets][m];
    double[][] m2 = new double[targets][m];
    double[][] unit = new double[targets][m];
    int r = row;
    int[][] all = passes(step);
    for (int p = 0; p < all.length; p++) {
      if (!antithetic || p % 2 == 0) {
        for (double[] u : unit) {
          Arrays.fill(u, 0);
        }
      }
      double[] prev = atBaseline;
      for (int g : all[p]) {
        double[] cur = head.values(outputs, r++);
        for (int k = 0; k < targets; k++) {
          unit[k][g] += (cur[k] - prev[k]) * (antithetic ? 0.5 : 1);
        }
        prev = cur;
      }
      if (!antithetic || p % 2 == 1) {
        int n = antithetic ? p / 2 + 1 : p + 1;
        for (int k = 0; k < targets; k++) {
          for (int g = 0; g < m; g++) {
            double delta = unit[k][g] - mean[k][g];
            mean[k][g] += delta / n;
            m2[k][g] += delta * (unit[k][g] - mean[k][g]);
          }
        }
      }
    }
    double[][] stderr = new double[targets][m];
    for (int k = 0; k < targets; k++) {
      for (int g = 0; g < m; g++) {
        stderr[k][g] = units < 2 ? Double.NaN : Math.sqrt(m2[k][g] / (units - 1) / units);
      }
    }
    return new Estimate(mean, stderr);
  }
}
