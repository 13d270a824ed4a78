package dev.rld.samples.agents;

import dev.rld.env.Env;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.CartPoleUdrl;
import dev.rld.space.Space;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The agents trained by RL in PyTorch and shipped as ONNX: {@code ppo} and {@code ppo-initial}
 * (models/ppo: the PPO policy after and before training, logits and value) for CartPole-v1, and
 * {@code udrl} (models/udrl: upside-down RL, logits of the command-conditioned policy) for
 * {@value CartPoleUdrl#ID}. Each acts greedily and records its probabilities, logits and, where
 * the model has one, its value.
 */
public final class TorchAgents {
  public static final String PPO_MODEL = "ppo.onnx";
  public static final String PPO_INITIAL_MODEL = "ppo_initial.onnx";
  public static final String UDRL_MODEL = "udrl.onnx";

  private static final Map<String, OnnxPolicy> LOADED = new HashMap<>();

  private TorchAgents() {}

  /** Agent {@code ppo}: the trained PPO policy, CartPole-v1 only. */
  public static Agent<?, ?> ppo(Env<?, ?> env, long seed) {
    return forEnv(env, CartPole.ID, "ppo", PPO_MODEL);
  }

  /** Agent {@code ppo-initial}: the PPO network as initialised, before any update. */
  public static Agent<?, ?> ppoInitial(Env<?, ?> env, long seed) {
    return forEnv(env, CartPole.ID, "ppo-initial", PPO_INITIAL_MODEL);
  }

  /** Agent {@code udrl}: the upside-down RL policy, acting on the state and the env's command. */
  public static Agent<?, ?> udrl(Env<?, ?> env, long seed) {
    return forEnv(env, CartPoleUdrl.ID, "udrl", UDRL_MODEL);
  }

  private static Agent<?, ?> forEnv(Env<?, ?> env, String envId, String agent, String model) {
    if (!env.id().equals(envId)) {
      throw new IllegalArgumentException("agent '" + agent + "' acts in " + envId + " only, not " + env.id());
    }
    OnnxPolicy policy = policy(model);
    PolicyAgent greedy = new PolicyAgent(env.observationSpace(), env.actionSpace(), policy);
    Policy value = policy.valueHead();
    if (value == null) {
      return greedy;
    }
    Space space = env.observationSpace();
    // PolicyAgent records probabilities and logits; the critic's V(x) is added to the same output.
    return (Agent<Object, Integer>) observation -> {
      Agent.Decision<Integer> d = greedy.act(observation);
      double[] flat = space.flatten(observation);
      float[] input = new float[flat.length];
      for (int i = 0; i < flat.length; i++) {
        input[i] = (float) flat[i];
      }
      return new Agent.Decision<>(d.action(), d.output().withValue(value.evaluate(input, 1)[0]));
    };
  }

  /**
   * Sample model {@code model} loaded once per JVM from a temporary copy (ONNX Runtime loads
   * files); shared, never closed.
   */
  public static synchronized OnnxPolicy policy(String model) {
    OnnxPolicy p = LOADED.get(model);
    if (p == null) {
      try {
        Path file = Files.createTempFile("rld-" + model.replace(".onnx", "") + "-", ".onnx");
        file.toFile().deleteOnExit();
        p = OnnxPolicy.load(SamplePolicies.extractModel(model, file), Policy.Output.LOGITS);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the sample policy " + model + ": " + e.getMessage(), e);
      }
      LOADED.put(model, p);
    }
    return p;
  }
}
