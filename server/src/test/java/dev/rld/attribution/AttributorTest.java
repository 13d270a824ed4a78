package dev.rld.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.attribution.AttributionRequest.Baseline;
import dev.rld.attribution.AttributionRequest.Estimator;
import dev.rld.attribution.AttributionRequest.Method;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AttributorTest {
  static final Box OBS = Box.float32(new double[] {-10, -10, -10, -10}, new double[] {10, 10, 10, 10});
  static final double[][] W = {{0.5, -1.0, 2.0, 0.25}, {-0.75, 0.3, 0.0, 1.5}, {0.1, 0.2, -0.4, -0.8}};
  static final double[] C = {0.1, -0.2, 0.3};

  /** Linear logits: z_k = W_k·x + c_k. */
  static Policy linear(AtomicInteger calls) {
    return Policy.of(4, 3, Policy.Output.LOGITS, (obs, batch) -> {
      calls.incrementAndGet();
      float[] out = new float[batch * 3];
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < 3; k++) {
          double z = C[k];
          for (int i = 0; i < 4; i++) {
            z += W[k][i] * obs[b * 4 + i];
          }
          out[b * 3 + k] = (float) z;
        }
      }
      return out;
    });
  }

  /** A small fixed nonlinear network: tanh hidden layer, 3 logits. */
  static Policy mlp() {
    SplittableRandom rng = new SplittableRandom(3);
    double[][] h = new double[8][4];
    double[][] o = new double[3][8];
    for (double[] row : h) for (int i = 0; i < 4; i++) row[i] = rng.nextDouble(-1, 1);
    for (double[] row : o) for (int i = 0; i < 8; i++) row[i] = rng.nextDouble(-1, 1);
    return Policy.ofObservation(4, 3, Policy.Output.LOGITS, x -> {
      double[] hid = new double[8];
      for (int j = 0; j < 8; j++) {
        double s = 0;
        for (int i = 0; i < 4; i++) s += h[j][i] * x[i];
        hid[j] = Math.tanh(s);
      }
      float[] z = new float[3];
      for (int k = 0; k < 3; k++) {
        double s = 0;
        for (int j = 0; j < 8; j++) s += o[k][j] * hid[j];
        z[k] = (float) s;
      }
      return z;
    });
  }

  static float[][] observations(int n) {
    SplittableRandom rng = new SplittableRandom(11);
    float[][] x = new float[n][4];
    for (float[] row : x) for (int i = 0; i < 4; i++) row[i] = (float) rng.nextDouble(-2, 2);
    return x;
  }

  static int[] steps(int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) s[i] = i;
    return s;
  }

  static AttributionRequest request(Method m, float[] baseline, OutputKind out) {
    return new AttributionRequest(m, new Baseline("custom", baseline), out, 25, 0, new int[] {1, 1}, new int[] {1, 1});
  }

  @Test
  void ablationOnALinearModelIsTheWeightTimesTheDistanceToTheBaseline() {
    AtomicInteger calls = new AtomicInteger();
    Attributor a = new Attributor(linear(calls), OBS, new Discrete(3));
    float[] b = {0.5f, -0.25f, 1f, 0f};
    float[][] x = observations(50);
    List<StepAttribution> out = a.attribute(request(Method.ABLATION, b, OutputKind.LOGIT),
        FeatureGroups.perElement(OBS), x, steps(50), n -> { });
    assertEquals(50, out.size());
    for (int s = 0; s < 50; s++) {
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 4; i++) {
          assertEquals(W[k][i] * (x[s][i] - b[i]), out.get(s).raw()[k][i], 1e-5, "step " + s + " target " + k + " feature " + i);
        }
      }
    }
    assertEquals(3, calls.get(), "one call for f(x), one for f(b), one for all 200 perturbations");
  }

  @Test
  void groupedAblationRemovesTheWholeGroupAtOnce() {
    Attributor a = new Attributor(linear(new AtomicInteger()), OBS, new Discrete(3));
    float[] b = {0, 0, 0, 0};
    float[][] x = observations(3);
    FeatureGroups pairs = new FeatureGroups(List.of("first", "second"), List.of(new int[] {0, 1}, new int[] {2, 3}));
    var out = a.attribute(request(Method.ABLATION, b, OutputKind.LOGIT), pairs, x, steps(3), n -> { });
    for (int k = 0; k < 3; k++) {
      assertEquals(W[k][0] * x[1][0] + W[k][1] * x[1][1], out.get(1).raw()[k][0], 1e-5);
      assertEquals(W[k][2] * x[1][2] + W[k][3] * x[1][3], out.get(1).raw()[k][1], 1e-5);
    }
  }

  @Test
  void shapleyOnALinearModelEqualsAblation() {
    Attributor a = new Attributor(linear(new AtomicInteger()), OBS, new Discrete(3));
    float[] b = {0.5f, -0.25f, 1f, 0f};
    float[][] x = observations(20);
    var shap = a.attribute(request(Method.SHAPLEY, b, OutputKind.LOGIT), FeatureGroups.perElement(OBS), x, steps(20), n -> { });
    for (int s = 0; s < 20; s++) {
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 4; i++) {
          assertEquals(W[k][i] * (x[s][i] - b[i]), shap.get(s).raw()[k][i], 1e-5);
        }
      }
    }
  }

  @Test
  void everyShapleyPermutationSumsToTheChangeFromBaseline() {
    Attributor a = new Attributor(mlp(), OBS, new Discrete(3));
    float[] b = {0.3f, 0.1f, -0.2f, 0.4f};
    float[][] x = observations(30);
    var probs = a.attribute(request(Method.ABLATION, b, OutputKind.PROBABILITY), FeatureGroups.perElement(OBS),
        new float[][] {b}, new int[] {0}, n -> { }).get(0).values();
    // One permutation at a time: its contributions alone must add up to f(x) − f(b).
    for (int seed = 0; seed < 5; seed++) {
      var one = new AttributionRequest(Method.SHAPLEY, new Baseline("custom", b), OutputKind.PROBABILITY, 1, seed, null,
          null, Estimator.PLAIN);
      var out = a.attribute(one, FeatureGroups.perElement(OBS), x, steps(30), n -> { });
      for (StepAttribution s : out) {
        for (int k = 0; k < 3; k++) {
          double sum = 0;
          for (double v : s.raw()[k]) sum += v;
          assertEquals(s.values()[k] - probs[k], sum, 1e-6, "seed " + seed + " step " + s.step());
        }
      }
    }
  }

  @Test
  void shapleyDependsOnTheStepNotOnTheRangeRequested() {
    Attributor a = new Attributor(mlp(), OBS, new Discrete(3));
    float[] b = {0, 0, 0, 0};
    float[][] x = observations(10);
    var sampled = new AttributionRequest(Method.SHAPLEY, new Baseline("zero", b), OutputKind.PROBABILITY, 25, 3, null,
        null, Estimator.ANTITHETIC);
    var whole = a.attribute(sampled, FeatureGroups.perElement(OBS), x, steps(10), n -> { });
    var alone = a.attribute(sampled, FeatureGroups.perElement(OBS), new float[][] {x[7]}, new int[] {7}, n -> { });
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(whole.get(7).raw()[k], alone.get(0).raw()[k], 1e-12);
      assertArrayEquals(whole.get(7).stderr()[k], alone.get(0).stderr()[k], 1e-12);
    }
  }

  @Test
  void splitMix64MatchesItsReferenceVector() {
    // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
    SplitMix64 rng = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, rng.next());
    assertEquals(0x6E789E6AA1B965F4L, rng.next());
    int[] p = new SplitMix64(42).permutation(10);
    assertEquals(45, java.util.Arrays.stream(p).sum(), "a permutation of 0..9");
  }

  @Test
  void occlusionWithOnePixelWindowsIsAblationPerPixel() {
    Box image = Box.of(DType.FLOAT32, 0, 1, 2, 2);
    AtomicInteger calls = new AtomicInteger();
    Attributor a = new Attributor(linear(calls), image, new Discrete(3));
    float[] b = {0, 0, 0, 0};
    float[][] x = observations(4);
    var occ = a.attribute(request(Method.OCCLUSION, b, OutputKind.LOGIT), FeatureGroups.perElement(image), x, steps(4), n -> { });
    var abl = a.attribute(request(Method.ABLATION, b, OutputKind.LOGIT), FeatureGroups.perElement(image), x, steps(4), n -> { });
    for (int s = 0; s < 4; s++) {
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(abl.get(s).raw()[k], occ.get(s).raw()[k], 1e-6);
      }
    }
  }

  @Test
  void occlusionAveragesTheWindowsCoveringEachPixel() {
    // A 3x3 image, 2x2 windows with stride 1: four windows; the centre pixel is in all four.
    Box image = Box.of(DType.FLOAT32, -5, 5, 3, 3);
    Policy sum = Policy.ofObservation(9, 1, Policy.Output.ACTIONS, v -> {
      double s = 0;
      for (int i = 0; i < 9; i++) s += (i + 1) * v[i] * v[i];
      return new float[] {(float) s};
    });
    Attributor a = new Attributor(sum, image, Box.of(DType.FLOAT32, -1e6, 1e6, 1));
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] b = new float[9];
    var req = new AttributionRequest(Method.OCCLUSION, new Baseline("zero", b), OutputKind.PROBABILITY, 1, 0,
        new int[] {2, 2}, new int[] {1, 1});
    double[] got = a.attribute(req, FeatureGroups.perElement(image), new float[][] {x}, new int[] {0}, n -> { }).get(0).raw()[0];
    // Independently: each window's drop is the sum of (i+1)·x_i² over its pixels.
    int[][] windows = {{0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}};
    double[] expected = new double[9];
    int[] count = new int[9];
    for (int[] w : windows) {
      double drop = 0;
      for (int i : w) drop += (i + 1) * x[i] * x[i];
      for (int i : w) {
        expected[i] += drop;
        count[i]++;
      }
    }
    for (int i = 0; i < 9; i++) expected[i] /= count[i];
    assertArrayEquals(expected, got, 1e-3);
  }

  @Test
  void imageLayoutsAreChannelLastExceptSmallStacksOfLargeFrames() {
    assertEquals(new ImageLayout(84, 84, 1, false), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 84, 84)));
    assertEquals(new ImageLayout(64, 64, 3, false), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 64, 64, 3)));
    assertEquals(new ImageLayout(84, 84, 4, false), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 84, 84, 4)));
    assertEquals(new ImageLayout(84, 84, 2, false), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 84, 84, 2)));
    assertEquals(new ImageLayout(84, 84, 2, true), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 2, 84, 84)));
    assertEquals(new ImageLayout(16, 20, 8, true), ImageLayout.of(Box.of(DType.UINT8, 0, 255, 8, 16, 20)));
    // Too many frames, frames too small, or a last dimension that reads as colour: channel last.
    assertEquals(false, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 9, 84, 84)).channelFirst());
    assertEquals(false, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 2, 15, 84)).channelFirst());
    assertEquals(false, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 2, 84, 3)).channelFirst());
    assertEquals(null, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 4)));
    assertEquals(null, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 2, 2, 2, 2)));
    assertEquals(null, ImageLayout.of(new Discrete(3)));
    ImageLayout first = ImageLayout.of(Box.of(DType.UINT8, 0, 255, 2, 16, 16));
    assertEquals(256 + 3 * 16 + 5, first.index(3, 5, 1));
    assertEquals((3 * 16 + 5) * 3 + 2, ImageLayout.of(Box.of(DType.UINT8, 0, 255, 16, 16, 3)).index(3, 5, 2));
  }

  @Test
  void occlusionOfAChannelFirstStackCoversTheWindowInEveryFrame() {
    // [2, 16, 16]: two frames; a policy that sums squares weighted by the flat index.
    Box stack = Box.of(DType.FLOAT32, 0, 10, 2, 16, 16);
    int d = 2 * 16 * 16;
    Policy weighted = Policy.ofObservation(d, 1, Policy.Output.ACTIONS, v -> {
      double s = 0;
      for (int i = 0; i < d; i++) s += (i % 7 + 1) * v[i] * v[i];
      return new float[] {(float) s};
    });
    Attributor a = new Attributor(weighted, stack, Box.of(DType.FLOAT32, -1e9, 1e9, 1));
    float[] x = new float[d];
    for (int i = 0; i < d; i++) x[i] = (i * 37 % 11) / 2f;
    var req = new AttributionRequest(Method.OCCLUSION, new Baseline("zero", new float[d]), OutputKind.PROBABILITY, 1, 0,
        new int[] {4, 4}, new int[] {4, 4});
    double[] got = a.attribute(req, FeatureGroups.perElement(stack), new float[][] {x}, new int[] {0}, n -> { }).get(0).raw()[0];
    // Independently: the 16 tiles of 4x4 pixels, each covering the same pixels of both frames.
    for (int tr = 0; tr < 4; tr++) {
      for (int tc = 0; tc < 4; tc++) {
        double drop = 0;
        for (int k = 0; k < 2; k++) {
          for (int r = 4 * tr; r < 4 * tr + 4; r++) {
            for (int c = 4 * tc; c < 4 * tc + 4; c++) {
              int i = k * 256 + r * 16 + c;
              drop += (i % 7 + 1) * x[i] * x[i];
            }
          }
        }
        for (int k = 0; k < 2; k++) {
          for (int r = 4 * tr; r < 4 * tr + 4; r++) {
            for (int c = 4 * tc; c < 4 * tc + 4; c++) {
              assertEquals(drop, got[k * 256 + r * 16 + c], 1e-2 * Math.max(1, drop * 1e-4),
                  "frame " + k + " pixel " + r + "," + c);
            }
          }
        }
      }
    }
  }

  @Test
  void dictKeysCanCountAsOneFeature() {
    Map<String, Space> m = new LinkedHashMap<>();
    m.put("position", Box.of(DType.FLOAT32, -1, 1, 2));
    m.put("mode", new Discrete(2));
    Dict dict = new Dict(m);
    FeatureGroups g = FeatureGroups.byTopLevelKey(dict);
    assertEquals(List.of("mode", "position"), g.labels());
    assertArrayEquals(new int[] {0, 1}, g.members().get(0));
    assertArrayEquals(new int[] {2, 3}, g.members().get(1));
    FeatureGroups custom = FeatureGroups.custom(dict, Map.of("where", List.of("position[0]", "position[1]")));
    assertEquals(List.of("where", "mode=0", "mode=1"), custom.labels());
    var e = assertThrows(IllegalArgumentException.class, () -> FeatureGroups.custom(dict, Map.of("x", List.of("nope"))));
    assertTrue(e.getMessage().startsWith("group 'x' names unknown feature 'nope'"));
  }

  @Test
  void aPolicyThatDoesNotFitIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Attributor(linear(new AtomicInteger()), OBS, new Discrete(2)));
    assertEquals("the policy gives 3 outputs but the recording's Discrete action space needs 2", e.getMessage());
    var f = assertThrows(IllegalArgumentException.class,
        () -> new Attributor(linear(new AtomicInteger()), Box.of(DType.FLOAT32, 0, 1, 5), new Discrete(3)));
    assertTrue(f.getMessage().startsWith("the policy takes 4 inputs but the recording's observations flatten to 5"));
  }

  @Test
  void largeRangesAreSplitIntoBoundedBatches() {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> sizes = new ArrayList<>();
    Policy counting = Policy.of(4, 3, Policy.Output.LOGITS, (obs, batch) -> {
      sizes.add(batch);
      return linear(calls).evaluate(obs, batch);
    });
    Attributor a = new Attributor(counting, OBS, new Discrete(3));
    int n = 2000;
    a.attribute(new AttributionRequest(Method.SHAPLEY, new Baseline("zero", new float[4]), OutputKind.PROBABILITY, 25,
        0, null, null, Estimator.PLAIN), FeatureGroups.perElement(OBS), observations(n), steps(n), s -> { });
    // f(x) for the 2000 steps, f(b) once, then 2000 × 25 × 4 = 200 000 rows in chunks of at most 65 536.
    assertTrue(sizes.stream().allMatch(s -> s <= Attributor.MAX_BATCH_ROWS), sizes.toString());
    assertTrue(sizes.size() <= 2 + 4, "batched: " + sizes);
    assertEquals(n + 1 + n * 25 * 4, sizes.stream().mapToInt(Integer::intValue).sum());
  }
}
