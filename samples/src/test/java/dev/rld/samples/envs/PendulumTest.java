package dev.rld.samples.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PendulumTest {
  /** float32 observations of float64 values within ±8 differ from them by < 5e-7. */
  private static final double TOLERANCE = 1e-6;
  /** Rewards are float64 on both sides; only sin/cos rounding may differ. */
  private static final double REWARD_TOLERANCE = 1e-9;

  /** One row of pendulum_reference.csv: the state after {@code torque} was applied at step-1. */
  record Row(int step, Double torque, double theta, double thetaDot, Double reward) {}

  static Map<String, List<Row>> reference() throws IOException {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    try (InputStream in = PendulumTest.class.getResourceAsStream("/pendulum_reference.csv")) {
      assertNotNull(in, "pendulum_reference.csv is missing from the test resources");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertEquals("trajectory,step,torque,theta,theta_dot,reward", reader.readLine());
      for (String line; (line = reader.readLine()) != null; ) {
        String[] f = line.split(",", -1);
        out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Row(Integer.parseInt(f[1]),
            f[2].isEmpty() ? null : Double.valueOf(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]), f[5].isEmpty() ? null : Double.valueOf(f[5])));
      }
    }
    return out;
  }

  @Test
  void followsGymnasiumsEquationsStepForStep() throws IOException {
    Map<String, List<Row>> trajectories = reference();
    assertEquals(List.of("mixed", "spin", "spin_back"), List.copyOf(trajectories.keySet()));
    boolean sawClippedTorque = false;
    boolean sawClippedSpeed = false;
    for (var entry : trajectories.entrySet()) {
      List<Row> rows = entry.getValue();
      Pendulum env = new Pendulum();
      Row first = rows.get(0);
      float[] obs = env.reset(null, Map.of("state", List.of(first.theta(), first.thetaDot()))).observation();
      assertClose(first, obs, entry.getKey() + " step 0");
      for (Row row : rows.subList(1, rows.size())) {
        float torque = (float) (double) row.torque();
        assertEquals(row.torque(), torque, 0.0, "the script's torques are exact float32 values");
        Step<float[]> step = env.step(new float[] {torque});
        String where = entry.getKey() + " step " + row.step();
        assertClose(row, step.observation(), where);
        assertEquals(row.reward(), step.reward(), REWARD_TOLERANCE, where);
        assertFalse(step.terminated(), where);
        assertFalse(step.truncated(), where);
        sawClippedTorque |= Math.abs(torque) > Pendulum.MAX_TORQUE;
        sawClippedSpeed |= Math.abs(row.thetaDot()) == Pendulum.MAX_SPEED;
      }
    }
    assertTrue(sawClippedTorque && sawClippedSpeed, "the reference exercises both clips");
  }

  private static void assertClose(Row expected, float[] actual, String where) {
    double[] e = {Math.cos(expected.theta()), Math.sin(expected.theta()), expected.thetaDot()};
    assertEquals(3, actual.length, where);
    for (int i = 0; i < 3; i++) {
      if (Math.abs(e[i] - actual[i]) > TOLERANCE) {
        fail(where + ", element " + i + ": expected " + e[i] + " but got " + actual[i]
            + " (observation " + Arrays.toString(actual) + ")");
      }
    }
  }

  @Test
  void angleNormalizeMatchesPythonsModulo() {
    // Values from Python: ((x + math.pi) % (2 * math.pi)) - math.pi
    assertEquals(0.0, Pendulum.angleNormalize(0.0));
    assertEquals(-Math.PI, Pendulum.angleNormalize(Math.PI), "π wraps to -π as in Python");
    assertEquals(-Math.PI, Pendulum.angleNormalize(-Math.PI));
    assertEquals(-0.28318530717958623, Pendulum.angleNormalize(6.0), 1e-15);
    assertEquals(0.28318530717958623, Pendulum.angleNormalize(-6.0), 1e-15);
    assertEquals(2.8495559215387587, Pendulum.angleNormalize(-16.0), 1e-14);
  }

  @Test
  void rewardPenalisesAngleSpeedAndClippedTorque() {
    Pendulum env = new Pendulum();
    env.reset(null, Map.of("state", new double[] {0, 0}));
    assertEquals(-0.001 * 4, env.step(new float[] {5f}).reward(), 1e-15, "torque 5 is clipped to 2");
    env.reset(null, Map.of("state", new double[] {Math.PI, 1}));
    assertEquals(-(Math.PI * Math.PI + 0.1), env.step(new float[] {0f}).reward(), 1e-12);
  }

  @Test
  void neverTerminatesAndTruncatesAtStep200() {
    Pendulum env = new Pendulum();
    env.reset(3);
    SplittableRandom rng = new SplittableRandom(1);
    for (int t = 1; t < Pendulum.MAX_EPISODE_STEPS; t++) {
      Step<float[]> step = env.step(new float[] {(float) rng.nextDouble(-2, 2)});
      assertFalse(step.terminated() || step.truncated(), "ended early at step " + t);
    }
    Step<float[]> last = env.step(new float[] {0f});
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f}));
    env.reset(4);
    assertFalse(env.step(new float[] {0f}).truncated(), "reset starts a fresh step count");
  }

  @Test
  void seedMakesTheInitialStateReproducible() {
    Pendulum a = new Pendulum();
    Pendulum b = new Pendulum();
    float[] first = a.reset(7).observation();
    assertArrayEquals(first, b.reset(7).observation());
    assertArrayEquals(first, a.reset(7).observation(), "re-seeding restarts the stream");
    assertFalse(Arrays.equals(first, a.reset(8).observation()));
    a.reset(7);
    b.reset(7);
    float[] next = a.reset().observation();
    assertArrayEquals(next, b.reset().observation());
    assertFalse(Arrays.equals(first, next));
    for (int t = 0; t < 5; t++) {
      float[] u = {t - 2f};
      assertArrayEquals(a.step(u).observation(), b.step(u).observation());
    }
    // θ̇ starts in [-1, 1]; θ anywhere, so cos θ takes both signs over many seeds.
    boolean below = false;
    boolean above = false;
    for (long seed = 0; seed < 200; seed++) {
      float[] obs = a.reset(seed).observation();
      assertTrue(Math.abs(obs[2]) <= 1f, "initial angular velocity " + obs[2]);
      below |= obs[0] < -0.5f;
      above |= obs[0] > 0.5f;
    }
    assertTrue(below && above);
  }

  @Test
  void observationsStayInTheObservationSpace() {
    Pendulum env = new Pendulum();
    SplittableRandom rng = new SplittableRandom(42);
    for (int episode = 0; episode < 20; episode++) {
      float[] obs = env.reset(episode).observation();
      assertNull(env.observationSpace().mismatch(obs));
      Step<float[]> step;
      do {
        // Mostly full torque one way, so the speed reaches its ±8 clip.
        float u = (float) (episode % 2 == 0 ? 3 : -3) * (rng.nextInt(10) == 0 ? -1 : 1);
        step = env.step(new float[] {u});
        String why = env.observationSpace().mismatch(step.observation());
        assertNull(why, "episode " + episode + ": " + why);
      } while (!step.done());
    }
  }

  @Test
  void spacesAndMetadataAreGymnasiums() {
    Pendulum env = new Pendulum();
    assertEquals("Pendulum-v1", env.id());
    Box action = (Box) env.actionSpace();
    assertEquals(DType.FLOAT32, action.dtype());
    assertArrayEquals(new int[] {1}, action.shape());
    assertArrayEquals(new double[] {-2}, action.low());
    assertArrayEquals(new double[] {2}, action.high());
    assertEquals(List.of("torque"), action.labels());
    assertEquals(List.of("N·m"), action.units());
    Box box = (Box) env.observationSpace();
    assertEquals(DType.FLOAT32, box.dtype());
    assertArrayEquals(new int[] {3}, box.shape());
    assertArrayEquals(new double[] {1, 1, 8}, box.high());
    assertArrayEquals(new double[] {-1, -1, -8}, box.low());
    assertEquals(List.of("cos θ", "sin θ", "angular velocity"), box.labels());
    assertEquals(List.of("", "", "rad/s"), box.units());
    assertEquals(30, env.metadata().get("render_fps"));
  }

  @Test
  void rejectsInvalidActionsAndMisuse() {
    Pendulum env = new Pendulum();
    var early = assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f}));
    assertTrue(early.getMessage().contains("before reset()"), early.getMessage());
    env.reset(1);
    for (float[] bad : new float[][] {null, {}, {1f, 2f}, {Float.NaN}}) {
      var e = assertThrows(IllegalArgumentException.class, () -> env.step(bad), Arrays.toString(bad));
      assertTrue(e.getMessage().contains("invalid action"), e.getMessage());
    }
    assertFalse(env.step(new float[] {Float.POSITIVE_INFINITY}).done(), "infinite torque is clipped");
    var shortState = assertThrows(IllegalArgumentException.class,
        () -> env.reset(null, Map.of("state", new double[] {0})));
    assertTrue(shortState.getMessage().contains("2 numbers"), shortState.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class, () -> env.reset(null, Map.of("g", 9.8)));
    assertTrue(unknown.getMessage().contains("g"), unknown.getMessage());
  }
}
