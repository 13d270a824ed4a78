package dev.rld.env;

import java.util.Map;

/**
 * What {@link Env#step} returns: the next observation, the reward, whether the episode
 * terminated (a terminal state of the MDP) or was truncated (cut short, e.g. by a time limit),
 * and an info map.
 */
public record Step<O>(O observation, double reward, boolean terminated, boolean truncated,
    Map<String, Object> info) {
  public Step {
    info = info == null ? Map.of() : info;
  }

  public Step(O observation, double reward, boolean terminated, boolean truncated) {
    this(observation, reward, terminated, truncated, Map.of());
  }

  /** Whether the episode is over for either reason. */
  public boolean done() {
    return terminated || truncated;
  }
}
