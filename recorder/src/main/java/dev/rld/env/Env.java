package dev.rld.env;

import dev.rld.space.Space;
import java.util.Map;

/**
 * An environment with Gymnasium's semantics.
 *
 * <p>{@link #reset(Long, Map)} starts an episode and returns the first observation with an info
 * map. Passing a seed re-seeds the environment's random generator, so the same seed yields the
 * same episode; passing {@code null} continues the current generator. {@link #step(Object)}
 * applies an action and returns the next observation, the reward for that transition, and two
 * flags:
 * <ul>
 *   <li>{@code terminated}: the MDP reached a terminal state (the pole fell, the agent drowned);
 *       the value of the next state is zero.
 *   <li>{@code truncated}: the episode was cut for a reason outside the MDP (a time limit); the
 *       next state still has a value.
 * </ul>
 * After either flag the caller must call {@code reset} before stepping again.
 *
 * @param <O> the observation type, as {@link #observationSpace()} describes it
 * @param <A> the action type, as {@link #actionSpace()} describes it
 */
public interface Env<O, A> extends AutoCloseable {

  /** Starts an episode; {@code seed} may be null, {@code options} may be empty. */
  Reset<O> reset(Long seed, Map<String, Object> options);

  /** Starts an episode seeded with {@code seed}. */
  default Reset<O> reset(long seed) {
    return reset(seed, Map.of());
  }

  /** Starts an episode without re-seeding. */
  default Reset<O> reset() {
    return reset(null, Map.of());
  }

  /** Applies {@code action} and returns what followed. */
  Step<O> step(A action);

  /** The space every observation belongs to. */
  Space observationSpace();

  /** The space every action belongs to. */
  Space actionSpace();

  /** The environment id, e.g. {@code "CartPole-v1"}. */
  String id();

  /** Free-form metadata (Gymnasium's {@code env.metadata}), e.g. {@code render_fps}. */
  default Map<String, Object> metadata() {
    return Map.of();
  }

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}
}
