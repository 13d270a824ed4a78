package dev.rld.samples.agents;

import dev.rld.format.AgentOutput;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Acts uniformly at random with {@link Space#sample}, the baseline every other agent should beat.
 * For Discrete and MultiDiscrete action spaces it also reports its (uniform) action
 * probabilities, so a recording of it shows what a policy's distribution looks like.
 */
public final class RandomAgent implements Agent<Object, Object> {
  private final Space actionSpace;
  private final float[] probabilities;
  private SplittableRandom rng;

  public RandomAgent(Space actionSpace, long seed) {
    this.actionSpace = actionSpace;
    this.probabilities = uniform(actionSpace);
    this.rng = streamFor(seed);
  }

  /**
   * Re-seeds from the episode's seed, so that episode {@code i} of a run can be replayed alone
   * from its recorded seed; a null seed continues the current stream.
   */
  @Override
  public void beginEpisode(Long seed) {
    if (seed != null) {
      rng = streamFor(seed);
    }
  }

  @Override
  public Decision<Object> act(Object observation) {
    Object action = actionSpace.sample(rng);
    AgentOutput output = probabilities == null ? AgentOutput.none()
        : AgentOutput.ofProbabilities(probabilities.clone());
    return new Decision<>(action, output);
  }

  /**
   * The probability of each action, in the layout {@link AgentOutput} expects (MultiDiscrete
   * sub-actions concatenated), or null for spaces without a finite list of actions.
   */
  public float[] probabilities() {
    return probabilities == null ? null : probabilities.clone();
  }

  public Space actionSpace() {
    return actionSpace;
  }

  /**
   * The env is usually reset with the same seed; a stream split off from it keeps the agent's
   * draws from being the very numbers the env drew for its initial state.
   */
  private static SplittableRandom streamFor(long seed) {
    return new SplittableRandom(seed).split();
  }

  private static float[] uniform(Space space) {
    if (space instanceof Discrete d) {
      return filled(d.n());
    }
    if (space instanceof MultiDiscrete m) {
      long[] nvec = m.nvec();
      int total = Math.toIntExact(Arrays.stream(nvec).sum());
      float[] out = new float[total];
      int offset = 0;
      for (long n : nvec) {
        Arrays.fill(out, offset, offset + (int) n, 1f / n);
        offset += (int) n;
      }
      return out;
    }
    return null;
  }

  private static float[] filled(int n) {
    float[] out = new float[n];
    Arrays.fill(out, 1f / n);
    return out;
  }
}
