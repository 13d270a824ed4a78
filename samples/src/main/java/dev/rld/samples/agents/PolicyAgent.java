package dev.rld.samples.agents;

import dev.rld.format.AgentOutput;
import dev.rld.policy.Policy;
import dev.rld.space.Discrete;
import dev.rld.space.Space;

/**
 * Acts greedily with a {@link Policy} over a Discrete action space: it flattens the observation
 * by the observation space ({@link Space#flatten}, as float32), evaluates the policy and takes
 * the most likely action. Each step records the policy's probabilities (the softmax of its
 * logits, for a LOGITS policy) and its logits.
 */
public final class PolicyAgent implements Agent<Object, Integer> {
  private final Space observationSpace;
  private final Policy policy;

  public PolicyAgent(Space observationSpace, Space actionSpace, Policy policy) {
    if (!(actionSpace instanceof Discrete d) || d.n() != policy.outputSize()) {
      throw new IllegalArgumentException("a PolicyAgent needs a Discrete action space with one policy output per action, got "
          + actionSpace + " for " + policy.outputSize() + " outputs");
    }
    if (policy.output() == Policy.Output.ACTIONS) {
      throw new IllegalArgumentException("a PolicyAgent needs a policy of logits or probabilities");
    }
    if (observationSpace.flatDim() != policy.inputSize()) {
      throw new IllegalArgumentException("the observation space flattens to " + observationSpace.flatDim()
          + " values but the policy takes " + policy.inputSize());
    }
    this.observationSpace = observationSpace;
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  @Override
  public Decision<Integer> act(Object observation) {
    double[] flat = observationSpace.flatten(observation);
    float[] input = new float[flat.length];
    for (int i = 0; i < flat.length; i++) {
      input[i] = (float) flat[i];
    }
    float[] out = policy.evaluate(input, 1);
    int best = 0;
    for (int i = 1; i < out.length; i++) {
      if (out[i] > out[best]) {
        best = i;
      }
    }
    AgentOutput output = policy.output() == Policy.Output.LOGITS
        ? AgentOutput.ofProbabilities(softmax(out)).withLogits(out)
        : AgentOutput.ofProbabilities(out);
    return new Decision<>(best, output);
  }

  static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] e = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }
}
