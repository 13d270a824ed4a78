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
import dev.rld.space.Discrete;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CartPoleTest {
  /** float32 observations of float64 states within ±3 differ from them by < 2e-7. */
  private static final double TOLERANCE = 1e-6;

  /** One row of cartpole_reference.csv: the state after {@code action} was taken at step-1. */
  record Row(int step, Integer action, double[] state, Double reward, boolean terminated) {}

  static Map<String, List<Row>> reference() throws IOException {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    try (InputStream in = CartPoleTest.class.getResourceAsStream("/cartpole_reference.csv")) {
      assertNotNull(in, "cartpole_reference.csv is missing from the test resources");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertEquals("trajectory,step,action,x,x_dot,theta,theta_dot,reward,terminated", reader.readLine());
      for (String line; (line = reader.readLine()) != null; ) {
        String[] f = line.split(",", -1);
        double[] state = {
            Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])};
        out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Row(Integer.parseInt(f[1]),
            f[2].isEmpty() ? null : Integer.valueOf(f[2]), state,
            f[7].isEmpty() ? null : Double.valueOf(f[7]), Boolean.parseBoolean(f[8])));
      }
    }
    return out;
  }

  @Test
  void followsGymnasiumsEquationsStepForStep() throws IOException {
    Map<String, List<Row>> trajectories = reference();
    assertEquals(List.of("mixed", "right"), List.copyOf(trajectories.keySet()));
    assertEquals(31, trajectories.get("mixed").size(), "30 actions after the initial state");
    for (var entry : trajectories.entrySet()) {
      List<Row> rows = entry.getValue();
      CartPole env = new CartPole();
      float[] obs = env.reset(null, Map.of("state", rows.get(0).state())).observation();
      assertClose(rows.get(0).state(), obs, entry.getKey() + " step 0");
      for (Row row : rows.subList(1, rows.size())) {
        Step<float[]> step = env.step(row.action());
        String where = entry.getKey() + " step " + row.step();
        assertClose(row.state(), step.observation(), where);
        assertEquals(row.reward(), step.reward(), where);
        assertEquals(row.terminated(), step.terminated(), where);
        assertFalse(step.truncated(), where);
      }
    }
    // The always-push-right trajectory ends when the pole passes -12°, on the step Python says.
    List<Row> right = trajectories.get("right");
    assertTrue(right.get(right.size() - 1).terminated());
    assertEquals(9, right.size() - 1);
  }

  private static void assertClose(double[] expected, float[] actual, String where) {
    assertEquals(4, actual.length, where);
    for (int i = 0; i < 4; i++) {
      double e = expected[i];
      if (Math.abs(e - actual[i]) > TOLERANCE) {
        fail(where + ", element " + i + ": expected " + e + " but got " + actual[i]
            + " (observation " + Arrays.toString(actual) + ")");
      }
    }
  }

  @ParameterizedTest(name = "state [{0}, {1}, {2}, {3}] -> terminated={4}")
  @CsvSource({
      // x moves by tau * x_dot = 0.02 out of the track
      "2.39, 1.0, 0, 0, true",
      "-2.39, -1.0, 0, 0, true",
      // theta moves by tau * theta_dot = 0.02 past 12° (0.2094 rad)
      "0, 0, 0.2, 1.0, true",
      "0, 0, -0.2, -1.0, true",
      // exactly on the bounds is still inside: Gymnasium compares with < and >
      "2.4, 0, 0, 0, false",
      "-2.4, 0, 0, 0, false",
  })
  void terminatesWhenTheCartLeavesTheTrackOrThePoleFalls(double x, double xDot, double theta,
      double thetaDot, boolean terminated) {
    CartPole env = new CartPole();
    env.reset(null, Map.of("state", new double[] {x, xDot, theta, thetaDot}));
    Step<float[]> step = env.step(0);
    assertEquals(terminated, step.terminated());
    assertFalse(step.truncated());
    assertEquals(1.0, step.reward(), "every step earns 1.0, the one that ends the episode too");
    if (terminated) {
      var e = assertThrows(IllegalStateException.class, () -> env.step(1));
      assertTrue(e.getMessage().contains("reset()"), e.getMessage());
    } else {
      assertEquals((float) x, step.observation()[0]);
    }
  }

  @Test
  void poleExactlyAtTwelveDegreesIsNotTerminal() {
    CartPole env = new CartPole();
    env.reset(null, Map.of("state", List.of(0, 0, CartPole.THETA_THRESHOLD_RADIANS, 0)));
    // theta_dot is 0 before the step, so the Euler update leaves theta where it is.
    assertFalse(env.step(1).terminated());
  }

  /** A linear controller that keeps the pole up and the cart near the centre for 500 steps. */
  private static int balance(float[] s) {
    return s[0] + s[1] + 10 * s[2] + 2 * s[3] > 0 ? 1 : 0;
  }

  @Test
  void truncatesAtStep500() {
    CartPole env = new CartPole();
    float[] obs = env.reset(3).observation();
    for (int t = 1; t < CartPole.MAX_EPISODE_STEPS; t++) {
      Step<float[]> step = env.step(balance(obs));
      assertFalse(step.terminated() || step.truncated(), "ended early at step " + t);
      obs = step.observation();
    }
    Step<float[]> last = env.step(balance(obs));
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertEquals(1.0, last.reward());
    assertThrows(IllegalStateException.class, () -> env.step(0));
    // reset starts a new episode with a fresh step count
    env.reset(4);
    assertFalse(env.step(0).truncated());
  }

  @Test
  void step500CanBeBothTerminatedAndTruncated() {
    CartPole env = new CartPole();
    float[] obs = env.reset(3).observation();
    for (int t = 1; t < CartPole.MAX_EPISODE_STEPS; t++) {
      obs = env.step(balance(obs)).observation();
    }
    env.setState(2.39, 1.0, 0, 0);
    Step<float[]> last = env.step(1);
    assertTrue(last.terminated());
    assertTrue(last.truncated(), "Gymnasium's TimeLimit truncates regardless of termination");
  }

  @Test
  void seedMakesTheInitialStateReproducible() {
    CartPole a = new CartPole();
    CartPole b = new CartPole();
    float[] first = a.reset(7).observation();
    assertArrayEquals(first, b.reset(7).observation());
    assertArrayEquals(first, a.reset(7).observation(), "re-seeding restarts the stream");
    assertFalse(Arrays.equals(first, a.reset(8).observation()));
    for (float v : first) {
      assertTrue(v >= -0.05f && v < 0.05f, "initial state element " + v + " outside [-0.05, 0.05)");
    }
    // Without a seed, reset continues the generator: same sequence after the same seed.
    a.reset(7);
    b.reset(7);
    float[] next = a.reset().observation();
    assertArrayEquals(next, b.reset().observation());
    assertFalse(Arrays.equals(first, next));
    // The episode that follows is deterministic too.
    for (int t = 0; t < 5; t++) {
      assertArrayEquals(a.step(t % 2).observation(), b.step(t % 2).observation());
    }
  }

  @Test
  void observationsStayInTheObservationSpace() {
    CartPole env = new CartPole();
    SplittableRandom rng = new SplittableRandom(42);
    int terminalsChecked = 0;
    for (int episode = 0; episode < 50; episode++) {
      float[] obs = env.reset(episode).observation();
      assertNull(env.observationSpace().mismatch(obs));
      Step<float[]> step;
      do {
        step = env.step(rng.nextInt(2));
        String why = env.observationSpace().mismatch(step.observation());
        assertNull(why, "episode " + episode + ": " + why);
      } while (!step.done());
      terminalsChecked += step.terminated() ? 1 : 0;
    }
    assertEquals(50, terminalsChecked, "random play lets the pole fall in every episode");
  }

  @Test
  void spacesAndMetadataAreGymnasiums() {
    CartPole env = new CartPole();
    assertEquals("CartPole-v1", env.id());
    assertEquals(new Discrete(2).withLabels("push left", "push right"), env.actionSpace());
    Box box = (Box) env.observationSpace();
    assertArrayEquals(new int[] {4}, box.shape());
    double theta2 = 12 * 2 * Math.PI / 360 * 2;
    assertArrayEquals(new double[] {(float) 4.8, Double.POSITIVE_INFINITY, (float) theta2,
        Double.POSITIVE_INFINITY}, box.high());
    assertArrayEquals(new double[] {-(float) 4.8, Double.NEGATIVE_INFINITY, -(float) theta2,
        Double.NEGATIVE_INFINITY}, box.low());
    assertEquals(List.of("cart position", "cart velocity", "pole angle", "pole angular velocity"), box.labels());
    assertEquals(List.of("m", "m/s", "rad", "rad/s"), box.units());
    assertEquals(50, env.metadata().get("render_fps"));
  }

  @Test
  void rejectsInvalidActionsAndMisuse() {
    CartPole env = new CartPole();
    var early = assertThrows(IllegalStateException.class, () -> env.step(0));
    assertTrue(early.getMessage().contains("before reset()"), early.getMessage());
    env.reset(1);
    for (Integer bad : new Integer[] {2, -1, null}) {
      var e = assertThrows(IllegalArgumentException.class, () -> env.step(bad), "action " + bad);
      assertTrue(e.getMessage().contains("invalid action"), e.getMessage());
    }
    // A rejected action does not advance the episode.
    assertFalse(env.step(1).done());
    var shortState = assertThrows(IllegalArgumentException.class,
        () -> env.reset(null, Map.of("state", new double[] {0, 0, 0})));
    assertTrue(shortState.getMessage().contains("4 numbers"), shortState.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> env.reset(null, Map.of("low", -0.1)));
    assertTrue(unknown.getMessage().contains("low"), unknown.getMessage());
  }
}
