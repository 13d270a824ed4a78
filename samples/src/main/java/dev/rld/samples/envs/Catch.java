package dev.rld.samples.envs;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * "Catch the ball" ({@code Catch-v0}), a pixel env: a {@value #BALL}×{@value #BALL} ball falls from
 * the top of an {@value #SIZE}×{@value #SIZE} grey frame, {@value #FALL} pixels per step, drifting
 * sideways by its horizontal velocity and bouncing off the side walls; a
 * {@value #PADDLE_WIDTH}×{@value #PADDLE_HEIGHT} paddle near the bottom moves {@value #PADDLE_SPEED}
 * pixels per step. One ball per episode: the episode terminates after {@value #EPISODE_STEPS}
 * steps, when the ball comes down onto the paddle's row (its bottom edge touches the row above
 * the paddle), with reward +1 if it is over the paddle (their columns overlap) and −1 if not;
 * every earlier step earns 0. The final info says how it ended: {@code {"outcome":
 * "caught"|"missed"}}. Every info (reset's too) holds the positions: {@code ball_x},
 * {@code ball_y} (the ball's top-left pixel), {@code ball_vx} (pixels per step, sign = direction)
 * and {@code paddle_x} (the paddle's left column; its top row is always {@value #PADDLE_Y}).
 *
 * <p>Actions: 0 stay, 1 left, 2 right ({@code metadata().get("action_meanings")}); the paddle
 * stops at the walls. The observation is a uint8 Box of shape [2, 84, 84]: the previous and the
 * current frame, oldest first, the stack axis first as Gymnasium's {@code FrameStackObservation}
 * stacks them; after a reset both are the first frame, so the ball's direction shows from the
 * first step on. Reset draws the ball's column uniformly from [0, {@value #MAX_BALL_X}] and its
 * velocity uniformly from [−{@value #MAX_VX}, {@value #MAX_VX}]; the paddle starts in the middle
 * ({@value #PADDLE_START}). Reset option {@code "state"}: [ball_x, ball_vx, paddle_x] (ints)
 * starts from that state instead, e.g. to replay a situation.
 *
 * <p>Every size and speed is an integer, so the Python transcription ({@code models/catch/
 * catch_sim.py}) draws the very same pixels (the test compares them). A perfect player always
 * catches the ball: the paddle needs at most 33 pixels to get under any column from the middle
 * and can move {@value #PADDLE_SPEED} × ({@value #EPISODE_STEPS} − 1) = 72 after the step it
 * needs to see the ball's direction.
 *
 * <p>The background is not black: a static checkerboard of 7×7-pixel squares of grey levels
 * {@value #BACKGROUND_DARK} and {@value #BACKGROUND_LIGHT}; the ball is {@value #BALL_LEVEL}, the
 * paddle {@value #PADDLE_LEVEL}. It is the same in every frame, so it tells nothing and a good
 * policy ignores it; but it is not zero, so that perturbing a background pixel to a zero
 * baseline (ablation, occlusion) really changes the input. On a black background only the ball
 * and paddle pixels could get any attribution from a zero baseline, and "the policy looks at the
 * ball" would hold by construction rather than because of what the policy learned.
 */
public final class Catch implements Env<byte[], Integer> {
  public static final String ID = "Catch-v0";

  public static final int SIZE = 84;
  public static final int FRAMES = 2;
  public static final int BALL = 4;
  public static final int PADDLE_WIDTH = 12;
  public static final int PADDLE_HEIGHT = 3;
  /** The paddle's top row. */
  public static final int PADDLE_Y = 78;
  /** Pixels the ball falls per step. */
  public static final int FALL = 2;
  public static final int PADDLE_SPEED = 2;
  public static final int MAX_VX = 3;
  public static final int MAX_BALL_X = SIZE - BALL;
  public static final int MAX_PADDLE_X = SIZE - PADDLE_WIDTH;
  public static final int PADDLE_START = MAX_PADDLE_X / 2;
  /** The ball's top row when it lands on the paddle's row: the last step. */
  public static final int LANDING_Y = PADDLE_Y - BALL;
  /** Steps per episode: the ball starts at row 0 and falls {@link #FALL} rows a step. */
  public static final int EPISODE_STEPS = LANDING_Y / FALL;

  public static final int STAY = 0;
  public static final int LEFT = 1;
  public static final int RIGHT = 2;
  public static final List<String> ACTION_MEANINGS = List.of("stay", "left", "right");

  public static final int BACKGROUND_DARK = 40;
  public static final int BACKGROUND_LIGHT = 60;
  static final int CHECKER = 7;
  public static final int BALL_LEVEL = 255;
  public static final int PADDLE_LEVEL = 200;

  private static final Box OBSERVATION_SPACE = Box.of(DType.UINT8, 0, 255, FRAMES, SIZE, SIZE);
  private static final Discrete ACTION_SPACE = new Discrete(3).withLabels(ACTION_MEANINGS.toArray(String[]::new));
  private static final byte[] BACKGROUND = background();

  static {
    // The landing row must be reached exactly, or the ball would sink into the paddle.
    if (LANDING_Y % FALL != 0) {
      throw new AssertionError("LANDING_Y must be a multiple of FALL");
    }
  }

  private SplittableRandom rng = new SplittableRandom();
  private int ballX;
  private int ballY;
  private int ballVx;
  private int paddleX;
  /** The current frame; null before the first reset. */
  private byte[] frame;
  private byte[] previous;
  private int elapsedSteps;
  private boolean done;

  @Override
  public Reset<byte[]> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    if (options != null && options.keySet().stream().anyMatch(k -> !k.equals("state"))) {
      throw new IllegalArgumentException(ID + " reset options " + options.keySet()
          + " are not supported; the only option is \"state\"");
    }
    Object given = options == null ? null : options.get("state");
    if (given != null) {
      int[] s = parseState(given);
      ballX = s[0];
      ballVx = s[1];
      paddleX = s[2];
    } else {
      ballX = rng.nextInt(MAX_BALL_X + 1);
      ballVx = rng.nextInt(-MAX_VX, MAX_VX + 1);
      paddleX = PADDLE_START;
    }
    ballY = 0;
    elapsedSteps = 0;
    done = false;
    frame = render();
    previous = frame;
    return new Reset<>(observation(), info(null));
  }

  @Override
  public Step<byte[]> step(Integer action) {
    if (frame == null) {
      throw new IllegalStateException(ID + ": step() called before reset()");
    }
    if (done) {
      throw new IllegalStateException(ID + ": the episode is over after " + elapsedSteps
          + " steps; call reset() before stepping again");
    }
    String why = ACTION_SPACE.mismatch(action);
    if (why != null) {
      throw new IllegalArgumentException(ID + ": invalid action: " + why + " (0 stay, 1 left, 2 right)");
    }
    int move = action == LEFT ? -PADDLE_SPEED : action == RIGHT ? PADDLE_SPEED : 0;
    paddleX = Math.max(0, Math.min(MAX_PADDLE_X, paddleX + move));
    ballY += FALL;
    ballX += ballVx;
    // A wall reflects the ball: the pixels it would have gone past the wall, it goes back.
    if (ballX < 0) {
      ballX = -ballX;
      ballVx = -ballVx;
    } else if (ballX > MAX_BALL_X) {
      ballX = 2 * MAX_BALL_X - ballX;
      ballVx = -ballVx;
    }
    elapsedSteps++;
    previous = frame;
    frame = render();
    boolean terminated = ballY >= LANDING_Y;
    done = terminated;
    double reward = 0;
    String outcome = null;
    if (terminated) {
      boolean caught = caught(ballX, paddleX);
      reward = caught ? 1 : -1;
      outcome = caught ? "caught" : "missed";
    }
    return new Step<>(observation(), reward, terminated, false, info(outcome));
  }

  /** Whether a ball at column {@code ballX} lands on a paddle at {@code paddleX}: their columns overlap. */
  public static boolean caught(int ballX, int paddleX) {
    return ballX < paddleX + PADDLE_WIDTH && ballX + BALL > paddleX;
  }

  /** The grey level of background pixel (row, column): the checkerboard. */
  public static int background(int row, int col) {
    return (row / CHECKER + col / CHECKER) % 2 == 0 ? BACKGROUND_DARK : BACKGROUND_LIGHT;
  }

  private static byte[] background() {
    byte[] b = new byte[SIZE * SIZE];
    for (int r = 0; r < SIZE; r++) {
      for (int c = 0; c < SIZE; c++) {
        b[r * SIZE + c] = (byte) background(r, c);
      }
    }
    return b;
  }

  /** The current frame: background, paddle, then ball (the ball never reaches the paddle's rows). */
  private byte[] render() {
    byte[] f = BACKGROUND.clone();
    fill(f, PADDLE_Y, paddleX, PADDLE_HEIGHT, PADDLE_WIDTH, PADDLE_LEVEL);
    fill(f, ballY, ballX, BALL, BALL, BALL_LEVEL);
    return f;
  }

  private static void fill(byte[] f, int row, int col, int height, int width, int level) {
    for (int r = row; r < row + height; r++) {
      for (int c = col; c < col + width; c++) {
        f[r * SIZE + c] = (byte) level;
      }
    }
  }

  private byte[] observation() {
    byte[] obs = new byte[FRAMES * SIZE * SIZE];
    System.arraycopy(previous, 0, obs, 0, SIZE * SIZE);
    System.arraycopy(frame, 0, obs, SIZE * SIZE, SIZE * SIZE);
    return obs;
  }

  private Map<String, Object> info(String outcome) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("ball_x", ballX);
    info.put("ball_y", ballY);
    info.put("ball_vx", ballVx);
    info.put("paddle_x", paddleX);
    if (outcome != null) {
      info.put("outcome", outcome);
    }
    return info;
  }

  private static int[] parseState(Object given) {
    int[] s = null;
    if (given instanceof int[] a) {
      s = a.clone();
    } else if (given instanceof List<?> list && list.stream().allMatch(e -> e instanceof Integer || e instanceof Long)) {
      s = list.stream().mapToInt(e -> Math.toIntExact(((Number) e).longValue())).toArray();
    }
    if (s == null || s.length != 3 || s[0] < 0 || s[0] > MAX_BALL_X || Math.abs(s[1]) > MAX_VX
        || s[2] < 0 || s[2] > MAX_PADDLE_X) {
      throw new IllegalArgumentException(ID + " state must be 3 integers [ball_x in 0.." + MAX_BALL_X
          + ", ball_vx in -" + MAX_VX + ".." + MAX_VX + ", paddle_x in 0.." + MAX_PADDLE_X + "], got "
          + (given instanceof int[] a ? java.util.Arrays.toString(a) : given));
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
    return Map.of("render_fps", 15, "action_meanings", ACTION_MEANINGS);
  }
}
