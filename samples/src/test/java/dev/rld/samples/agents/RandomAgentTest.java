package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Envs;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomAgentTest {

  private static List<Object> actions(RandomAgent agent, int n) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(agent.act(null).action());
    }
    return out;
  }

  @Test
  void actsUniformlyOverADiscreteSpace() {
    RandomAgent agent = new RandomAgent(new Discrete(3), 5);
    int[] counts = new int[3];
    for (int i = 0; i < 30_000; i++) {
      counts[(Integer) agent.act(null).action()]++;
    }
    for (int c : counts) {
      assertTrue(Math.abs(c - 10_000) < 500, "counts far from uniform: " + java.util.Arrays.toString(counts));
    }
    assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3}, agent.probabilities());
    assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3}, agent.act(null).output().probabilities());
  }

  @Test
  void sameSeedSameActionsAndEpisodesReseed() {
    RandomAgent a = new RandomAgent(new Discrete(2), 1);
    RandomAgent b = new RandomAgent(new Discrete(2), 1);
    List<Object> first = actions(a, 50);
    assertEquals(first, actions(b, 50));
    assertNotEquals(first, actions(new RandomAgent(new Discrete(2), 2), 50));
    // beginEpisode(seed) restarts the stream, so an episode replays without the ones before it.
    a.beginEpisode(9L);
    List<Object> episode = actions(a, 50);
    assertEquals(episode, actions(new RandomAgent(new Discrete(2), 9), 50));
    // null continues the current stream.
    a.beginEpisode(null);
    assertNotEquals(episode, actions(a, 50));
  }

  @Test
  void probabilitiesFollowTheActionSpace() {
    RandomAgent multi = new RandomAgent(new MultiDiscrete(2, 4), 0);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.25f, 0.25f, 0.25f, 0.25f}, multi.probabilities());
    assertTrue(multi.actionSpace().contains(multi.act(null).action()));
    RandomAgent box = new RandomAgent(Box.of(DType.FLOAT32, -1, 1, 2), 0);
    assertNull(box.probabilities(), "a Box has no finite list of actions");
    assertNull(box.act(null).output().probabilities());
    assertTrue(box.actionSpace().contains(box.act(null).action()));
  }

  @Test
  void registryMakesTheRandomAgentAndNamesKnownOnes() {
    Agent<?, ?> agent = Agents.make("random", new CartPole(), 1);
    assertTrue(agent instanceof RandomAgent r && r.actionSpace().equals(new Discrete(2).withLabels("push left", "push right")));
    var e = assertThrows(IllegalArgumentException.class, () -> Agents.make("nobody", new CartPole(), 1));
    assertTrue(e.getMessage().contains("'nobody'") && e.getMessage().contains("random"), e.getMessage());
    assertTrue(Envs.make("CartPole-v1") instanceof CartPole);
  }
}
