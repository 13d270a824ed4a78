package dev.rld.samples.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Step;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridWorldTest {
  private static final int UP = GridWorld.UP;
  private static final int DOWN = GridWorld.DOWN;
  private static final int LEFT = GridWorld.LEFT;
  private static final int RIGHT = GridWorld.RIGHT;

  /** An env on an empty board with the given tiles at (row, col). */
  private static GridWorld envWith(int[][] tiles) {
    GridWorld env = new GridWorld();
    env.reset(1L);
    byte[] board = new byte[64];
    for (int[] t : tiles) {
      board[t[0] * 8 + t[1]] = (byte) t[2];
    }
    env.setBoard(board);
    return env;
  }

  private static long[] position(Step<Map<String, Object>> step) {
    return (long[]) step.observation().get("position");
  }

  @Test
  void movesInTheFourDirections() {
    GridWorld env = envWith(new int[][] {{7, 7, GridWorld.APPLE}});
    Step<Map<String, Object>> s = env.step(DOWN);
    assertArrayEquals(new long[] {1, 0}, position(s));
    assertEquals(-0.01, s.reward(), 1e-12);
    assertFalse(s.terminated());
    assertFalse(s.truncated());
    assertTrue(s.info().isEmpty());
    assertArrayEquals(new long[] {1, 1}, position(env.step(RIGHT)));
    assertArrayEquals(new long[] {0, 1}, position(env.step(UP)));
    assertArrayEquals(new long[] {0, 0}, position(env.step(LEFT)));
  }

  @Test
  void treesAndEdgesBlock() {
    GridWorld env = envWith(new int[][] {{0, 1, GridWorld.TREE}, {7, 7, GridWorld.APPLE}});
    assertArrayEquals(new long[] {0, 0}, position(env.step(UP)));
    assertArrayEquals(new long[] {0, 0}, position(env.step(LEFT)));
    Step<Map<String, Object>> s = env.step(RIGHT);
    assertArrayEquals(new long[] {0, 0}, position(s));
    assertEquals(-0.01, s.reward(), 1e-12);
    assertFalse(s.done());
  }

  @Test
  void reachingAnAppleWins() {
    GridWorld env = envWith(new int[][] {{0, 1, GridWorld.APPLE}});
    Step<Map<String, Object>> s = env.step(RIGHT);
    assertEquals(1.0, s.reward());
    assertTrue(s.terminated());
    assertFalse(s.truncated());
    assertEquals(Map.of("outcome", "won"), s.info());
    assertThrows(IllegalStateException.class, () -> env.step(LEFT));
  }

  @Test
  void theWolfEats() {
    GridWorld env = envWith(new int[][] {{1, 0, GridWorld.WOLF}, {7, 7, GridWorld.APPLE}});
    Step<Map<String, Object>> s = env.step(DOWN);
    assertEquals(-1.0, s.reward());
    assertTrue(s.terminated());
    assertEquals(Map.of("outcome", "eaten"), s.info());
  }

  @Test
  void waterDrowns() {
    GridWorld env = envWith(new int[][] {{0, 1, GridWorld.WATER_TILE}, {7, 7, GridWorld.APPLE}});
    Step<Map<String, Object>> s = env.step(RIGHT);
    assertEquals(-1.0, s.reward());
    assertTrue(s.terminated());
    assertEquals(Map.of("outcome", "drowned"), s.info());
  }

  @Test
  void truncatesAfter100Steps() {
    GridWorld env = envWith(new int[][] {{7, 7, GridWorld.APPLE}});
    for (int i = 1; i < 100; i++) {
      Step<Map<String, Object>> s = env.step(UP);
      assertFalse(s.done(), "step " + i);
    }
    Step<Map<String, Object>> last = env.step(UP);
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertTrue(last.info().isEmpty());
    assertThrows(IllegalStateException.class, () -> env.step(UP));
  }

  @Test
  void boardsAreReproduciblePerSeedAndWellFormed() {
    GridWorld a = new GridWorld();
    GridWorld b = new GridWorld();
    int differing = 0;
    byte[] previous = null;
    for (long seed = 0; seed < 200; seed++) {
      Map<String, Object> oa = a.reset(seed).observation();
      Map<String, Object> ob = b.reset(seed).observation();
      byte[] board = (byte[]) oa.get("board");
      assertArrayEquals(board, (byte[]) ob.get("board"), "seed " + seed);
      assertArrayEquals(new long[] {0, 0}, (long[]) oa.get("position"));
      assertEquals(GridWorld.EMPTY, board[0], "the start cell is free");
      int[] counts = new int[5];
      for (byte t : board) {
        counts[t]++;
      }
      assertArrayEquals(new int[] {64 - 15, GridWorld.WATER, GridWorld.TREES, GridWorld.APPLES, GridWorld.WOLVES},
          counts, "seed " + seed);
      assertTrue(GridWorld.appleReachable(board, 0), "seed " + seed);
      assertNull(a.observationSpace().mismatch(oa));
      if (previous != null && !java.util.Arrays.equals(previous, board)) {
        differing++;
      }
      previous = board;
    }
    assertTrue(differing > 190, "boards vary with the seed");
  }

  @Test
  void observationsStayInTheSpace() {
    GridWorld env = new GridWorld();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (long seed = 0; seed < 30; seed++) {
      Map<String, Object> obs = env.reset(seed).observation();
      assertNull(env.observationSpace().mismatch(obs));
      Step<Map<String, Object>> s;
      do {
        s = env.step(rng.nextInt(4));
        assertNull(env.observationSpace().mismatch(s.observation()));
      } while (!s.done());
    }
    assertThrows(IllegalArgumentException.class, () -> {
      env.reset(1L);
      env.step(4);
    });
    assertEquals("PeterAndTheWolf-v0", Envs.make("PeterAndTheWolf-v0").id());
  }
}
