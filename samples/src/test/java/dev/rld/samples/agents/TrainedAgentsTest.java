package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Catch;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainedAgentsTest {
  @Test
  void eachSampleEnvHasItsTrainedAgent() {
    assertTrue(Agents.make("trained", new CartPole(), 1) instanceof PolicyAgent);
    assertTrue(Agents.make("trained", new Catch(), 1) instanceof PolicyAgent);
    assertTrue(Agents.make("trained", new Pendulum(), 1) instanceof PendulumSwingUp);
    assertTrue(Agents.make("trained", new GridWorld(), 1) instanceof QLearning);
  }

  @Test
  void anUnknownEnvFailsNamingTheKnownOnes() {
    Env<Integer, Integer> other = new Env<>() {
      @Override
      public Reset<Integer> reset(Long seed, Map<String, Object> options) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Step<Integer> step(Integer action) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Space observationSpace() {
        return new Discrete(3);
      }

      @Override
      public Space actionSpace() {
        return new Discrete(2);
      }

      @Override
      public String id() {
        return "Other-v0";
      }
    };
    var e = assertThrows(IllegalArgumentException.class, () -> Agents.make("trained", other, 1));
    assertEquals("agent 'trained' has no trained agent for Other-v0; it has one for "
        + "CartPole-v1, Catch-v0, Pendulum-v1, PeterAndTheWolf-v0", e.getMessage());
  }
}
