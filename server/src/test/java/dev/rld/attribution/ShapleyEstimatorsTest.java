package dev.rld.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.attribution.AttributionRequest.Baseline;
import dev.rld.attribution.AttributionRequest.Estimator;
import dev.rld.attribution.AttributionRequest.Method;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Exact and sampled Shapley values against closed forms: for a sum of products of features,
 * each product's Harsanyi dividends are known, and a feature's Shapley value is the sum of the
 * dividends of the coalitions holding it, each divided by the coalition's size.
 */
class ShapleyEstimatorsTest {
  static final int M = 6;
  static final Box OBS = Box.of(DType.FLOAT64, -2, 2, M);
  static final Box ACTION = Box.of(DType.FLOAT32, -1e9, 1e9, 1);

  /** f(z) = Σ_t c_t Π_{i∈T_t} z_i: linear, pairwise and (when {@code third}) third-order terms. */
  record Polynomial(double[] c, int[][] terms) {
    static Polynomial of(boolean third) {
      List<int[]> t = new ArrayList<>(List.of(new int[] {0}, new int[] {1}, new int[] {4}, new int[] {0, 1},
          new int[] {2, 3}, new int[] {1, 5}, new int[] {3, 4}));
      List<Double> c = new ArrayList<>(List.of(0.7, -1.2, 0.4, 1.5, -0.8, 0.6, 0.9));
      if (third) {
        t.add(new int[] {0, 2, 5});
        c.add(1.3);
        t.add(new int[] {1, 3, 4});
        c.add(-0.9);
      }
      return new Polynomial(c.stream().mapToDouble(Double::doubleValue).toArray(), t.toArray(int[][]::new));
    }

    double at(double[] z) {
      double f = 0;
      for (int t = 0; t < c.length; t++) {
        double p = c[t];
        for (int i : terms[t]) {
          p *= z[i];
        }
        f += p;
      }
      return f;
    }

    /** Shapley values in closed form: dividends d_R = c Π_{R} (x − b) Π_{T∖R} b, shared over R. */
    double[] shapley(double[] x, double[] b) {
      double[] phi = new double[M];
      for (int t = 0; t < c.length; t++) {
        int[] term = terms[t];
        for (int r = 1; r < 1 << term.length; r++) {
          double d = c[t];
          for (int j = 0; j < term.length; j++) {
            d *= (r & (1 << j)) != 0 ? x[term[j]] - b[term[j]] : b[term[j]];
          }
          int size = Integer.bitCount(r);
          for (int j = 0; j < term.length; j++) {
            if ((r & (1 << j)) != 0) {
              phi[term[j]] += d / size;
            }
          }
        }
      }
      return phi;
    }

    Policy policy(AtomicLong rows) {
      return Policy.of(M, 1, Policy.Output.ACTIONS, (obs, batch) -> {
        rows.addAndGet(batch);
        float[] out = new float[batch];
        double[] z = new double[M];
        for (int r = 0; r < batch; r++) {
          for (int i = 0; i < M; i++) {
            z[i] = obs[r * M + i];
          }
          out[r] = (float) at(z);
        }
        return out;
      });
    }
  }

  static float[][] observations(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = new float[n][M];
    for (float[] row : x) {
      for (int i = 0; i < M; i++) {
        row[i] = (float) rng.nextDouble(-1, 1);
      }
    }
    return x;
  }

  static int[] steps(int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = i;
    }
    return s;
  }

  static AttributionRequest shapley(float[] b, int permutations, Estimator estimator) {
    return new AttributionRequest(Method.SHAPLEY, new Baseline("custom", b), OutputKind.PROBABILITY, permutations, 11,
        null, null, estimator);
  }

  static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static final float[] BASELINE = {0.1f, -0.2f, 0.3f, 0.05f, -0.1f, 0.2f};

  @Test
  void exactShapleyEqualsTheClosedFormAndIsTheDefaultForFewFeatures() {
    Polynomial f = Polynomial.of(true);
    AtomicLong rows = new AtomicLong();
    Attributor a = new Attributor(f.policy(rows), OBS, ACTION);
    float[][] x = observations(20, 1);
    AttributionRequest auto = new AttributionRequest(Method.SHAPLEY, new Baseline("custom", BASELINE),
        OutputKind.PROBABILITY, 25, 0, null, null);
    assertTrue(a.exact(auto, FeatureGroups.perElement(OBS)), "2^6 coalitions are within the default budget");
    List<StepAttribution> out = a.attribute(auto, FeatureGroups.perElement(OBS), x, steps(20), n -> { });
    assertEquals(20 + 1 + 20 * 64, rows.get(), "f(x), f(b), and the 64 coalitions of each step");
    for (int s = 0; s < 20; s++) {
      double[] want = f.shapley(toDoubles(x[s]), toDoubles(BASELINE));
      for (int i = 0; i < M; i++) {
        assertEquals(want[i], out.get(s).raw()[0][i], 2e-5, "step " + s + " feature " + i);
      }
      assertNull(out.get(s).stderr(), "exact values carry no standard error");
      assertEquals(0, out.get(s).gap(0), 1e-5, "exact Shapley values are efficient");
    }
  }

  @Test
  void antitheticPairsAreExactWithoutHigherOrderInteractions() {
    Polynomial f = Polynomial.of(false);
    Attributor a = new Attributor(f.policy(new AtomicLong()), OBS, ACTION);
    float[][] x = observations(10, 2);
    for (int p : new int[] {1, 2, 7}) {
      List<StepAttribution> out = a.attribute(shapley(BASELINE, p, Estimator.ANTITHETIC), FeatureGroups.perElement(OBS),
          x, steps(10), n -> { });
      for (int s = 0; s < 10; s++) {
        double[] want = f.shapley(toDoubles(x[s]), toDoubles(BASELINE));
        for (int i = 0; i < M; i++) {
          assertEquals(want[i], out.get(s).raw()[0][i], 2e-5, "P=" + p + " step " + s + " feature " + i);
        }
      }
    }
    // Plain sampling of the same model is not exact: one permutation gives a feature all or none of a pair.
    List<StepAttribution> plain = a.attribute(shapley(BASELINE, 2, Estimator.PLAIN), FeatureGroups.perElement(OBS),
        x, steps(10), n -> { });
    double worst = 0;
    for (int s = 0; s < 10; s++) {
      double[] want = f.shapley(toDoubles(x[s]), toDoubles(BASELINE));
      for (int i = 0; i < M; i++) {
        worst = Math.max(worst, Math.abs(want[i] - plain.get(s).raw()[0][i]));
      }
    }
    assertTrue(worst > 1e-2, "plain sampling with 2 permutations erred by only " + worst);
  }

  @Test
  void standardErrorsCoverTheTrueError() {
    Polynomial f = Polynomial.of(true);
    Attributor a = new Attributor(f.policy(new AtomicLong()), OBS, ACTION);
    int n = 200;
    float[][] x = observations(n, 3);
    for (Estimator e : new Estimator[] {Estimator.PLAIN, Estimator.ANTITHETIC}) {
      List<StepAttribution> out = a.attribute(shapley(BASELINE, 20, e), FeatureGroups.perElement(OBS), x, steps(n),
          k -> { });
      int covered = 0;
      int total = 0;
      for (int s = 0; s < n; s++) {
        double[] want = f.shapley(toDoubles(x[s]), toDoubles(BASELINE));
        for (int i = 0; i < M; i++) {
          double se = out.get(s).stderr()[0][i];
          assertTrue(se >= 0, "a standard error of " + se);
          if (Math.abs(out.get(s).raw()[0][i] - want[i]) <= 3 * se + 1e-6) {
            covered++;
          }
          total++;
        }
        assertEquals(0, out.get(s).gap(0), 1e-5, e + ": every pass sums to f(x) − f(b)");
      }
      assertTrue(covered >= 0.9 * total, e + ": " + covered + " of " + total + " within 3 standard errors");
    }
  }

  @Test
  void standardErrorsFollowTheirDefinition() {
    // One feature per coalition of a purely additive model: every pass gives each feature its
    // own term, so the units do not vary and the standard error is 0; one unit leaves it undefined.
    Polynomial additive = new Polynomial(new double[] {1, 2, 3, 4, 5, 6},
        new int[][] {{0}, {1}, {2}, {3}, {4}, {5}});
    Attributor a = new Attributor(additive.policy(new AtomicLong()), OBS, ACTION);
    float[][] x = observations(3, 4);
    StepAttribution many = a.attribute(shapley(BASELINE, 10, Estimator.PLAIN), FeatureGroups.perElement(OBS), x,
        steps(3), n -> { }).get(1);
    for (int i = 0; i < M; i++) {
      assertEquals(0, many.stderr()[0][i], 1e-6);
      assertEquals((i + 1) * (x[1][i] - BASELINE[i]), many.raw()[0][i], 1e-5);
    }
    StepAttribution one = a.attribute(shapley(BASELINE, 1, Estimator.PLAIN), FeatureGroups.perElement(OBS), x,
        steps(3), n -> { }).get(0);
    assertTrue(Double.isNaN(one.stderr()[0][0]), "one unit: no standard error");
  }

  @Test
  void ablationReportsHowFarFromAdditiveTheFeaturesAre() {
    Polynomial f = Polynomial.of(true);
    Attributor a = new Attributor(f.policy(new AtomicLong()), OBS, ACTION);
    float[][] x = observations(5, 5);
    List<StepAttribution> out = a.attribute(new AttributionRequest(Method.ABLATION, new Baseline("custom", BASELINE),
        OutputKind.PROBABILITY, 1, 0, null, null), FeatureGroups.perElement(OBS), x, steps(5), n -> { });
    for (int s = 0; s < 5; s++) {
      double[] z = toDoubles(x[s]);
      double sum = 0;
      for (int i = 0; i < M; i++) {
        double[] ablated = z.clone();
        ablated[i] = BASELINE[i];
        sum += f.at(z) - f.at(ablated);
      }
      double want = sum - (f.at(z) - f.at(toDoubles(BASELINE)));
      assertEquals(want, out.get(s).gap(0), 1e-4, "step " + s);
    }
  }

  @Test
  void enumerationIsRefusedBeyondItsBudgetAndSamplingTakesOver() {
    Box wide = Box.of(DType.FLOAT32, -1, 1, 30);
    Policy sum = Policy.of(30, 1, Policy.Output.ACTIONS, (obs, batch) -> new float[batch]);
    Attributor a = new Attributor(sum, wide, ACTION);
    FeatureGroups features = FeatureGroups.perElement(wide);
    float[] b = new float[30];
    assertTrue(!a.exact(shapley(b, 25, Estimator.AUTO), features), "2^30 coalitions: sampled by default");
    assertEquals(26 * 30, a.rowsPerStep(shapley(b, 25, Estimator.AUTO), features),
        "antithetic: 13 permutations and their reverses");
    var forced = assertThrows(OverBudgetException.class, () -> a.check(shapley(b, 25, Estimator.EXACT), features));
    assertTrue(forced.getMessage().contains("exact shapley of 30 features"), forced.getMessage());
  }
}
