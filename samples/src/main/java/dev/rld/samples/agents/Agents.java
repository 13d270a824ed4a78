package dev.rld.samples.agents;

import dev.rld.env.Env;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The sample agents by name; adding one is one line in {@link #FACTORIES}. */
public final class Agents {

  /** Makes an agent for {@code env}, seeded with {@code seed}. */
  @FunctionalInterface
  public interface Factory {
    Agent<?, ?> create(Env<?, ?> env, long seed);
  }

  private static final Map<String, Factory> FACTORIES = new TreeMap<>(Map.of(
      "random", (env, seed) -> new RandomAgent(env.actionSpace(), seed),
      "qlearning", (env, seed) -> QLearning.forEnv(env, seed),
      "swingup", (env, seed) -> PendulumSwingUp.forEnv(env),
      "trained", TrainedAgents::forEnv,
      "ppo", TorchAgents::ppo,
      "ppo-initial", TorchAgents::ppoInitial,
      "udrl", TorchAgents::udrl));

  private Agents() {}

  /** The known names, sorted. */
  public static Set<String> ids() {
    return FACTORIES.keySet();
  }

  /** A new agent named {@code id} for {@code env}; an unknown name fails naming the known ones. */
  public static Agent<?, ?> make(String id, Env<?, ?> env, long seed) {
    Factory factory = FACTORIES.get(id);
    if (factory == null) {
      throw new IllegalArgumentException("unknown agent '" + id + "'; known agents: " + String.join(", ", ids()));
    }
    return factory.create(env, seed);
  }
}
