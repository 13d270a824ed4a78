package dev.rld.samples.agents;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sample trainers by agent name; adding one is one line in {@link #TRAINERS}. An agent that
 * trains in more than one env has its default env's trainer in {@link #TRAINERS} and the others
 * in {@link #OTHER_ENVS}, keyed "agent env-id"; {@link #get(String, String)} picks by env.
 */
public final class Trainers {
  private static final Map<String, Trainer> TRAINERS = new TreeMap<>(Map.of(
      "qlearning", new QLearning.Training()));
  private static final Map<String, Trainer> OTHER_ENVS = Map.of(
      "qlearning " + dev.rld.samples.envs.CartPole.ID, new CartPoleQLearning.Training(),
      "qlearning " + dev.rld.samples.envs.EnergyGridWorld.ID, new EnergyQLearning.Training());

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

  /**
   * The trainer of agent {@code id} in env {@code envId} (null: the agent's default env); an
   * unknown pair fails naming the envs the agent trains in.
   */
  public static Trainer get(String id, String envId) {
    Trainer t = get(id);
    if (envId == null || envId.equals(t.envId())) {
      return t;
    }
    Trainer other = OTHER_ENVS.get(id + " " + envId);
    if (other == null) {
      throw new IllegalArgumentException("agent '" + id + "' trains in " + String.join(", ", envIds(id)) + ", not " + envId);
    }
    return other;
  }

  /** The envs agent {@code id} trains in, its default first. */
  public static java.util.List<String> envIds(String id) {
    java.util.List<String> envs = new java.util.ArrayList<>(java.util.List.of(get(id).envId()));
    OTHER_ENVS.keySet().stream().filter(k -> k.startsWith(id + " ")).map(k -> k.substring(id.length() + 1)).sorted()
        .forEach(envs::add);
    return envs;
  }
}
