package dev.rld.policy;

import java.util.Objects;

/** A policy under another display name ({@link Policy#withName}); the rest is the policy's own. */
final class NamedPolicy implements Policy {
  private final Policy policy;
  private final String name;

  NamedPolicy(Policy policy, String name) {
    this.policy = policy instanceof NamedPolicy named ? named.policy : Objects.requireNonNull(policy);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a policy's name must not be blank");
    }
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int inputSize() {
    return policy.inputSize();
  }

  @Override
  public int outputSize() {
    return policy.outputSize();
  }

  @Override
  public Output output() {
    return policy.output();
  }

  @Override
  public float[] evaluate(float[] observations, int batch) {
    return policy.evaluate(observations, batch);
  }

  @Override
  public String fingerprint() {
    return policy.fingerprint();
  }

  @Override
  public Policy valueHead() {
    return policy.valueHead();
  }

  @Override
  public void close() {
    policy.close();
  }
}
