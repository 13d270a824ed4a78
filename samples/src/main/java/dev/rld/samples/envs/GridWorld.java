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
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * "Peter and the wolf" ({@code PeterAndTheWolf-v0}): Peter walks an 8×8 board of meadow, water,
 * trees, apples and a wolf, starting in the top-left corner. Actions are 0 up, 1 down, 2 left,
 * 3 right; walking into a tree or off the board leaves him where he is. Reaching an apple earns
 * +1 and ends the episode ("won"); stepping into water or onto the wolf earns −1 and ends it
 * ("drowned" / "eaten"); every other step costs 0.01. The episode is truncated after 100 steps.
 * The info of a terminating step says how it ended: {@code {"outcome": "won"|"eaten"|"drowned"}}.
 *
 * <p>The board is drawn from the reset seed with a fixed number of each tile ({@link #WATER},
 * {@link #TREES}, {@link #APPLES}, one wolf); the start cell stays empty and boards without a
 * safe path from the start to an apple are redrawn. A reset without a seed draws the next board
 * from the current generator.
 *
 * <p>The observation is a Dict: {@code "board"}, a uint8 Box of shape [8, 8] with one code per
 * cell (0 empty, 1 water, 2 tree, 3 apple, 4 wolf, row-major), and {@code "position"}, Peter's
 * [row, column] as a MultiDiscrete [8, 8]; the board alone is enough to draw the scene.
 */
public final class GridWorld implements Env<Map<String, Object>, Integer> {
  public static final String ID = "PeterAndTheWolf-v0";
  public static final int SIZE = 8;
  public static final int MAX_EPISODE_STEPS = 100;
  public static final int WATER = 6;
  public static final int TREES = 6;
  public static final int APPLES = 2;
  public static final int WOLVES = 1;
  public static final double STEP_COST = 0.01;

  public static final byte EMPTY = 0;
  public static final byte WATER_TILE = 1;
  public static final byte TREE = 2;
  public static final byte APPLE = 3;
  public static final byte WOLF = 4;

  public static final int UP = 0;
  public static final int DOWN = 1;
  public static final int LEFT = 2;
  public static final int RIGHT = 3;
  /** Row and column change of each action. */
  static final int[][] MOVES = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};

  public static final int START_ROW = 0;
  public static final int START_COL = 0;

  private static final Dict OBSERVATION_SPACE = new Dict(Map.of(
      "board", Box.of(DType.UINT8, 0, 4, SIZE, SIZE),
      "position", new MultiDiscrete(SIZE, SIZE)));
  private static final Discrete ACTION_SPACE = new Discrete(4).withLabels("up", "down", "left", "right");

  private SplittableRandom rng = new SplittableRandom();
  /** Row-major tile codes; null before the first reset. */
  private byte[] board;
  private int row;
  private int col;
  private int elapsedSteps;
  private boolean done;

  @Override
  public Reset<Map<String, Object>> reset(Long seed, Map<String, Object> options) {
    if (seed != null) {
      rng = new SplittableRandom(seed);
    }
    if (options != null && !options.isEmpty()) {
      throw new IllegalArgumentException(ID + " takes no reset options, got " + options.keySet());
    }
    board = generate(rng);
    row = START_ROW;
    col = START_COL;
    elapsedSteps = 0;
    done = false;
    return new Reset<>(observation());
  }

  @Override
  public Step<Map<String, Object>> step(Integer action) {
    if (board == null) {
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
    int r = row + MOVES[action][0];
    int c = col + MOVES[action][1];
    if (r >= 0 && r < SIZE && c >= 0 && c < SIZE && board[r * SIZE + c] != TREE) {
      row = r;
      col = c;
    }
    elapsedSteps++;
    byte tile = board[row * SIZE + col];
    String outcome = switch (tile) {
      case APPLE -> "won";
      case WOLF -> "eaten";
      case WATER_TILE -> "drowned";
      default -> null;
    };
    boolean terminated = outcome != null;
    boolean truncated = elapsedSteps >= MAX_EPISODE_STEPS;
    done = terminated || truncated;
    double reward = !terminated ? -STEP_COST : tile == APPLE ? 1.0 : -1.0;
    Map<String, Object> info = terminated ? Map.of("outcome", outcome) : Map.of();
    return new Step<>(observation(), reward, terminated, truncated, info);
  }

  /** Replaces the board mid-episode (row-major codes), so tests can build situations by hand. */
  void setBoard(byte[] codes) {
    if (board == null) {
      throw new IllegalStateException("setBoard() needs an episode: call reset() first");
    }
    if (codes.length != SIZE * SIZE) {
      throw new IllegalArgumentException("a board has " + SIZE * SIZE + " cells, got " + codes.length);
    }
    board = codes.clone();
  }

  /** A random board with the fixed tile counts, an empty start and a safe path to an apple. */
  static byte[] generate(SplittableRandom rng) {
    while (true) {
      byte[] b = new byte[SIZE * SIZE];
      int[] cells = new int[SIZE * SIZE - 1];
      int start = START_ROW * SIZE + START_COL;
      for (int i = 0, k = 0; i < SIZE * SIZE; i++) {
        if (i != start) {
          cells[k++] = i;
        }
      }
      // Partial Fisher-Yates: the first n cells of the shuffle get the tiles.
      int n = WATER + TREES + APPLES + WOLVES;
      for (int i = 0; i < n; i++) {
        int j = i + rng.nextInt(cells.length - i);
        int t = cells[i];
        cells[i] = cells[j];
        cells[j] = t;
      }
      int k = 0;
      for (int i = 0; i < WATER; i++) b[cells[k++]] = WATER_TILE;
      for (int i = 0; i < TREES; i++) b[cells[k++]] = TREE;
      for (int i = 0; i < APPLES; i++) b[cells[k++]] = APPLE;
      for (int i = 0; i < WOLVES; i++) b[cells[k++]] = WOLF;
      if (appleReachable(b, start)) {
        return b;
      }
    }
  }

  /** Whether an apple can be reached from {@code start} through empty cells only. */
  static boolean appleReachable(byte[] b, int start) {
    boolean[] seen = new boolean[b.length];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    seen[start] = true;
    while (!queue.isEmpty()) {
      int cell = queue.poll();
      if (b[cell] == APPLE) {
        return true;
      }
      if (b[cell] != EMPTY) {
        continue;
      }
      int r = cell / SIZE;
      int c = cell % SIZE;
      for (int[] m : MOVES) {
        int nr = r + m[0];
        int nc = c + m[1];
        if (nr >= 0 && nr < SIZE && nc >= 0 && nc < SIZE && !seen[nr * SIZE + nc]) {
          seen[nr * SIZE + nc] = true;
          queue.add(nr * SIZE + nc);
        }
      }
    }
    return false;
  }

  private Map<String, Object> observation() {
    Map<String, Object> obs = new LinkedHashMap<>();
    obs.put("board", board.clone());
    obs.put("position", new long[] {row, col});
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
