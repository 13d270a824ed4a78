package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Env;
import dev.rld.env.Step;
import dev.rld.format.AgentOutput;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.EnergyGridWorld;
import dev.rld.space.Space;
import org.junit.jupiter.api.Test;

/**
 * The Q-learning tables the demo serves as policies answer, for every observation of a played
 * episode, the distribution the agent acted by: the server's view (Gymnasium's flattened
 * observation) decodes to the agent's state.
 */
class QTablePoliciesTest {

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int checkEpisodes(Env env, Agent agent, Policy policy, boolean logits) {
    Space space = env.observationSpace();
    int checked = 0;
    for (long seed = 0; seed < 5; seed++) {
      agent.beginEpisode(seed);
      Object obs = env.reset(seed).observation();
      for (int t = 0; t < 200; t++) {
        Agent.Decision d = agent.act(obs);
        double[] flat = space.flatten(obs);
        float[] input = new float[flat.length];
        for (int i = 0; i < flat.length; i++) {
          input[i] = (float) flat[i];
        }
        float[] out = policy.evaluate(input, 1);
        float[] p = logits ? softmax(out) : out;
        assertArrayEquals(((AgentOutput) d.output()).probabilities(), p, 1e-5f, "seed " + seed + " step " + t);
        checked++;
        Step s = env.step(d.action());
        if (s.done()) {
          break;
        }
        obs = s.observation();
      }
    }
    return checked;
  }

  private static float[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - max);
      sum += e[i];
    }
    float[] p = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }

  @Test
  void theHarderWorldsTableAsAPolicy() {
    int n = checkEpisodes(new EnergyGridWorld(), new EnergyQLearning(3), SamplePolicies.energyGridWorld(), true);
    assertTrue(n > 50, "steps checked: " + n);
  }

  @Test
  void cartPolesTableAsAPolicy() {
    int n = checkEpisodes(new CartPole(), new CartPoleQLearning(3), SamplePolicies.cartPoleQLearning(), false);
    assertTrue(n > 50, "steps checked: " + n);
  }
}
