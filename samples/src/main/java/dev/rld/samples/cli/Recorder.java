package dev.rld.samples.cli;

import dev.rld.env.Env;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutMetadata;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.agents.Agent;
import dev.rld.samples.agents.Agents;
import dev.rld.samples.envs.Envs;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * Runs an agent in an env for some episodes and records them: what {@code record} and
 * {@code demo} share. Opening creates the file, so a bad path fails before any progress is shown.
 */
final class Recorder implements AutoCloseable {

  /**
   * What was recorded. {@code endings} counts how episodes ended: the final info's
   * {@code "outcome"} when the env gives one (the grid world's "won", "eaten", ...), else
   * "terminated" or "truncated"; in order of first appearance.
   */
  record Result(Path file, int episodes, long steps, double meanReturn, double maxReturn,
      Map<String, Integer> endings) {}

  private final RecordingEnv<Object, Object> env;
  private final Agent<Object, Object> agent;
  private final int episodes;
  private final long seed;
  private final Path file;

  private Recorder(RecordingEnv<Object, Object> env, Agent<Object, Object> agent, int episodes,
      long seed, Path file) {
    this.env = env;
    this.agent = agent;
    this.episodes = episodes;
    this.seed = seed;
    this.file = file;
  }

  /**
   * Prepares to record {@code episodes} episodes of agent {@code agentId} in env {@code envId}
   * to {@code file}, creating the file and its parent directories. Ids must be known to the
   * registries ({@link Envs}, {@link Agents}).
   */
  @SuppressWarnings("unchecked")
  static Recorder open(String envId, String agentId, int episodes, long seed, Path file, String title)
      throws IOException {
    Env<Object, Object> env = (Env<Object, Object>) Envs.make(envId);
    Agent<Object, Object> agent = (Agent<Object, Object>) Agents.make(agentId, env, seed);
    RolloutMetadata metadata = new RolloutMetadata(
        title == null ? envId + ", " + agentId + " agent" : title,
        episodes + " episodes recorded by rld-samples; episode i was reset with seed " + seed + " + i",
        agentId,
        Map.of("seed", seed, "episodes", episodes, "env_metadata", env.metadata()));
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("cannot write " + file + ": " + e.getFile() + " is not a directory");
      }
    }
    var recording = new RecordingEnv<>(env, RolloutWriter.builder(file).metadata(metadata));
    return new Recorder(recording, agent, episodes, seed, file);
  }

  /**
   * Records the episodes. Episode {@code i} is reset with seed {@code seed + i}, and the agent is
   * told that seed too, so any episode can be replayed alone from its recorded seed.
   * {@code afterEpisode} receives each episode's return. Registered envs must end their episodes
   * (CartPole truncates at 500 steps).
   */
  Result run(DoubleConsumer afterEpisode) {
    long steps = 0;
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    Map<String, Integer> endings = new LinkedHashMap<>();
    for (int i = 0; i < episodes; i++) {
      agent.beginEpisode(seed + i);
      Object observation = env.reset(seed + i).observation();
      double ret = 0;
      Step<Object> step;
      do {
        Agent.Decision<Object> decision = agent.act(observation);
        env.attach(decision.output());
        step = env.step(decision.action());
        observation = step.observation();
        ret += step.reward();
        steps++;
      } while (!step.done());
      sum += ret;
      max = Math.max(max, ret);
      endings.merge(ending(step), 1, Integer::sum);
      afterEpisode.accept(ret);
    }
    return new Result(file, episodes, steps, sum / episodes, max, endings);
  }

  private static String ending(Step<Object> last) {
    Object outcome = last.info().get("outcome");
    if (outcome != null) {
      return outcome.toString();
    }
    return last.terminated() ? "terminated" : "truncated";
  }

  /** Finishes the file. */
  @Override
  public void close() {
    env.close();
  }
}
