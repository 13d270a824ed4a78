package dev.rld.samples.agents;

import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.CartPoleContinuous.Task;
import dev.rld.samples.envs.CartPoleUdrl;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sample trainers by agent name; adding one is one line in {@link #TRAINERS}. An agent that
 * trains in more than one env answers {@link Trainer#forEnv} for the others.
 */
public final class Trainers {
  private static final Map<String, Trainer> TRAINERS = new TreeMap<>(Map.ofEntries(
      Map.entry("tiny", TinySearch.shipped(Task.BALANCE)),
      Map.entry("tiny-linear", TinySearch.of(TinyPolicy.Form.LINEAR)),
      Map.entry("tiny-mlp", TinySearch.of(TinyPolicy.Form.MLP)),
      Map.entry("qlearning", new QLearning.Training()),
      Map.entry("ppo", new PythonTrainer(CartPole.ID, "ppo")),
      Map.entry("udrl", new PythonTrainer(CartPoleUdrl.ID, "udrl"))));

  private Trainers() {}

  /** The agents that can be trained here, sorted. */
  public static Set<String> ids() {
    return TRAINERS.keySet();
  }

  /** The trainer of agent {@code id}; an unknown name fails naming the known ones. */
  public static Trainer get(String id) {
    Trainer t = TRAINERS.get(id);
    if (t == null) {
      throw new IllegalArgumentException("no trainer for agent '" + id + "'; trainable agents: " + String.join(", ", ids()));
    }
    return t;
  }
}
