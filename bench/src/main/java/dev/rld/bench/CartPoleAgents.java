package dev.rld.bench;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The two action rules the benchmarks drive CartPole with: a balancing controller, whose
 * episodes run to the 500-step limit as a trained agent's do, and a random one, whose episodes
 * last about 22 steps (the worst case for per-episode costs).
 */
public enum CartPoleAgents {
  BALANCED, RANDOM;

  private final SplittableRandom rng = new SplittableRandom(7);

  public int act(float[] obs) {
    if (this == RANDOM) {
      return rng.nextInt(2);
    }
    // Push towards where the pole is falling, with a little cart-centring.
    return obs[2] + 0.5f * obs[3] + 0.01f * obs[0] + 0.1f * obs[1] > 0 ? 1 : 0;
  }

  /** Records whole CartPole episodes (seeds 0, 1, …) until at least {@code steps} steps. */
  public void record(RolloutWriter.Builder file, long steps) throws IOException {
    try (var env = new RecordingEnv<>(new CartPole(), file)) {
      long done = 0;
      for (long seed = 0; done < steps; seed++) {
        float[] obs = env.reset(seed).observation();
        Step<float[]> s;
        do {
          s = env.step(act(obs));
          obs = s.observation();
          done++;
        } while (!s.done());
      }
    }
  }
}
