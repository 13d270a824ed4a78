package dev.rld.samples.envs;

import dev.rld.env.Env;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The sample envs by Gymnasium id; adding one is one line in {@link #FACTORIES}. */
public final class Envs {
  private static final Map<String, Supplier<Env<?, ?>>> FACTORIES = new TreeMap<>(Map.of(
      CartPole.ID, CartPole::new,
      Catch.ID, Catch::new,
      EnergyGridWorld.ID, EnergyGridWorld::new,
      GridWorld.ID, GridWorld::new,
      Pendulum.ID, Pendulum::new));

  private Envs() {}

  /** The known ids, sorted. */
  public static Set<String> ids() {
    return FACTORIES.keySet();
  }

  /** A new env with id {@code id}; an unknown id fails naming the known ones. */
  public static Env<?, ?> make(String id) {
    Supplier<Env<?, ?>> factory = FACTORIES.get(id);
    if (factory == null) {
      throw new IllegalArgumentException("unknown env '" + id + "'; known envs: " + String.join(", ", ids()));
    }
    return factory.get();
  }
}
