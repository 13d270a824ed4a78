package dev.rld.samples.viewer;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.env.Wrapper;
import dev.rld.format.RolloutMetadata;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.agents.PolicyAgent;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A recording of one long CartPole episode: CartPole-v1's dynamics with its 500-step limit
 * lifted, driven by the sample ONNX policy acting greedily, until the episode is truncated at
 * the requested length. What the viewer's playback is tested and measured on.
 */
public final class LongEpisode {
  /** The episode's env id: not CartPole-v1, whose episodes end at 500 steps. */
  public static final String ENV_ID = "CartPole-v1-unlimited";
  /** A reset seed whose episode the sample policy balances for (at least) 100 000 steps. */
  public static final long LASTING_SEED = 2;

  private LongEpisode() {}

  /**
   * Records the episode (reset seed {@code seed}) of {@code steps} steps to {@code file}. Fails
   * if the pole falls first: a seed whose episode lasts is the caller's choice.
   */
  public static Path record(Path file, int steps, long seed) throws IOException {
    Files.deleteIfExists(file);
    var env = new Unlimited(steps);
    var agent = new PolicyAgent(env.observationSpace(), env.actionSpace(), SamplePolicies.cartPole());
    RolloutMetadata metadata = new RolloutMetadata("CartPole, one " + steps + "-step episode",
        "CartPole-v1 dynamics without the 500-step limit, the sample ONNX policy acting greedily", "trained",
        Map.of("env_metadata", new CartPole().metadata()));
    try (var recording = new RecordingEnv<>(env, RolloutWriter.builder(file).metadata(metadata))) {
      agent.beginEpisode(seed);
      Object observation = recording.reset(seed).observation();
      Step<float[]> s;
      do {
        var decision = agent.act(observation);
        recording.attach(decision.output());
        s = recording.step(decision.action());
        observation = s.observation();
      } while (!s.done());
      if (s.terminated()) {
        throw new IllegalStateException("the pole fell before step " + steps + " with seed " + seed);
      }
    }
    return file;
  }

  /** CartPole-v1 truncated at {@code limit} steps instead of 500 (env id {@link #ENV_ID}). */
  public static final class Unlimited extends Wrapper<float[], Integer> {
    private final int limit;
    private int t;

    public Unlimited(int limit) {
      super(new CartPole());
      this.limit = limit;
    }

    @Override
    public Reset<float[]> reset(Long seed, Map<String, Object> options) {
      t = 0;
      return env.reset(seed, options);
    }

    @Override
    public Step<float[]> step(Integer action) {
      Step<float[]> s = env.step(action);
      t++;
      if (s.truncated() && !s.terminated()) {
        // CartPole's own time limit: carry on from the same state in a fresh inner episode (the
        // state passes through the float32 observation there, once every 500 steps)
        float[] o = s.observation();
        env.reset(null, Map.of("state", new double[] {o[0], o[1], o[2], o[3]}));
      }
      return new Step<>(s.observation(), s.reward(), s.terminated(), t >= limit && !s.terminated(), s.info());
    }

    @Override
    public String id() {
      return ENV_ID;
    }
  }
}
