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

  private static final Map<String, Factory> FACTORIES = new TreeMap<>(Map.ofEntries(
      Map.entry("random", (env, seed) -> new RandomAgent(env.actionSpace(), seed)),
      Map.entry("qlearning", (env, seed) -> QLearning.forEnv(env, seed)),
      Map.entry("swingup", (env, seed) -> PendulumSwingUp.forEnv(env)),
      Map.entry("tiny", (env, seed) -> TinySearch.TinyAgent.forEnv(env)),
      Map.entry("trained", TrainedAgents::forEnv),
      Map.entry("ppo", TorchAgents::ppo),
      Map.entry("ppo-initial", TorchAgents::ppoInitial),
      Map.entry("udrl", TorchAgents::udrl)));

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
