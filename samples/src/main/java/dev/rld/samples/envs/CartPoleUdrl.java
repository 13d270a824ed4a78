package dev.rld.samples.envs;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.Dict;
import dev.rld.space.Space;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code CartPole-v1} with an upside-down RL command in the observation: a Dict
 * {@code {command: Box[2], state: Box[4]}}, the command being (desired return, desired horizon).
 * After each step both are decremented (the return by the reward, the horizon by 1) and clipped
 * at 0, as UDRL's play does, so the command the agent acts on is part of what is recorded and
 * attributions can tell the command's influence from the state's. Dynamics, rewards, termination
 * and truncation are {@link CartPole}'s.
 *
 * <p>The initial command is drawn as models/udrl/train.py's evaluation draws it from its final
 * top-100 plays: horizon {@link #HORIZON}, return uniform in [{@link #RETURN_MEAN},
 * {@link #RETURN_MEAN} + {@link #RETURN_STD}). Reset options: {@code "command"} (2 numbers) sets it,
 * {@code "state"} is passed to CartPole.
 */
public final class CartPoleUdrl implements Env<Map<String, Object>, Integer> {
  public static final String ID = "CartPoleUDRL-v1";
  /** Mean length of the top 100 plays at the end of training (models/udrl/train_report.json). */
  public static final double HORIZON = 381.16;
  /** Mean return of the top 100 plays at the end of training. */
  public static final double RETURN_MEAN = 381.16;
  /** Standard deviation of those returns. */
  public static final double RETURN_STD = 17.65996602488238;

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Dict OBSERVATION_SPACE = new Dict(Map.of(
      "command", Box.float32(new double[] {0, 0}, new double[] {INF, INF})
          .withLabels("desired return", "desired horizon"),
      "state", (Box) new CartPole().observationSpace()));

  private final CartPole cartPole = new CartPole();
  private SplittableRandom rng = new SplittableRandom();
  private double desiredReturn;
  private double desiredHorizon;

  @Override
  public Reset<Map<String, Object>> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    Map<String, Object> passed = new HashMap<>(options == null ? Map.of() : options);
    Object command = passed.remove("command");
    if (command != null) {
      if (!(command instanceof List<?> c) || c.size() != 2 || !c.stream().allMatch(v -> v instanceof Number)) {
        throw new IllegalArgumentException(ID + " command must be 2 numbers [desired return, desired horizon], got "
            + command);
      }
      desiredReturn = ((Number) c.get(0)).doubleValue();
      desiredHorizon = ((Number) c.get(1)).doubleValue();
    } else {
      desiredReturn = RETURN_MEAN + rng.nextDouble() * RETURN_STD;
      desiredHorizon = HORIZON;
    }
    // CartPole draws its own initial state from its own generator, seeded from ours.
    Reset<float[]> r = cartPole.reset(seed == null ? null : rng.nextLong(), passed);
    return new Reset<>(observation(r.observation()), r.info());
  }

  @Override
  public Step<Map<String, Object>> step(Integer action) {
    Step<float[]> s = cartPole.step(action);
    desiredReturn = Math.max(0, desiredReturn - s.reward());
    desiredHorizon = Math.max(0, desiredHorizon - 1);
    return new Step<>(observation(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
  }

  private Map<String, Object> observation(float[] state) {
    Map<String, Object> obs = new LinkedHashMap<>();
    obs.put("command", new float[] {(float) desiredReturn, (float) desiredHorizon});
    obs.put("state", state);
    return obs;
  }

  @Override
  public Space observationSpace() {
    return OBSERVATION_SPACE;
  }

  @Override
  public Space actionSpace() {
    return cartPole.actionSpace();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Map<String, Object> metadata() {
    return cartPole.metadata();
  }
}
