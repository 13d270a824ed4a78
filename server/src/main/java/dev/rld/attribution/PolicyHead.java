package dev.rld.attribution;

import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.policy.Policy;

/**
 * Reads a policy's raw outputs as the explained values: probabilities (a softmax per sub-action
 * for logits), logits (log p for a policy that outputs probabilities), or the action itself.
 */
public final class PolicyHead {
  private final Policy.Output kind;
  private final int[] segments;
  private final OutputKind explained;
  private final int size;

  PolicyHead(Policy.Output kind, int[] segments, OutputKind explained, int size) {
    this.kind = kind;
    this.segments = segments;
    this.explained = explained;
    this.size = size;
  }

  /** The head of {@code policy} for {@code actionSpace}'s actions, explaining {@code explained}. */
  public static PolicyHead of(Policy policy, dev.rld.space.Space actionSpace, OutputKind explained) {
    return new PolicyHead(policy.output(), dev.rld.policy.PolicyFit.segments(actionSpace), explained,
        policy.outputSize());
  }

  /** Whether the outputs are continuous actions (no probabilities). */
  public boolean continuous() {
    return kind == Policy.Output.ACTIONS;
  }

  /** Probabilities of row {@code r} of {@code outputs}; null for continuous actions. */
  public double[] probabilities(float[] outputs, int r) {
    if (continuous()) {
      return null;
    }
    double[] p = new double[size];
    int base = r * size;
    if (kind == Policy.Output.PROBABILITIES) {
      for (int i = 0; i < size; i++) {
        p[i] = outputs[base + i];
      }
      return p;
    }
    int at = 0;
    for (int seg : segments) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = at; i < at + seg; i++) {
        max = Math.max(max, outputs[base + i]);
      }
      double sum = 0;
      for (int i = at; i < at + seg; i++) {
        p[i] = Math.exp(outputs[base + i] - max);
        sum += p[i];
      }
      for (int i = at; i < at + seg; i++) {
        p[i] /= sum;
      }
      at += seg;
    }
    return p;
  }

  /** The explained value of every target for row {@code r}. */
  public double[] values(float[] outputs, int r) {
    int base = r * size;
    if (continuous() || (explained == OutputKind.LOGIT && kind == Policy.Output.LOGITS)) {
      double[] v = new double[size];
      for (int i = 0; i < size; i++) {
        v[i] = outputs[base + i];
      }
      return v;
    }
    double[] p = probabilities(outputs, r);
    if (explained == OutputKind.PROBABILITY) {
      return p;
    }
    for (int i = 0; i < size; i++) {
      p[i] = Math.log(p[i]);
    }
    return p;
  }
}
