package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.AttributionRequest.Baseline;
import dev.rld.attribution.AttributionRequest.Method;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.attribution.StepAttribution;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.Catch;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained Catch-v0 policy looks at the ball and the paddle: in at least 80 % of the steps of
 * a recording of it, its most-attributed pixels lie on or next to the ball or the paddle.
 *
 * <p>Settings: the server's {@link Attributor} with the real {@link OnnxPolicy}; occlusion with
 * 3×3 windows and stride 3 (every pixel in exactly one window, covering both stacked frames; the
 * finest such tiling whose 784 perturbed observations of 14,112 values fit in
 * {@link Attributor#MAX_BATCH_VALUES}: 2×2 tiles would need 1,764);
 * baseline zero; target the picked action's probability. Per step the pixels are ranked by
 * |attribution| (summed over the two frames, as the viewer's heatmap does); the top
 * {@value #TOP} (0.5 % of the 7,056 pixels: the 4 strongest windows) must all lie within
 * {@value #DISTANCE} pixels (Chebyshev) of the ball or the paddle in either frame, as placed by
 * the recorded info.
 *
 * <p>Why this is not true by construction: on a black background with a zero baseline, occluding
 * a background pixel would change nothing, so only ball and paddle pixels could get any
 * attribution. {@link Catch} draws a grey checkerboard instead (40 and 60, never 0), so every
 * window's occlusion changes the input; the test also checks that background far from the
 * objects does get non-zero attribution, i.e. that the policy could have looked elsewhere.
 */
class CatchAttributionLocalityTest {
  static final int TOP = 36;
  static final int DISTANCE = 2;
  static final int EPISODES = 5;
  static final long SEED = 500;
  private static final int PIXELS = Catch.SIZE * Catch.SIZE;

  @Test
  void theMostAttributedPixelsLieOnOrNextToTheBallOrThePaddle(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("catch.arrow");
    SamplesCliTest.Run r = SamplesCliTest.run("record", "--env", Catch.ID, "--agent", "trained",
        "--episodes", String.valueOf(EPISODES), "--seed", String.valueOf(SEED), "--out", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    int steps = 0;
    int local = 0;
    int farAttributed = 0;
    double nearArea = 0;
    try (Rollout rollout = Rollout.open(file);
        Policy policy = OnnxPolicy.load(SamplePolicies.extractCatchModel(dir.resolve("catch.onnx")),
            Policy.Output.LOGITS)) {
      Space space = rollout.observationSpace();
      Attributor attributor = new Attributor(policy, space, rollout.actionSpace());
      int d = space.flatDim();
      AttributionRequest request = new AttributionRequest(Method.OCCLUSION, new Baseline("zero", new float[d]),
          OutputKind.PROBABILITY, 1, 0, new int[] {3, 3}, new int[] {3, 3});
      for (EpisodeSummary e : rollout.episodes()) {
        try (Steps rows = rollout.read(e.index(), 0, e.observations())) {
          float[][] x = new float[e.length()][];
          int[] index = new int[e.length()];
          for (int t = 0; t < e.length(); t++) {
            x[t] = flat(space, rows.observation(t));
            index[t] = t;
          }
          List<StepAttribution> attributions = attributor.attribute(request, FeatureGroups.perElement(space), x,
              index, n -> { });
          for (int t = 0; t < e.length(); t++) {
            int action = ((Number) rows.action(t)).intValue();
            double[] perPixel = perPixel(attributions.get(t).raw()[action]);
            boolean[] near = near(List.of(rows.info(Math.max(0, t - 1)), rows.info(t)));
            steps++;
            local += topPixelsAreNear(perPixel, near) ? 1 : 0;
            farAttributed += attributedFarAway(perPixel, near) ? 1 : 0;
            nearArea += count(near) / (double) PIXELS;
          }
        }
      }
    }
    double rate = local / (double) steps;
    System.out.printf(Locale.ROOT, "Catch-v0 attribution locality: in %d of %d steps (%.1f %%) the top %d pixels "
        + "lie within %d px of the ball or the paddle (occlusion 3x3/3, zero baseline, picked probability); "
        + "that zone is %.1f %% of the frame on average; background beyond it got attribution in %d steps%n",
        local, steps, 100 * rate, TOP, DISTANCE, 100 * nearArea / steps, farAttributed);
    assertEquals(EPISODES * Catch.EPISODE_STEPS, steps);
    assertTrue(farAttributed >= steps / 2, "occluding background changes the policy's output in " + farAttributed
        + " of " + steps + " steps; the test is only meaningful when the background can be attributed");
    assertTrue(rate >= 0.8, "the top pixels are on or next to the ball or paddle in " + local + " of " + steps
        + " steps; the target is 80 %");
  }

  private static float[] flat(Space space, Object observation) {
    double[] v = space.flatten(observation);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  /** The attribution of each pixel summed over the stacked frames ([2, 84, 84], frames first). */
  static double[] perPixel(double[] raw) {
    double[] out = new double[PIXELS];
    for (int k = 0; k < Catch.FRAMES; k++) {
      for (int p = 0; p < PIXELS; p++) {
        out[p] += raw[k * PIXELS + p];
      }
    }
    return out;
  }

  /** Pixels within {@link #DISTANCE} of the ball or the paddle as placed by any of the infos. */
  static boolean[] near(List<Map<String, Object>> infos) {
    boolean[] near = new boolean[PIXELS];
    for (Map<String, Object> info : infos) {
      int ballX = ((Number) info.get("ball_x")).intValue();
      int ballY = ((Number) info.get("ball_y")).intValue();
      int paddleX = ((Number) info.get("paddle_x")).intValue();
      mark(near, ballY, ballX, Catch.BALL, Catch.BALL);
      mark(near, Catch.PADDLE_Y, paddleX, Catch.PADDLE_HEIGHT, Catch.PADDLE_WIDTH);
    }
    return near;
  }

  private static void mark(boolean[] near, int row, int col, int height, int width) {
    for (int r = Math.max(0, row - DISTANCE); r < Math.min(Catch.SIZE, row + height + DISTANCE); r++) {
      for (int c = Math.max(0, col - DISTANCE); c < Math.min(Catch.SIZE, col + width + DISTANCE); c++) {
        near[r * Catch.SIZE + c] = true;
      }
    }
  }

  /**
   * Whether the {@link #TOP} pixels of largest |attribution| (with any tied with the last of
   * them) are all near; a step with no attribution at all fails: it shows nothing.
   */
  static boolean topPixelsAreNear(double[] perPixel, boolean[] near) {
    double[] magnitudes = Arrays.stream(perPixel).map(Math::abs).sorted().toArray();
    double threshold = magnitudes[magnitudes.length - TOP];
    if (threshold == 0) {
      return false;
    }
    for (int p = 0; p < PIXELS; p++) {
      if (Math.abs(perPixel[p]) >= threshold && !near[p]) {
        return false;
      }
    }
    return true;
  }

  private static boolean attributedFarAway(double[] perPixel, boolean[] near) {
    for (int p = 0; p < PIXELS; p++) {
      if (!near[p] && perPixel[p] != 0) {
        return true;
      }
    }
    return false;
  }

  private static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** The helpers on a hand-made case, so a bug in them cannot make the test above pass. */
  @Test
  void theCheckRejectsAStepWhoseTopPixelsAreInTheBackground() {
    Map<String, Object> info = Map.of("ball_x", 10, "ball_y", 20, "paddle_x", 40);
    boolean[] near = near(List.of(info));
    assertTrue(near[18 * Catch.SIZE + 8] && near[25 * Catch.SIZE + 15], "2 px around the ball");
    assertTrue(!near[17 * Catch.SIZE + 10] && !near[20 * Catch.SIZE + 16], "3 px away is not near");
    assertTrue(near[76 * Catch.SIZE + 38] && near[82 * Catch.SIZE + 53] && !near[77 * Catch.SIZE + 54]);
    double[] onBall = new double[PIXELS];
    for (int p = 0; p < TOP; p++) {
      onBall[(20 + p / 6) * Catch.SIZE + 9 + p % 6] = 1;
    }
    assertTrue(topPixelsAreNear(onBall, near));
    double[] oneOff = onBall.clone();
    oneOff[50 * Catch.SIZE + 50] = -1.5; // a background pixel, the largest by magnitude
    assertTrue(!topPixelsAreNear(oneOff, near));
    assertTrue(!topPixelsAreNear(new double[PIXELS], near), "nothing attributed shows nothing");
    double[] frames = new double[2 * PIXELS];
    frames[5] = 1;
    frames[PIXELS + 5] = 2;
    assertEquals(3, perPixel(frames)[5]);
  }
}
