package dev.rld.samples.envs;

import dev.rld.env.Env;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The sample envs by Gymnasium id; adding one is one line in {@link #FACTORIES}. */
public final class Envs {
  private static final Map<String, Supplier<Env<?, ?>>> FACTORIES = new TreeMap<>(Map.ofEntries(
      Map.entry(CartPole.ID, CartPole::new),
      Map.entry(CartPoleContinuous.BALANCE_ID, CartPoleContinuous::balance),
      Map.entry(CartPoleContinuous.SWING_UP_ID, CartPoleContinuous::swingUp),
      Map.entry(CartPoleUdrl.ID, CartPoleUdrl::new),
      Map.entry(Catch.ID, Catch::new),
      Map.entry(EnergyGridWorld.ID, EnergyGridWorld::new),
      Map.entry(GridWorld.ID, GridWorld::new),
      Map.entry(Pendulum.ID, Pendulum::new)));

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
