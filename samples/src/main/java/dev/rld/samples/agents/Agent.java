package dev.rld.samples.agents;

import dev.rld.format.AgentOutput;

/**
 * Something that chooses actions: a trained policy, a heuristic, or {@link RandomAgent}.
 *
 * @param <O> the observation type of the env it acts in
 * @param <A> the action type of the env it acts in
 */
public interface Agent<O, A> {

  /** What the agent chose for one observation, and what it can say about the choice. */
  record Decision<A>(A action, AgentOutput output) {}

  /**
   * Called before each episode with the seed the env is reset with (null when none), so that an
   * episode can be reproduced on its own. The default ignores it.
   */
  default void beginEpisode(Long seed) {}

  /** Chooses the action for {@code observation}. */
  Decision<A> act(O observation);
}
