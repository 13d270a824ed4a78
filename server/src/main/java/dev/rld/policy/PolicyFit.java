package dev.rld.policy;

import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.util.Arrays;

/**
 * Whether a policy fits a recording's spaces, and how to read its outputs for that action space:
 * how many outputs it must have and how they split into per-sub-action distributions.
 */
public final class PolicyFit {
  private PolicyFit() {}

  /** Outputs a policy needs for {@code actionSpace}. */
  public static int outputSize(Space actionSpace) {
    if (actionSpace instanceof Discrete d) {
      return d.n();
    } else if (actionSpace instanceof MultiDiscrete m) {
      return (int) Arrays.stream(m.nvec()).sum();
    } else if (actionSpace instanceof Box b) {
      return b.size();
    }
    throw new IllegalArgumentException("policies for " + actionSpace.typeName()
        + " action spaces are not supported (Discrete, MultiDiscrete and Box are)");
  }

  /** Sizes of the softmax segments of the outputs: one per sub-action; empty for Box actions. */
  public static int[] segments(Space actionSpace) {
    if (actionSpace instanceof Discrete d) {
      return new int[] {d.n()};
    } else if (actionSpace instanceof MultiDiscrete m) {
      return Arrays.stream(m.nvec()).mapToInt(n -> (int) n).toArray();
    }
    return new int[0];
  }

  /** The output kind a policy must have for {@code actionSpace}, given what it says it outputs. */
  public static void check(Policy policy, Space observationSpace, Space actionSpace) {
    if (policy.inputSize() != observationSpace.flatDim()) {
      throw new IllegalArgumentException("the policy takes " + policy.inputSize()
          + " inputs but the recording's observations flatten to " + observationSpace.flatDim()
          + " (" + observationSpace.typeName() + ", flattened as gymnasium.spaces.flatten does)");
    }
    int outputs = outputSize(actionSpace);
    if (policy.outputSize() != outputs) {
      throw new IllegalArgumentException("the policy gives " + policy.outputSize()
          + " outputs but the recording's " + actionSpace.typeName() + " action space needs " + outputs);
    }
    boolean continuous = actionSpace instanceof Box;
    if (continuous != (policy.output() == Policy.Output.ACTIONS)) {
      throw new IllegalArgumentException("a policy for a " + actionSpace.typeName() + " action space must output "
          + (continuous ? "actions" : "logits or probabilities") + ", not " + policy.output().name().toLowerCase());
    }
  }
}
