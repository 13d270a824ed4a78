package dev.rld.samples.envs;

import dev.rld.env.Env;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * "Peter and the wolf", the harder world ({@code PeterAndTheWolfEnergy-v0}): the tutorial's second
 * game on {@link GridWorld}'s kind of board (meadow, water, trees, apples, one wolf). Here the wolf
 * is the goal, and Peter must arrive strong enough to beat it.
 *
 * <p>The board is one fixed board, {@link GridWorld}'s board for seed {@link #BOARD_SEED}, as the
 * tutorial plays all its games on one board; the reset seed picks Peter's start, a random meadow
 * cell (the tutorial's random start). Peter starts with energy {@value #FULL_ENERGY} and fatigue 0.
 * Each step, in this order:
 * <ol>
 *   <li>the step costs 1 energy (never below 0) and adds 1 fatigue, whether or not Peter gets anywhere;
 *   <li>Peter moves up/down/left/right (actions 0..3); the edge of the board leaves him where he is,
 *       and a tree too, where he sits down and rests: his fatigue drops to 0;
 *   <li>on an apple he eats: his energy is back to {@value #FULL_ENERGY} (the apple stays, so the
 *       game stays the same at every visit);
 *   <li>in water he drowns: reward −100, the episode terminates ("drowned");
 *   <li>on the wolf they fight: if energy &gt; fatigue Peter wins (+100, "won"), else he loses
 *       (−100, "lost"); either way the episode terminates;
 *   <li>otherwise the reward is energy − fatigue.
 * </ol>
 * The episode is truncated after {@value #MAX_EPISODE_STEPS} steps. A terminating step's info says
 * how it ended: {@code {"outcome": "won"|"lost"|"drowned"}}.
 *
 * <p>The observation is a Dict: {@code "board"} and {@code "position"} as {@link GridWorld}'s (so
 * the grid scene draws it), and {@code "energy"} and {@code "fatigue"}, each a uint8 Box of shape
 * [1] (energy 0..10, fatigue 0..100).
 */
public final class EnergyGridWorld implements Env<Map<String, Object>, Integer> {
  public static final String ID = "PeterAndTheWolfEnergy-v0";
  /** The seed of {@link GridWorld}'s board generator that makes the one board. */
  public static final long BOARD_SEED = 12;
  public static final int SIZE = GridWorld.SIZE;
  public static final int MAX_EPISODE_STEPS = 100;
  public static final int FULL_ENERGY = 10;
  public static final double WIN_REWARD = 100;
  public static final double LOSS_REWARD = -100;

  private static final byte[] BOARD = GridWorld.generate(new SplittableRandom(BOARD_SEED));

  private static final Dict OBSERVATION_SPACE = new Dict(Map.of(
      "board", Box.of(DType.UINT8, 0, 4, SIZE, SIZE),
      "position", new MultiDiscrete(SIZE, SIZE),
      "energy", Box.of(DType.UINT8, 0, FULL_ENERGY, 1),
      "fatigue", Box.of(DType.UINT8, 0, MAX_EPISODE_STEPS, 1)));
  private static final Discrete ACTION_SPACE = new Discrete(4).withLabels("up", "down", "left", "right");

  private SplittableRandom rng = new SplittableRandom();
  private boolean started;
  private int row;
  private int col;
  private int energy;
  private int fatigue;
  private int elapsedSteps;
  private boolean done;

  /** The board every episode is played on (row-major tile codes as {@link GridWorld}'s). */
  public static byte[] board() {
    return BOARD.clone();
  }

  @Override
  public Reset<Map<String, Object>> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    if (options != null && !options.isEmpty()) {
      throw new IllegalArgumentException(ID + " takes no reset options, got " + options.keySet());
    }
    int cell;
    do {
      cell = rng.nextInt(SIZE * SIZE);
    } while (BOARD[cell] != GridWorld.EMPTY);
    row = cell / SIZE;
    col = cell % SIZE;
    energy = FULL_ENERGY;
    fatigue = 0;
    elapsedSteps = 0;
    done = false;
    started = true;
    return new Reset<>(observation());
  }

  @Override
  public Step<Map<String, Object>> step(Integer action) {
    if (!started) {
      throw new IllegalStateException(ID + ": step() called before reset()");
    }
    if (done) {
      throw new IllegalStateException(ID + ": the episode is over after " + elapsedSteps
          + " steps; call reset() before stepping again");
    }
    String why = ACTION_SPACE.mismatch(action);
    if (why != null) {
      throw new IllegalArgumentException(ID + ": invalid action: " + why + " (0 up, 1 down, 2 left, 3 right)");
    }
    energy = Math.max(0, energy - 1);
    fatigue++;
    int r = row + GridWorld.MOVES[action][0];
    int c = col + GridWorld.MOVES[action][1];
    if (r >= 0 && r < SIZE && c >= 0 && c < SIZE) {
      if (BOARD[r * SIZE + c] == GridWorld.TREE) {
        fatigue = 0;
      } else {
        row = r;
        col = c;
      }
    }
    elapsedSteps++;
    byte tile = BOARD[row * SIZE + col];
    if (tile == GridWorld.APPLE) {
      energy = FULL_ENERGY;
    }
    String outcome = switch (tile) {
      case GridWorld.WATER_TILE -> "drowned";
      case GridWorld.WOLF -> energy > fatigue ? "won" : "lost";
      default -> null;
    };
    boolean terminated = outcome != null;
    boolean truncated = elapsedSteps >= MAX_EPISODE_STEPS;
    done = terminated || truncated;
    double reward = !terminated ? energy - fatigue : outcome.equals("won") ? WIN_REWARD : LOSS_REWARD;
    Map<String, Object> info = terminated ? Map.of("outcome", outcome) : Map.of();
    return new Step<>(observation(), reward, terminated, truncated, info);
  }

  private Map<String, Object> observation() {
    Map<String, Object> obs = new LinkedHashMap<>();
    obs.put("board", BOARD.clone());
    obs.put("position", new long[] {row, col});
    obs.put("energy", new byte[] {(byte) energy});
    obs.put("fatigue", new byte[] {(byte) fatigue});
    return obs;
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
    return Map.of("render_fps", 4);
  }
}
