package dev.rld.policy;

/**
 * A policy evaluated on batches of flattened observations: the agent under study, as an ONNX
 * model ({@link OnnxPolicy}) or Java code ({@link #of}).
 *
 * <p>Inputs are observations flattened as {@code gymnasium.spaces.flatten} does (see
 * {@link dev.rld.space.Space#flatten}), row-major {@code [batch, inputSize]}. Outputs are
 * {@code [batch, outputSize]}: for Discrete actions one logit or probability per action, for
 * MultiDiscrete the sub-actions' concatenated, for Box actions the action (its mean).
 * Implementations must be safe for concurrent calls.
 */
public interface Policy extends AutoCloseable {

  /** What a policy's outputs are. */
  enum Output {
    /** Unnormalised log-probabilities of discrete actions (the usual PyTorch policy head). */
    LOGITS,
    /** Probabilities of discrete actions. */
    PROBABILITIES,
    /** The action itself, for continuous (Box) actions: the mean of the action distribution. */
    ACTIONS
  }

  /** Length of one flattened observation. */
  int inputSize();

  /** Number of outputs per observation. */
  int outputSize();

  /** What the outputs are. */
  Output output();

  /**
   * Evaluates {@code batch} observations, {@code observations.length == batch * inputSize()},
   * returning {@code batch * outputSize()} values.
   */
  float[] evaluate(float[] observations, int batch);

  /**
   * What identifies this policy's behaviour, so precomputed attributions are only reused for
   * the policy that made them: a hash of the model file for ONNX, the class for Java classes
   * (override it, e.g. with a version, when one class can hold different weights), and the
   * object itself for {@link #of} policies.
   */
  default String fingerprint() {
    return "java:" + getClass().getName();
  }

  /**
   * The policy's value estimate V(x) as a policy of its own (one output per observation, read
   * as {@link Output#ACTIONS}), or null when it has none: an actor-critic's critic, which
   * {@code target=value} explains.
   */
  default Policy valueHead() {
    return null;
  }

  /**
   * What answers and the viewer call this policy, so that two compared policies can be told
   * apart: an ONNX model's file name; for Java code its class's simple name, or {@code "java
   * policy"} for lambdas. {@link #withName} gives it another.
   */
  default String name() {
    Class<?> c = getClass();
    return c.isAnonymousClass() || c.isSynthetic() || c.getSimpleName().isEmpty() ? "java policy" : c.getSimpleName();
  }

  /** This policy shown as {@code name}; evaluating, closing and everything else is this policy's. */
  default Policy withName(String name) {
    return new NamedPolicy(this, name);
  }

  @Override
  default void close() {}

  /** A batch function of Java code. */
  @FunctionalInterface
  interface BatchFunction {
    float[] apply(float[] observations, int batch);
  }

  /** A single-observation function of Java code. */
  @FunctionalInterface
  interface ObservationFunction {
    float[] apply(float[] observation);
  }

  /** A Java policy evaluated a batch at a time. */
  static Policy of(int inputSize, int outputSize, Output output, BatchFunction f) {
    return of(inputSize, outputSize, output, f, null);
  }

  /**
   * As {@link #of(int, int, Output, BatchFunction)}, known by {@code fingerprint} (null: by this
   * very object, so that nothing precomputed by another is taken for it).
   */
  static Policy of(int inputSize, int outputSize, Output output, BatchFunction f, String fingerprint) {
    return new Policy() {
      @Override
      public int inputSize() {
        return inputSize;
      }

      @Override
      public int outputSize() {
        return outputSize;
      }

      @Override
      public Output output() {
        return output;
      }

      /**
       * Two lambdas share a class but not their weights: only this very object is known to
       * behave like itself, so a sidecar made with another one is never taken for it.
       */
      @Override
      public String fingerprint() {
        return fingerprint != null ? fingerprint : "java:lambda@" + Integer.toHexString(System.identityHashCode(this));
      }

      @Override
      public float[] evaluate(float[] observations, int batch) {
        float[] out = f.apply(observations, batch);
        if (out.length != batch * outputSize) {
          throw new IllegalStateException("the policy returned " + out.length + " values for "
              + batch + " observations; expected " + batch * outputSize);
        }
        return out;
      }
    };
  }

  /** A Java policy written for one observation at a time (the batch is looped over). */
  static Policy ofObservation(int inputSize, int outputSize, Output output, ObservationFunction f) {
    return of(inputSize, outputSize, output, (obs, batch) -> {
      float[] out = new float[batch * outputSize];
      float[] row = new float[inputSize];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(obs, b * inputSize, row, 0, inputSize);
        System.arraycopy(f.apply(row), 0, out, b * outputSize, outputSize);
      }
      return out;
    });
  }
}
