package dev.rld.samples.agents;

import java.io.IOException;

/**
 * A sample agent's training from scratch: deterministic for a seed, its training episodes shown
 * to a {@link TrainingRecorder} (which keeps some of them, or none), its progress told as it goes.
 * Adding one is one line in {@link Trainers}.
 */
public interface Trainer {
  /** Told as training goes: units done of {@code total} (episodes, generations, …) and a short status. */
  @FunctionalInterface
  interface Progress {
    void update(long done, long total, String status);
  }

  /** The env the agent trains in (its Gymnasium-style id). */
  String envId();

  /**
   * This trainer for env {@code envId} ({@code train --env}); the default trains in {@link #envId()}
   * only and refuses others.
   */
  default Trainer forEnv(String envId) {
    if (!envId.equals(envId())) {
      throw new IllegalArgumentException("this agent trains in " + envId() + " only, not " + envId);
    }
    return this;
  }

  /** The unit {@link Progress} counts, e.g. "episodes". */
  default String unit() {
    return "episodes";
  }

  /** Trains with {@code seed}; returns a one-line summary of the result (e.g. the evaluation return). */
  String train(long seed, TrainingRecorder recorder, Progress progress) throws IOException;
}
