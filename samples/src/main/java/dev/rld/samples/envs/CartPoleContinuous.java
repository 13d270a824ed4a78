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
 * A cart-pole with a continuous force, in two tasks: {@code CartPoleBalance-v0} (keep the pole up)
 * and {@code CartPoleSwingUp-v0} (swing it up from hanging down and keep it up).
 *
 * <p>Physics: {@link CartPole}'s — Gymnasium's constants and equations, explicit Euler with
 * τ = 0.02 s, in double precision — except that the force is {@value #FORCE_SCALE} N times the
 * action, clipped to [-1, 1]. θ is the pole's angle from upright (positive leans right) and is not
 * wrapped in the state. The observation is [x, ẋ, cos θ, sin θ, θ̇] (float32), continuous over a
 * full turn as the pendulum environments give it.
 *
 * <p>Balance: reset draws x, ẋ, θ, θ̇ each uniformly from [-0.05, 0.05); reward 1.0 per step;
 * terminates when |θ| &gt; 12° or |x| &gt; 2.4 m. Swing-up: reset draws x, ẋ, θ̇ from [-0.05, 0.05)
 * and θ from π + [-0.05, 0.05) (hanging); no angle limit; terminates only when |x| &gt; 2.4 m;
 * reward (1 + cos θ) / 2 · cos(π x / 4.8), in [0, 1] — highest upright at the track's centre, and
 * never negative, so leaving the track early only forfeits reward (the form of hardmaru's
 * {@code CartPoleSwingUp}). Both are truncated after {@value #MAX_EPISODE_STEPS} steps (10 s).
 *
 * <p>Reset options: {@code "state"} (a {@code double[4]} or a list of 4 numbers, [x, ẋ, θ, θ̇])
 * starts from that state instead of a random one.
 */
public final class CartPoleContinuous implements Env<float[], float[]> {
  public static final String BALANCE_ID = "CartPoleBalance-v0";
  public static final String SWING_UP_ID = "CartPoleSwingUp-v0";
  public static final int MAX_EPISODE_STEPS = 500;
  /** Newtons per unit of action. */
  public static final double FORCE_SCALE = 10.0;

  private static final double GRAVITY = 9.8;
  private static final double MASSCART = 1.0;
  private static final double MASSPOLE = 0.1;
  private static final double TOTAL_MASS = MASSPOLE + MASSCART;
  private static final double LENGTH = 0.5; // half the pole's length
  private static final double POLEMASS_LENGTH = MASSPOLE * LENGTH;
  private static final double TAU = 0.02;
  static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
  static final double X_THRESHOLD = 2.4;

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Box OBSERVATION_SPACE = Box.float32(
          new double[] {-2 * X_THRESHOLD, -INF, -1, -1, -INF}, new double[] {2 * X_THRESHOLD, INF, 1, 1, INF})
      .withLabels("cart position", "cart velocity", "cos θ", "sin θ", "pole angular velocity")
      .withUnits("m", "m/s", "", "", "rad/s");
  private static final Box ACTION_SPACE = Box.of(DType.FLOAT32, -1, 1, 1)
      .withLabels("force")
      .withUnits("× 10 N");

  /** Which of the two tasks: where it starts, what it rewards, what ends it. */
  public enum Task {
    BALANCE(BALANCE_ID), SWING_UP(SWING_UP_ID);

    private final String id;

    Task(String id) {
      this.id = id;
    }

    /** The env id of this task. */
    public String id() {
      return id;
    }

    /** The task of env id {@code id}. */
    public static Task of(String id) {
      for (Task t : values()) {
        if (t.id.equals(id)) {
          return t;
        }
      }
      throw new IllegalArgumentException("not a continuous cart-pole: '" + id + "'; known: "
          + BALANCE_ID + ", " + SWING_UP_ID);
    }
  }

  private final Task task;
  private SplittableRandom rng = new SplittableRandom();
  /** x, ẋ, θ, θ̇; null before the first reset. */
  private double[] state;
  private int elapsedSteps;
  private boolean done;

  public CartPoleContinuous(Task task) {
    this.task = task;
  }

  /** The balance task. */
  public static CartPoleContinuous balance() {
    return new CartPoleContinuous(Task.BALANCE);
  }

  /** The swing-up task. */
  public static CartPoleContinuous swingUp() {
    return new CartPoleContinuous(Task.SWING_UP);
  }

  public Task task() {
    return task;
  }

  @Override
  public Reset<float[]> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    if (options != null && options.keySet().stream().anyMatch(k -> !k.equals("state"))) {
      throw new IllegalArgumentException(id() + " reset options " + options.keySet()
          + " are not supported; the only option is \"state\"");
    }
    Object given = options == null ? null : options.get("state");
    if (given != null) {
      state = parseState(given);
    } else {
      state = new double[4];
      for (int i = 0; i < 4; i++) {
        state[i] = rng.nextDouble(-0.05, 0.05);
      }
      if (task == Task.SWING_UP) {
        state[2] += Math.PI;
      }
    }
    elapsedSteps = 0;
    done = false;
    return new Reset<>(observation());
  }

  @Override
  public Step<float[]> step(float[] action) {
    if (state == null) {
      throw new IllegalStateException(id() + ": step() called before reset()");
    }
    if (done) {
      throw new IllegalStateException(id() + ": the episode is over after " + elapsedSteps
          + " steps; call reset() before stepping again");
    }
    if (action == null || action.length != 1 || !Float.isFinite(action[0])) {
      throw new IllegalArgumentException(id() + ": invalid action "
          + (action == null ? "null" : Arrays.toString(action))
          + ": expected float[1], the force in units of 10 N (values outside [-1, 1] are clipped)");
    }
    double force = FORCE_SCALE * Math.max(-1.0, Math.min(1.0, action[0]));
    double x = state[0];
    double xDot = state[1];
    double theta = state[2];
    double thetaDot = state[3];
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double temp = (force + POLEMASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    double thetaAcc = (GRAVITY * sin - cos * temp)
        / (LENGTH * (4.0 / 3.0 - MASSPOLE * cos * cos / TOTAL_MASS));
    double xAcc = temp - POLEMASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
    state = new double[] {
        x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc};
    elapsedSteps++;

    boolean offTrack = state[0] < -X_THRESHOLD || state[0] > X_THRESHOLD;
    boolean terminated;
    double reward;
    if (task == Task.BALANCE) {
      terminated = offTrack || state[2] < -THETA_THRESHOLD_RADIANS || state[2] > THETA_THRESHOLD_RADIANS;
      reward = 1.0;
    } else {
      terminated = offTrack;
      // the state after the step is rewarded, so the step that swings the pole up earns for it
      reward = (1 + Math.cos(state[2])) / 2 * Math.cos(Math.PI * state[0] / (2 * X_THRESHOLD));
    }
    boolean truncated = elapsedSteps >= MAX_EPISODE_STEPS;
    done = terminated || truncated;
    return new Step<>(observation(), reward, terminated, truncated);
  }

  private float[] observation() {
    return new float[] {(float) state[0], (float) state[1], (float) Math.cos(state[2]),
        (float) Math.sin(state[2]), (float) state[3]};
  }

  private double[] parseState(Object given) {
    double[] s;
    if (given instanceof double[] d) {
      s = d.clone();
    } else if (given instanceof List<?> list && list.stream().allMatch(e -> e instanceof Number)) {
      s = list.stream().mapToDouble(e -> ((Number) e).doubleValue()).toArray();
    } else {
      s = null;
    }
    if (s == null || s.length != 4) {
      throw new IllegalArgumentException(id() + " state must be 4 numbers [x, x_dot, theta, theta_dot], got "
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
    return task.id();
  }

  @Override
  public Map<String, Object> metadata() {
    return Map.of("render_fps", 50);
  }
}
