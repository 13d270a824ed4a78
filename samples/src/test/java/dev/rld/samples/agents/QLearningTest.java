package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Step;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Envs;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QLearningTest {

  /** Counts of "won", "eaten", "drowned" and "truncated" over walks on seeds [from, from + n). */
  @SuppressWarnings("unchecked")
  static Map<String, Integer> walks(Agent<Object, Object> agent, long from, int n) {
    Map<String, Integer> counts = new TreeMap<>(Map.of("won", 0, "eaten", 0, "drowned", 0, "truncated", 0));
    GridWorld env = new GridWorld();
    for (long seed = from; seed < from + n; seed++) {
      agent.beginEpisode(seed);
      Object obs = env.reset(seed).observation();
      while (true) {
        Agent.Decision<Object> d = agent.act(obs);
        Step<Map<String, Object>> step = env.step((Integer) d.action());
        obs = step.observation();
        if (step.terminated()) {
          counts.merge((String) step.info().get("outcome"), 1, Integer::sum);
          break;
        }
        if (step.truncated()) {
          counts.merge("truncated", 1, Integer::sum);
          break;
        }
      }
    }
    return counts;
  }

  @Test
  @SuppressWarnings("unchecked")
  void learnsToReachApplesFarMoreOftenThanRandom() {
    Agent<Object, Object> learned = (Agent<Object, Object>) QLearning.forEnv(new GridWorld(), 7);
    Map<String, Integer> random = walks((Agent<Object, Object>) (Agent<?, ?>)
        new RandomAgent(new GridWorld().actionSpace(), 7), 1000, 100);
    Map<String, Integer> ql = walks(learned, 1000, 100);
    System.out.printf("PeterAndTheWolf-v0, 100 walks (seeds 1000..1099)%n");
    System.out.println("  random:    " + random);
    System.out.println("  qlearning: " + ql);
    assertTrue(ql.get("won") >= 60, "learned agent wins " + ql);
    assertTrue(ql.get("won") >= 3 * Math.max(1, random.get("won")), "random " + random + " vs learned " + ql);
  }

  @Test
  void trainingIsDeterministic() {
    long started = System.nanoTime();
    double[][] a = QLearning.train();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("QLearning training: %d episodes in %.2f s%n", QLearning.TRAINING_EPISODES, seconds);
    double[][] b = QLearning.train();
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
    }
  }

  @Test
  void reportsSoftmaxProbabilitiesAndPicksTheBestAction() {
    GridWorld env = new GridWorld();
    QLearning agent = new QLearning();
    Map<String, Object> obs = env.reset(1000L).observation();
    Agent.Decision<Object> d = agent.act(obs);
    float[] p = d.output().probabilities();
    assertNotNull(p);
    assertEquals(4, p.length);
    double sum = 0;
    int best = 0;
    for (int i = 0; i < 4; i++) {
      sum += p[i];
      best = p[i] > p[best] ? i : best;
    }
    assertEquals(1.0, sum, 1e-5);
    assertTrue(p[(Integer) d.action()] > 0);
    double[] q = agent.qValues(obs);
    assertEquals((float) q[best], d.output().value(), 1e-6);
  }

  @Test
  void isRegisteredForTheGridWorldsAndCartPoleOnly() {
    assertTrue(Agents.ids().contains("qlearning"));
    assertTrue(Agents.make("qlearning", Envs.make(GridWorld.ID), 1) instanceof QLearning);
    assertTrue(Agents.make("qlearning", new CartPole(), 1) instanceof CartPoleQLearning);
    assertThrows(IllegalArgumentException.class, () -> Agents.make("qlearning", new Pendulum(), 1));
  }
}
