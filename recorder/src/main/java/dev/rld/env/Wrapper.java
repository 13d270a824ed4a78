package dev.rld.env;

import dev.rld.space.Space;
import java.util.Map;

/**
 * A decorator around an {@link Env}: every call goes to the wrapped env unless a subclass
 * overrides it, as with Gymnasium's {@code gymnasium.Wrapper}.
 */
public abstract class Wrapper<O, A> implements Env<O, A> {
  protected final Env<O, A> env;

  protected Wrapper(Env<O, A> env) {
    this.env = env;
  }

  /** The env this wrapper decorates. */
  public Env<O, A> unwrapped() {
    return env instanceof Wrapper<O, A> w ? w.unwrapped() : env;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    return env.reset(seed, options);
  }

  @Override
  public Step<O> step(A action) {
    return env.step(action);
  }

  @Override
  public Space observationSpace() {
    return env.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return env.actionSpace();
  }

  @Override
  public String id() {
    return env.id();
  }

  @Override
  public Map<String, Object> metadata() {
    return env.metadata();
  }

  @Override
  public void close() {
    env.close();
  }
}
