package dev.rld.samples.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatchTest {
  private static final int PIXELS = Catch.SIZE * Catch.SIZE;

  private static Map<String, Object> state(int ballX, int ballVx, int paddleX) {
    return Map.of("state", List.of(ballX, ballVx, paddleX));
  }

  /** Grey level of pixel (row, col) of frame {@code k} (0 previous, 1 current) of an observation. */
  private static int pixel(byte[] obs, int k, int row, int col) {
    return obs[k * PIXELS + row * Catch.SIZE + col] & 0xFF;
  }

  @Test
  void matchesThePythonTranscriptionPixelForPixel() throws IOException, NoSuchAlgorithmException {
    JsonNode reference;
    try (InputStream in = CatchTest.class.getResourceAsStream("/catch_reference.json")) {
      assertNotNull(in, "catch_reference.json is missing from the test resources");
      reference = new ObjectMapper().readTree(in);
    }
    JsonNode episodes = reference.get("episodes");
    assertEquals(8, episodes.size());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int caught = 0;
    byte[] firstLast = null;
    for (JsonNode e : episodes) {
      String name = e.get("name").asText();
      JsonNode s = e.get("state");
      Catch env = new Catch();
      Reset<byte[]> reset = env.reset(null, state(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt()));
      JsonNode rows = e.get("rows");
      assertEquals(Catch.EPISODE_STEPS + 1, rows.size(), name);
      assertInfo(rows.get(0).get("info"), reset.info(), name + " reset");
      assertEquals(rows.get(0).get("sha256").asText(), HexFormat.of().formatHex(sha.digest(reset.observation())),
          name + " reset: the pixels differ");
      byte[] last = null;
      Object outcome = null;
      for (int t = 0; t < e.get("actions").size(); t++) {
        String where = name + " step " + (t + 1);
        Step<byte[]> step = env.step(e.get("actions").get(t).asInt());
        JsonNode row = rows.get(t + 1);
        assertInfo(row.get("info"), step.info(), where);
        assertEquals(row.get("reward").asDouble(), step.reward(), where);
        assertEquals(row.get("terminated").asBoolean(), step.terminated(), where);
        assertFalse(step.truncated(), where);
        assertEquals(row.get("sha256").asText(), HexFormat.of().formatHex(sha.digest(step.observation())),
            where + ": the pixels differ");
        last = step.observation();
        outcome = step.info().get("outcome");
      }
      caught += "caught".equals(outcome) ? 1 : 0;
      if (firstLast == null) {
        firstLast = last;
      }
    }
    assertEquals(3, caught, "the reference episodes: 3 caught, 5 missed");
    assertArrayEquals(HexFormat.of().parseHex(reference.get("first_episode_last_observation_hex").asText()), firstLast);
  }

  private static void assertInfo(JsonNode expected, Map<String, Object> actual, String where) {
    Map<String, Object> e = new HashMap<>();
    expected.fields().forEachRemaining(f -> e.put(f.getKey(), f.getValue().isInt() ? f.getValue().asInt() : f.getValue().asText()));
    assertEquals(e, actual, where);
  }

  @Test
  void spacesAndMetadata() {
    Catch env = new Catch();
    assertEquals(Box.of(DType.UINT8, 0, 255, 2, 84, 84), env.observationSpace());
    assertEquals(new Discrete(3).withLabels("stay", "left", "right"), env.actionSpace());
    assertEquals("Catch-v0", env.id());
    assertEquals(List.of("stay", "left", "right"), env.metadata().get("action_meanings"));
    assertEquals(37, Catch.EPISODE_STEPS);
    assertTrue(Envs.make("Catch-v0") instanceof Catch);
  }

  @Test
  void resetDrawsTheBallFromTheSeedAndStacksTheFirstFrameTwice() {
    Catch env = new Catch();
    Reset<byte[]> a = env.reset(5L);
    Reset<byte[]> b = new Catch().reset(5L);
    assertArrayEquals(a.observation(), b.observation());
    assertEquals(a.info(), b.info());
    assertEquals(2 * PIXELS, a.observation().length);
    for (int i = 0; i < PIXELS; i++) {
      assertEquals(a.observation()[i], a.observation()[PIXELS + i], "both frames are the first one");
    }
    int ballX = (Integer) a.info().get("ball_x");
    assertEquals(0, a.info().get("ball_y"));
    assertEquals(Catch.PADDLE_START, a.info().get("paddle_x"));
    // The ball: a 4x4 square of 255 at the top; the paddle: 12x3 of 200 at row 78.
    for (int r = 0; r < Catch.BALL; r++) {
      for (int c = ballX; c < ballX + Catch.BALL; c++) {
        assertEquals(255, pixel(a.observation(), 1, r, c));
      }
    }
    assertEquals(200, pixel(a.observation(), 1, 78, 36));
    assertEquals(200, pixel(a.observation(), 1, 80, 47));
    assertEquals(Catch.background(81, 36), pixel(a.observation(), 1, 81, 36));
    assertEquals(Catch.background(77, 48), pixel(a.observation(), 1, 77, 48));
    // Seeds give different balls, all columns and velocities in range.
    java.util.Set<List<Object>> starts = new java.util.HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      Map<String, Object> info = env.reset(seed).info();
      int x = (Integer) info.get("ball_x");
      int vx = (Integer) info.get("ball_vx");
      assertTrue(x >= 0 && x <= 80 && Math.abs(vx) <= 3, info.toString());
      starts.add(List.of(x, vx));
    }
    assertTrue(starts.size() > 150, starts.size() + " different starts in 200 seeds");
  }

  @Test
  void theBackgroundIsAGreyCheckerboardNotBlack() {
    byte[] obs = new Catch().reset(null, state(40, 0, 36)).observation();
    // 7x7 squares: rows 14..20 and 21..27: (20, 0) and (27, 7) dark, (20, 7) and (27, 6) light.
    assertEquals(40, pixel(obs, 0, 20, 0));
    assertEquals(60, pixel(obs, 0, 20, 7));
    assertEquals(40, pixel(obs, 0, 27, 7));
    assertEquals(60, pixel(obs, 0, 27, 6));
    int zeros = 0;
    for (byte b : obs) {
      zeros += b == 0 ? 1 : 0;
    }
    assertEquals(0, zeros, "no pixel is black");
  }

  @Test
  void theBallFallsTwoRowsAStepAndBouncesOffTheWalls() {
    Catch env = new Catch();
    env.reset(null, state(1, -3, 36));
    Step<byte[]> s = env.step(Catch.STAY);
    assertEquals(Map.of("ball_x", 2, "ball_y", 2, "ball_vx", 3, "paddle_x", 36), s.info(), "1 - 3 = -2 reflects to 2");
    // The previous frame has the ball at (0, 1), the current one at (2, 2).
    assertEquals(255, pixel(s.observation(), 0, 0, 1));
    assertEquals(Catch.background(0, 1), pixel(s.observation(), 1, 0, 1));
    assertEquals(255, pixel(s.observation(), 1, 2, 2));
    env.reset(null, state(79, 3, 36));
    assertEquals(Map.of("ball_x", 78, "ball_y", 2, "ball_vx", -3, "paddle_x", 36), env.step(Catch.STAY).info(),
        "79 + 3 = 82 reflects to 78");
    env.reset(null, state(77, 3, 36));
    assertEquals(80, env.step(Catch.STAY).info().get("ball_x"), "touching the wall is no bounce yet");
  }

  @Test
  void thePaddleMovesTwoPixelsAndStopsAtTheWalls() {
    Catch env = new Catch();
    env.reset(null, state(40, 0, 1));
    assertEquals(0, env.step(Catch.LEFT).info().get("paddle_x"));
    assertEquals(0, env.step(Catch.LEFT).info().get("paddle_x"));
    assertEquals(2, env.step(Catch.RIGHT).info().get("paddle_x"));
    assertEquals(2, env.step(Catch.STAY).info().get("paddle_x"));
    env.reset(null, state(40, 0, 71));
    assertEquals(72, env.step(Catch.RIGHT).info().get("paddle_x"));
    assertEquals(72, env.step(Catch.RIGHT).info().get("paddle_x"));
  }

  @Test
  void theEpisodeEndsWhenTheBallReachesThePaddlesRow() {
    Catch env = new Catch();
    env.reset(null, state(30, 0, 36));
    for (int t = 1; t < Catch.EPISODE_STEPS; t++) {
      Step<byte[]> s = env.step(Catch.STAY);
      assertFalse(s.done(), "step " + t);
      assertEquals(0.0, s.reward());
      assertFalse(s.info().containsKey("outcome"));
    }
    Step<byte[]> last = env.step(Catch.STAY);
    assertTrue(last.terminated());
    assertFalse(last.truncated());
    assertEquals(-1.0, last.reward());
    assertEquals("missed", last.info().get("outcome"));
    assertEquals(74, last.info().get("ball_y"));
    assertEquals(255, pixel(last.observation(), 1, 77, 30), "the ball rests on the row above the paddle");
    assertThrows(IllegalStateException.class, () -> env.step(Catch.STAY));
    // Columns 33..35 overlap a paddle at 36..47 by one pixel at least: caught.
    assertTrue(Catch.caught(33, 36));
    assertFalse(Catch.caught(32, 36));
    assertTrue(Catch.caught(47, 36));
    assertFalse(Catch.caught(48, 36));
    env.reset(null, state(33, 0, 36));
    Step<byte[]> s;
    do {
      s = env.step(Catch.STAY);
    } while (!s.done());
    assertEquals(1.0, s.reward());
    assertEquals("caught", s.info().get("outcome"));
  }

  @Test
  void aPlayerWhoKnowsWhereTheBallLandsCatchesEveryBall() {
    // Every start column and velocity, with the paddle in the middle: the env is always winnable.
    Catch env = new Catch();
    for (int x = 0; x <= Catch.MAX_BALL_X; x++) {
      for (int vx = -Catch.MAX_VX; vx <= Catch.MAX_VX; vx++) {
        Map<String, Object> info = env.reset(null, state(x, vx, Catch.PADDLE_START)).info();
        Step<byte[]> s;
        do {
          s = env.step(expert(info));
          info = s.info();
        } while (!s.done());
        assertEquals("caught", info.get("outcome"), "x " + x + ", vx " + vx);
      }
    }
  }

  /** Moves toward the landing column, computed by playing the ball forward (catch_sim.expert). */
  private static int expert(Map<String, Object> info) {
    int x = (Integer) info.get("ball_x");
    int vx = (Integer) info.get("ball_vx");
    for (int y = (Integer) info.get("ball_y"); y < Catch.LANDING_Y; y += Catch.FALL) {
      x += vx;
      if (x < 0) {
        x = -x;
        vx = -vx;
      } else if (x > Catch.MAX_BALL_X) {
        x = 2 * Catch.MAX_BALL_X - x;
        vx = -vx;
      }
    }
    // In half pixels: ball centre minus paddle centre.
    int offset = (2 * x + Catch.BALL) - (2 * (Integer) info.get("paddle_x") + Catch.PADDLE_WIDTH);
    return offset >= 2 * Catch.PADDLE_SPEED ? Catch.RIGHT : offset <= -2 * Catch.PADDLE_SPEED ? Catch.LEFT : Catch.STAY;
  }

  @Test
  void badActionsAndStatesAreRefused() {
    Catch env = new Catch();
    assertThrows(IllegalStateException.class, () -> env.step(0));
    env.reset(1L);
    var e = assertThrows(IllegalArgumentException.class, () -> env.step(3));
    assertTrue(e.getMessage().contains("0 stay, 1 left, 2 right"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> env.reset(null, state(81, 0, 36)));
    assertThrows(IllegalArgumentException.class, () -> env.reset(null, state(0, 4, 36)));
    assertThrows(IllegalArgumentException.class, () -> env.reset(null, state(0, 0, 73)));
    assertThrows(IllegalArgumentException.class, () -> env.reset(null, Map.of("state", List.of(1, 2))));
    assertThrows(IllegalArgumentException.class, () -> env.reset(null, Map.of("speed", 3)));
    assertNotEquals(null, env.reset(null, Map.of("state", new int[] {0, 0, 0})).observation());
  }
}
