package dev.rld.samples.envs;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gymnasium's {@code CartPole-v1}: a pole hinged on a cart that moves along a track; the agent
 * pushes the cart left (action 0) or right (action 1) with a fixed force and earns 1.0 for every
 * step until the pole leans more than 12° or the cart leaves the track (±2.4 m). The episode is
 * truncated after 500 steps, as Gymnasium's registration ({@code max_episode_steps=500}) does.
 *
 * <p>The dynamics are those of {@code gymnasium.envs.classic_control.CartPoleEnv} with its default
 * "euler" integrator, in double precision as Gymnasium keeps its state in float64; observations
 * are float32 like Gymnasium's. The test checks a trajectory against an independent transcription
 * of Gymnasium's {@code step}.
 *
 * <p>Not reproduced: the initial state is drawn from {@link SplittableRandom}, not NumPy's PCG64,
 * so a seed gives a different (but equally reproducible) episode than in Python. Stepping after
 * the episode ended throws, where Gymnasium warns and returns reward 0.
 *
 * <p>Reset options: {@code "state"} (a {@code double[4]} or a list of 4 numbers) starts from that
 * state instead of a random one, e.g. to replay a recorded situation.
 */
public final class CartPole implements Env<float[], Integer> {
  public static final String ID = "CartPole-v1";
  public static final int MAX_EPISODE_STEPS = 500;

  private static final double GRAVITY = 9.8;
  private static final double MASSCART = 1.0;
  private static final double MASSPOLE = 0.1;
  private static final double TOTAL_MASS = MASSPOLE + MASSCART;
  private static final double LENGTH = 0.5; // half the pole's length
  private static final double POLEMASS_LENGTH = MASSPOLE * LENGTH;
  private static final double FORCE_MAG = 10.0;
  private static final double TAU = 0.02; // seconds between state updates
  static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
  static final double X_THRESHOLD = 2.4;

  // Twice the termination limits, as Gymnasium's observation space has them.
  private static final double[] HIGH = {
      X_THRESHOLD * 2, Double.POSITIVE_INFINITY, THETA_THRESHOLD_RADIANS * 2, Double.POSITIVE_INFINITY};

  private static final Box OBSERVATION_SPACE = Box.float32(negate(HIGH), HIGH)
      .withLabels("cart position", "cart velocity", "pole angle", "pole angular velocity")
      .withUnits("m", "m/s", "rad", "rad/s");
  private static final Discrete ACTION_SPACE = new Discrete(2).withLabels("push left", "push right");

  private SplittableRandom rng = new SplittableRandom();
  /** x, x_dot, theta, theta_dot; null before the first reset. */
  private double[] state;
  private int elapsedSteps;
  private boolean done;

  @Override
  public Reset<float[]> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    Object given = options == null ? null : options.get("state");
    if (options != null && options.keySet().stream().anyMatch(k -> !k.equals("state"))) {
      throw new IllegalArgumentException(ID + " reset options " + options.keySet()
          + " are not supported; the only option is \"state\"");
    }
    if (given != null) {
      state = parseState(given);
    } else {
      state = new double[4];
      for (int i = 0; i < 4; i++) {
        state[i] = rng.nextDouble(-0.05, 0.05);
      }
    }
    elapsedSteps = 0;
    done = false;
    return new Reset<>(observation());
  }

  @Override
  public Step<float[]> step(Integer action) {
    if (state == null) {
      throw new IllegalStateException(ID + ": step() called before reset()");
    }
    if (done) {
      throw new IllegalStateException(ID + ": the episode is over (terminated or truncated after "
          + elapsedSteps + " steps); call reset() before stepping again");
    }
    String why = ACTION_SPACE.mismatch(action);
    if (why != null) {
      throw new IllegalArgumentException(ID + ": invalid action: " + why
          + " (0 pushes the cart left, 1 pushes it right)");
    }
    double x = state[0];
    double xDot = state[1];
    double theta = state[2];
    double thetaDot = state[3];
    double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    // Florian, "Correct equations for the dynamics of the cart-pole system", as Gymnasium cites.
    double temp = (force + POLEMASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    double thetaAcc = (GRAVITY * sin - cos * temp)
        / (LENGTH * (4.0 / 3.0 - MASSPOLE * cos * cos / TOTAL_MASS));
    double xAcc = temp - POLEMASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
    // Explicit Euler: every update uses the values from before this step.
    state = new double[] {
        x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc};
    elapsedSteps++;

    boolean terminated = state[0] < -X_THRESHOLD || state[0] > X_THRESHOLD
        || state[2] < -THETA_THRESHOLD_RADIANS || state[2] > THETA_THRESHOLD_RADIANS;
    // Gymnasium's TimeLimit truncates on the 500th step whether or not it also terminated.
    boolean truncated = elapsedSteps >= MAX_EPISODE_STEPS;
    done = terminated || truncated;
    // The step that lets the pole fall still earns 1.0, as in Gymnasium.
    return new Step<>(observation(), 1.0, terminated, truncated);
  }

  /** Replaces the state mid-episode, so tests can reach rare situations (e.g. falling at step 500). */
  void setState(double... s) {
    if (state == null) {
      throw new IllegalStateException("setState() needs an episode: call reset() first");
    }
    state = parseState(s);
  }

  private float[] observation() {
    return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
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
    if (s == null || s.length != 4) {
      throw new IllegalArgumentException(ID + " state must be 4 numbers [x, x_dot, theta, theta_dot], got "
          + (given instanceof double[] d ? Arrays.toString(d) : given));
    }
    return s;
  }

  private static double[] negate(double[] a) {
    return Arrays.stream(a).map(v -> -v).toArray();
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
    return Map.of("render_fps", 50);
  }
}
