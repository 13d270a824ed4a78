package dev.rld.samples.envs;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Space;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gymnasium's {@code Pendulum-v1}: a rigid rod hinged at one end, starting at a random angle; the
 * agent applies a torque in [-2, 2] N·m at the hinge and is penalised every step for the angle
 * from upright, the angular velocity and the torque, so the best it can do is swing the pendulum
 * up and hold it there. The torque is too weak to lift the pendulum directly from below: it has to
 * be swung up. The episode never terminates and is truncated after 200 steps, as Gymnasium's
 * registration ({@code max_episode_steps=200}) does.
 *
 * <p>θ is measured from upright (θ = 0 is up, positive counter-clockwise) and is not wrapped in
 * the state; the observation is [cos θ, sin θ, θ̇] so that it is continuous. The dynamics are
 * those of {@code gymnasium.envs.classic_control.PendulumEnv}, in double precision as Gymnasium
 * keeps its state in float64; observations are float32 like Gymnasium's. The test checks a
 * trajectory against an independent transcription of Gymnasium's {@code step}.
 *
 * <p>Not reproduced: the initial state is drawn from {@link SplittableRandom}, not NumPy's PCG64,
 * so a seed gives a different (but equally reproducible) episode than in Python. Gymnasium
 * multiplies the float32 torque in float32 (NumPy 2's promotion rules); here it is widened to
 * double first, a difference below 1e-7 per step. Stepping after the episode ended throws, where
 * Gymnasium's TimeLimit lets it continue. Gymnasium's {@code g} constructor argument is not
 * offered; g is 10.0.
 *
 * <p>Actions outside [-2, 2] are accepted and clipped, as Gymnasium's {@code step} clips them;
 * only a wrong length or NaN is rejected.
 *
 * <p>Reset options: {@code "state"} (a {@code double[2]} or a list of 2 numbers, [θ, θ̇]) starts
 * from that state instead of a random one, e.g. to replay a recorded situation.
 */
public final class Pendulum implements Env<float[], float[]> {
  public static final String ID = "Pendulum-v1";
  public static final int MAX_EPISODE_STEPS = 200;

  static final double MAX_SPEED = 8;
  static final double MAX_TORQUE = 2.0;
  static final double DT = 0.05;
  static final double G = 10.0;
  static final double M = 1.0;
  static final double L = 1.0;

  // Gymnasium's reset draws θ from [-DEFAULT_X, DEFAULT_X] and θ̇ from [-DEFAULT_Y, DEFAULT_Y].
  private static final double DEFAULT_X = Math.PI;
  private static final double DEFAULT_Y = 1.0;

  private static final Box OBSERVATION_SPACE = Box.float32(
          new double[] {-1, -1, -MAX_SPEED}, new double[] {1, 1, MAX_SPEED})
      .withLabels("cos θ", "sin θ", "angular velocity")
      .withUnits("", "", "rad/s");
  private static final Box ACTION_SPACE = Box.of(DType.FLOAT32, -MAX_TORQUE, MAX_TORQUE, 1)
      .withLabels("torque")
      .withUnits("N·m");

  private SplittableRandom rng = new SplittableRandom();
  /** θ, θ̇; null before the first reset. */
  private double[] state;
  private int elapsedSteps;
  private boolean done;

  @Override
  public Reset<float[]> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    if (options != null && options.keySet().stream().anyMatch(k -> !k.equals("state"))) {
      throw new IllegalArgumentException(ID + " reset options " + options.keySet()
          + " are not supported; the only option is \"state\"");
    }
    Object given = options == null ? null : options.get("state");
    if (given != null) {
      state = parseState(given);
    } else {
      state = new double[] {rng.nextDouble(-DEFAULT_X, DEFAULT_X), rng.nextDouble(-DEFAULT_Y, DEFAULT_Y)};
    }
    elapsedSteps = 0;
    done = false;
    return new Reset<>(observation());
  }

  @Override
  public Step<float[]> step(float[] action) {
    if (state == null) {
      throw new IllegalStateException(ID + ": step() called before reset()");
    }
    if (done) {
      throw new IllegalStateException(ID + ": the episode is over (truncated after "
          + elapsedSteps + " steps); call reset() before stepping again");
    }
    if (action == null || action.length != 1 || Float.isNaN(action[0])) {
      throw new IllegalArgumentException(ID + ": invalid action "
          + (action == null ? "null" : Arrays.toString(action))
          + ": expected float[1], a torque in N·m (values outside [-2, 2] are clipped)");
    }
    double th = state[0];
    double thdot = state[1];
    double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, action[0]));
    // The cost of the state *before* the step, with the clipped torque, as Gymnasium computes it.
    double costs = angleNormalize(th) * angleNormalize(th) + 0.1 * thdot * thdot + 0.001 * (u * u);
    double newthdot = thdot + (3 * G / (2 * L) * Math.sin(th) + 3.0 / (M * L * L) * u) * DT;
    newthdot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newthdot));
    // Semi-implicit Euler: the angle moves with the *new* velocity, in Gymnasium's order.
    double newth = th + newthdot * DT;
    state = new double[] {newth, newthdot};
    elapsedSteps++;
    // Nothing ends the MDP; only Gymnasium's TimeLimit cuts the episode.
    boolean truncated = elapsedSteps >= MAX_EPISODE_STEPS;
    done = truncated;
    return new Step<>(observation(), -costs, false, truncated);
  }

  /**
   * Gymnasium's {@code ((x + π) % (2π)) - π}: the angle in [-π, π). Python's {@code %} takes the
   * divisor's sign, Java's the dividend's, so negative remainders are shifted up by 2π.
   */
  static double angleNormalize(double x) {
    double r = (x + Math.PI) % (2 * Math.PI);
    if (r < 0) {
      r += 2 * Math.PI;
    }
    return r - Math.PI;
  }

  private float[] observation() {
    return new float[] {(float) Math.cos(state[0]), (float) Math.sin(state[0]), (float) state[1]};
  }

  private static double[] parseState(Object given) {
    double[] s;
    if (given instanceof double[] d) {
      s = d.clone();
    } else if (given instanceof List<?> list && list.stream().allMatch(e -> e instanceof Number)) {
      s = list.stream().mapToDouble(e -> ((Number) e).doubleValue()).toArray();
    } else {
      s = null;
    }
    if (s == null || s.length != 2) {
      throw new IllegalArgumentException(ID + " state must be 2 numbers [theta, theta_dot], got "
          + (given instanceof double[] d ? Arrays.toString(d) : given));
    }
    return s;
  }

  @Override
  public Space observationSpace() {
    return OBSERVATION_SPACE;
  }

  @Override
  public Space actionSpace() {
    return ACTION_SPACE;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Map<String, Object> metadata() {
    return Map.of("render_fps", 30);
  }
}
