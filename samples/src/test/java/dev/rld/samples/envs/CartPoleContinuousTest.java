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
import dev.rld.samples.envs.CartPoleContinuous.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both continuous cart-pole tasks against an independent Python transcription of their rules
 * (cartpole_continuous_reference.py), and the rules a trajectory does not reach.
 */
class CartPoleContinuousTest {
  private static final double TOLERANCE = 1e-6;

  record Row(String task, int step, Float action, double[] observation, Double reward, boolean terminated) {}

  static Map<String, List<Row>> reference() throws IOException {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    try (InputStream in = CartPoleContinuousTest.class.getResourceAsStream("/cartpole_continuous_reference.csv")) {
      assertNotNull(in, "cartpole_continuous_reference.csv is missing from the test resources");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertEquals("trajectory,task,step,action,x,x_dot,cos_theta,sin_theta,theta_dot,reward,terminated",
          reader.readLine());
      for (String line; (line = reader.readLine()) != null; ) {
        String[] f = line.split(",", -1);
        double[] obs = new double[5];
        for (int i = 0; i < 5; i++) {
          obs[i] = Double.parseDouble(f[4 + i]);
        }
        out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Row(f[1], Integer.parseInt(f[2]),
            f[3].isEmpty() ? null : Float.valueOf(f[3]), obs, f[9].isEmpty() ? null : Double.valueOf(f[9]),
            Boolean.parseBoolean(f[10])));
      }
    }
    return out;
  }

  /** The reference's initial states, which it prints only as observations. */
  private static final Map<String, double[]> STARTS = Map.of(
      "wave", new double[] {0.01, -0.02, 0.03, 0.04},
      "push", new double[] {0, 0, 0, 0},
      "swing", new double[] {0.02, 0, Math.PI - 0.03, 0.01},
      "away", new double[] {0, 0, Math.PI, 0});

  @Test
  void followsTheTranscriptionStepForStep() throws IOException {
    Map<String, List<Row>> trajectories = reference();
    assertEquals(List.of("wave", "push", "swing", "away"), List.copyOf(trajectories.keySet()));
    assertEquals(201, trajectories.get("swing").size(), "the swing-up has no angle limit");
    for (var entry : trajectories.entrySet()) {
      List<Row> rows = entry.getValue();
      CartPoleContinuous env = new CartPoleContinuous(rows.get(0).task().equals("balance") ? Task.BALANCE : Task.SWING_UP);
      float[] obs = env.reset(null, Map.of("state", STARTS.get(entry.getKey()))).observation();
      assertClose(rows.get(0).observation(), obs, entry.getKey() + " step 0");
      for (Row row : rows.subList(1, rows.size())) {
        Step<float[]> step = env.step(new float[] {row.action()});
        String where = entry.getKey() + " step " + row.step();
        assertClose(row.observation(), step.observation(), where);
        assertEquals(row.reward(), step.reward(), 1e-12, where);
        assertEquals(row.terminated(), step.terminated(), where);
        assertFalse(step.truncated(), where);
      }
    }
    // the balance trajectories fall over, the swing-up one pushed right leaves the track
    for (String ended : List.of("wave", "push", "away")) {
      List<Row> rows = trajectories.get(ended);
      assertTrue(rows.get(rows.size() - 1).terminated(), ended);
    }
  }

  private static void assertClose(double[] expected, float[] actual, String where) {
    assertEquals(5, actual.length, where);
    for (int i = 0; i < 5; i++) {
      if (Math.abs(expected[i] - actual[i]) > TOLERANCE * Math.max(1, Math.abs(expected[i]))) {
        fail(where + ", element " + i + ": expected " + expected[i] + " but got " + actual[i]);
      }
    }
  }

  @Test
  void theReferenceIsReproducedByPython() throws Exception {
    Path script = Path.of("src/test/resources/cartpole_continuous_reference.py");
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), printed);
    assertEquals(Files.readString(Path.of("src/test/resources/cartpole_continuous_reference.csv")), printed,
        "the committed CSV is the script's output");
  }

  @Test
  void resetsStartUprightOrHanging() {
    for (long seed = 0; seed < 20; seed++) {
      float[] up = CartPoleContinuous.balance().reset(seed).observation();
      float[] down = CartPoleContinuous.swingUp().reset(seed).observation();
      assertTrue(up[2] > Math.cos(0.05) - 1e-6 && Math.abs(up[0]) < 0.05, "upright: " + seed);
      assertTrue(down[2] < -Math.cos(0.05) + 1e-6 && Math.abs(down[0]) < 0.05, "hanging: " + seed);
      // the same noise, turned half a circle
      assertEquals(up[0], down[0]);
      assertEquals(up[3], -down[3], 1e-6);
      assertNull(CartPoleContinuous.balance().observationSpace().mismatch(up));
    }
    assertArrayEquals(CartPoleContinuous.balance().reset(7L).observation(),
        CartPoleContinuous.balance().reset(7L).observation());
  }

  @Test
  void truncatesAfter500StepsAndRejectsMisuse() {
    CartPoleContinuous env = CartPoleContinuous.swingUp();
    assertThrows(IllegalStateException.class, () -> env.step(new float[] {0}));
    env.reset(3L);
    var bad = assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN}));
    assertTrue(bad.getMessage().contains("invalid action"), bad.getMessage());
    Step<float[]> step = null;
    for (int t = 0; t < CartPoleContinuous.MAX_EPISODE_STEPS; t++) {
      assertTrue(step == null || !step.done(), "ended early at " + t);
      step = env.step(new float[] {0}); // hanging still, the cart stays put
    }
    assertTrue(step.truncated());
    assertFalse(step.terminated());
    assertThrows(IllegalStateException.class, () -> env.step(new float[] {0}));
    assertEquals(Task.SWING_UP, Task.of("CartPoleSwingUp-v0"));
    assertEquals("CartPoleBalance-v0", Envs.make("CartPoleBalance-v0").id());
    assertEquals(List.of("cart position", "cart velocity", "cos θ", "sin θ", "pole angular velocity"),
        ((dev.rld.space.Box) env.observationSpace()).labels());
  }
}
