package dev.rld.format;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent itself produced for one step, recorded beside it: action probabilities and/or
 * logits (for Discrete actions one entry per action; MultiDiscrete concatenates its
 * sub-actions), a value estimate, and any named scalars (entropy, KL, …). Every part is
 * optional; a file records the parts the first recorded step carries.
 */
public record AgentOutput(float[] probabilities, float[] logits, Float value, Map<String, Double> scalars) {

  public AgentOutput {
    scalars = scalars == null ? Map.of() : Map.copyOf(scalars);
  }

  private static final AgentOutput NONE = new AgentOutput(null, null, null, Map.of());

  /** Nothing recorded. */
  public static AgentOutput none() {
    return NONE;
  }

  public static AgentOutput ofProbabilities(float... probabilities) {
    return none().withProbabilities(probabilities);
  }

  public static AgentOutput ofLogits(float... logits) {
    return none().withLogits(logits);
  }

  public AgentOutput withProbabilities(float... p) {
    return new AgentOutput(p, logits, value, scalars);
  }

  public AgentOutput withLogits(float... l) {
    return new AgentOutput(probabilities, l, value, scalars);
  }

  public AgentOutput withValue(float v) {
    return new AgentOutput(probabilities, logits, v, scalars);
  }

  public AgentOutput withScalar(String name, double v) {
    Map<String, Double> s = new LinkedHashMap<>(scalars);
    s.put(name, v);
    return new AgentOutput(probabilities, logits, value, s);
  }

  boolean isEmpty() {
    return probabilities == null && logits == null && value == null && scalars.isEmpty();
  }
}
