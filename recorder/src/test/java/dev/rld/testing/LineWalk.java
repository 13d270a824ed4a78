package dev.rld.testing;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small deterministic env for format tests: a walker on a line pushed left, not at all, or
 * right; terminated beyond |x| = 5, truncated after {@code maxSteps}. Its observations are
 * exact functions of (seed, actions), so tests can recompute what a file must hold.
 */
public final class LineWalk implements Env<float[], Integer> {
  public static final Box OBSERVATION_SPACE = Box.float32(new double[] {-10, -3}, new double[] {10, 3})
      .withLabels("position", "velocity").withUnits("m", "m/s");
  private final int maxSteps;
  private SplittableRandom rng = new SplittableRandom(0);
  private float x;
  private float v;
  private int t;

  public LineWalk(int maxSteps) {
    this.maxSteps = maxSteps;
  }

  @Override
  public Reset<float[]> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    x = (float) (rng.nextDouble() - 0.5);
    v = 0;
    t = 0;
    return new Reset<>(new float[] {x, v}, Map.of("start", (double) x));
  }

  @Override
  public Step<float[]> step(Integer action) {
    v = Math.max(-3, Math.min(3, v + 0.1f * (action - 1)));
    x += v;
    t++;
    boolean terminated = Math.abs(x) > 5;
    boolean truncated = !terminated && t >= maxSteps;
    Map<String, Object> info = t % 10 == 0 ? Map.of("t", t) : Map.of();
    return new Step<>(new float[] {x, v}, terminated ? -1 : 0.5 - Math.abs(x) / 10, terminated, truncated, info);
  }

  @Override
  public Space observationSpace() {
    return OBSERVATION_SPACE;
  }

  @Override
  public Space actionSpace() {
    return new Discrete(3);
  }

  @Override
  public String id() {
    return "LineWalk-v0";
  }
}
