package dev.rld.samples.agents;

import dev.rld.env.Env;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Catch;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import java.util.List;

/**
 * Agent {@code trained}: each sample env's own sample agent. CartPole-v1: the PyTorch-trained
 * ONNX MLP acting greedily ({@link PolicyAgent}); Catch-v0: the PyTorch-trained ONNX CNN acting
 * greedily; Pendulum-v1: {@link PendulumSwingUp}; PeterAndTheWolf-v0: {@link QLearning}.
 */
public final class TrainedAgents {
  /** The envs that have a trained agent. */
  public static final List<String> ENVS = List.of(CartPole.ID, Catch.ID, Pendulum.ID, GridWorld.ID);

  private TrainedAgents() {}

  public static Agent<?, ?> forEnv(Env<?, ?> env, long seed) {
    return switch (env.id()) {
      case CartPole.ID -> new PolicyAgent(env.observationSpace(), env.actionSpace(), SamplePolicies.cartPole());
      case Catch.ID -> new PolicyAgent(env.observationSpace(), env.actionSpace(), SamplePolicies.catchBall());
      case Pendulum.ID -> PendulumSwingUp.forEnv(env);
      case GridWorld.ID -> QLearning.forEnv(env, seed);
      default -> throw new IllegalArgumentException("agent 'trained' has no trained agent for " + env.id()
          + "; it has one for " + String.join(", ", ENVS));
    };
  }
}
