package dev.rld.env;

import dev.rld.format.AgentOutput;
import dev.rld.format.RolloutWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Records every episode of the env it wraps into a rollout file, with no change to the loop:
 *
 * <pre>{@code
 * try (var env = new RecordingEnv<>(new CartPole(), Path.of("cartpole.arrow"))) {
 *   var obs = env.reset(1).observation();
 *   while (...) {
 *     env.attach(AgentOutput.ofProbabilities(p));   // optional: what the agent saw
 *     var step = env.step(action);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Closing the wrapper finishes the file (and closes the wrapped env). Observations and actions
 * that do not belong to their spaces fail the call at once with the episode, step and value.
 */
public final class RecordingEnv<O, A> extends Wrapper<O, A> {
  private final RolloutWriter writer;
  private AgentOutput attached;

  /** Records to {@code file} with default options. */
  public RecordingEnv(Env<O, A> env, Path file) throws IOException {
    this(env, RolloutWriter.builder(file));
  }

  /** Records with the given writer options; spaces and env id are taken from {@code env}. */
  public RecordingEnv(Env<O, A> env, RolloutWriter.Builder options) throws IOException {
    super(env);
    try {
      this.writer = options.spaces(env.observationSpace(), env.actionSpace()).envId(env.id()).open();
    } catch (IOException | RuntimeException e) {
      env.close(); // the caller never gets a wrapper to close
      throw e;
    }
  }

  /** Attaches what the agent output for the next step (probabilities, value, scalars). */
  public void attach(AgentOutput output) {
    this.attached = output;
  }

  /** The writer behind this wrapper. */
  public RolloutWriter writer() {
    return writer;
  }

  @Override
  public Reset<O> reset(Long seed, Map<String, Object> options) {
    Reset<O> r = env.reset(seed, options);
    try {
      writer.beginEpisode(seed, options, r.observation(), r.info());
    } catch (IOException e) {
      throw new UncheckedIOException("recording to " + writer.file() + " failed", e);
    }
    return r;
  }

  @Override
  public Step<O> step(A action) {
    Step<O> s = env.step(action);
    AgentOutput out = attached;
    attached = null;
    try {
      writer.step(action, s.reward(), s.terminated(), s.truncated(), s.observation(), s.info(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("recording to " + writer.file() + " failed", e);
    }
    return s;
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("finishing " + writer.file() + " failed", e);
    } finally {
      env.close();
    }
  }
}
