package dev.rld.samples.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.Step;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PeterAndTheWolfEnergy-v0 against an independent Python transcription of its rules
 * ({@code energy_gridworld_reference.py}): seeded random games, biased to walk into trees,
 * apples, water and the wolf, compared step by step.
 */
class EnergyGridWorldTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Game(Map<String, Object> input, List<Step<Map<String, Object>>> steps) {}

  @Test
  void matchesTheReferenceTranscriptionStepByStep() throws Exception {
    List<Game> games = new ArrayList<>();
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    int rests = 0;
    int meals = 0;
    SplittableRandom rng = new SplittableRandom(5);
    for (long seed = 0; seed < 400; seed++) {
      EnergyGridWorld env = new EnergyGridWorld();
      long[] start = (long[]) env.reset(seed).observation().get("position");
      List<Integer> actions = new ArrayList<>();
      List<Step<Map<String, Object>>> steps = new ArrayList<>();
      // a walk that favours one direction per game, so games reach far cells and end every way
      int favourite = rng.nextInt(4);
      Step<Map<String, Object>> s;
      int lastFatigue = 0;
      do {
        int a = rng.nextDouble() < 0.4 ? favourite : rng.nextInt(4);
        actions.add(a);
        s = env.step(a);
        steps.add(s);
        int fatigue = ((byte[]) s.observation().get("fatigue"))[0];
        rests += fatigue == 0 ? 1 : 0;
        meals += ((byte[]) s.observation().get("energy"))[0] == 10 ? 1 : 0;
        lastFatigue = fatigue;
        assertNull(env.observationSpace().mismatch(s.observation()));
      } while (!s.done());
      outcomes.merge(s.terminated() ? (String) s.info().get("outcome") : "truncated", 1, Integer::sum);
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("board", toInts(EnergyGridWorld.board()));
      input.put("start", start);
      input.put("actions", actions);
      games.add(new Game(input, steps));
    }
    System.out.println("EnergyGridWorldTest: endings " + outcomes + ", " + rests + " rests, " + meals + " meals");
    assertTrue(outcomes.keySet().containsAll(List.of("won", "lost", "drowned", "truncated")), "every ending: " + outcomes);
    assertTrue(rests > 50 && meals > 50, rests + " rests, " + meals + " meals");

    List<JsonNode> reference = runReference(games);
    for (int g = 0; g < games.size(); g++) {
      List<Step<Map<String, Object>>> steps = games.get(g).steps();
      JsonNode ref = reference.get(g);
      assertEquals(ref.size(), steps.size(), "game " + g + " length");
      for (int t = 0; t < steps.size(); t++) {
        Step<Map<String, Object>> s = steps.get(t);
        JsonNode r = ref.get(t);
        String where = "game " + g + " step " + t;
        long[] pos = (long[]) s.observation().get("position");
        assertArrayEquals(new long[] {r.get(0).asLong(), r.get(1).asLong()}, pos, where);
        assertEquals(r.get(2).asInt(), ((byte[]) s.observation().get("energy"))[0], where + " energy");
        assertEquals(r.get(3).asInt(), ((byte[]) s.observation().get("fatigue"))[0], where + " fatigue");
        assertEquals(r.get(4).asDouble(), s.reward(), where + " reward");
        assertEquals(r.get(5).asBoolean(), s.terminated(), where + " terminated");
        assertEquals(r.get(6).asBoolean(), s.truncated(), where + " truncated");
        assertEquals(r.get(7).isNull() ? null : r.get(7).asText(), s.info().get("outcome"), where + " outcome");
      }
    }
  }

  @Test
  void startsOnMeadowWithFullEnergyOnTheOneBoard() {
    EnergyGridWorld env = new EnergyGridWorld();
    java.util.Set<String> starts = new java.util.HashSet<>();
    for (long seed = 0; seed < 100; seed++) {
      Map<String, Object> obs = env.reset(seed).observation();
      assertArrayEquals(EnergyGridWorld.board(), (byte[]) obs.get("board"));
      long[] p = (long[]) obs.get("position");
      assertEquals(GridWorld.EMPTY, EnergyGridWorld.board()[(int) (p[0] * 8 + p[1])]);
      assertArrayEquals(new byte[] {10}, (byte[]) obs.get("energy"));
      assertArrayEquals(new byte[] {0}, (byte[]) obs.get("fatigue"));
      assertArrayEquals(p, (long[]) new EnergyGridWorld().reset(seed).observation().get("position"), "seeded");
      starts.add(p[0] + "," + p[1]);
    }
    assertTrue(starts.size() > 30, "random starts: " + starts.size());
    assertArrayEquals(GridWorld.generate(new SplittableRandom(EnergyGridWorld.BOARD_SEED)), EnergyGridWorld.board());
    assertThrows(IllegalStateException.class, () -> new EnergyGridWorld().step(0));
    assertThrows(IllegalArgumentException.class, () -> {
      env.reset(1L);
      env.step(4);
    });
  }

  private static int[] toInts(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i];
    }
    return out;
  }

  private static List<JsonNode> runReference(List<Game> games) throws Exception {
    Path script = Path.of(EnergyGridWorldTest.class.getResource("/energy_gridworld_reference.py").toURI());
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(false).start();
    Thread feeder = new Thread(() -> {
      try (Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        for (Game g : games) {
          w.write(JSON.writeValueAsString(g.input()) + "\n");
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    feeder.start();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(JSON.readTree(line));
      }
    }
    feeder.join();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    assertEquals(games.size(), out.size(), err);
    return out;
  }
}
