package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import dev.rld.testing.LineWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  @TempDir Path dir;
  RootAllocator allocator;

  @BeforeEach
  void allocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  /** What a recording loop saw, episode by episode, to compare with what the file holds. */
  record Seen(List<float[]> observations, List<Integer> actions, List<Double> rewards,
      List<Map<String, Object>> infos, List<float[]> probabilities, boolean terminated, boolean truncated, long seed) {}

  static List<Seen> recordLineWalk(Path file, int episodes, int maxSteps, int flushEvery) throws Exception {
    return recordLineWalk(file, episodes, maxSteps, flushEvery, false, 1);
  }

  static List<Seen> recordLineWalk(Path file, int episodes, int maxSteps, int flushEvery, boolean balance)
      throws Exception {
    return recordLineWalk(file, episodes, maxSteps, flushEvery, balance, 1);
  }

  /** With {@code balance} the walker is steered back to the centre and reaches the time limit. */
  static List<Seen> recordLineWalk(Path file, int episodes, int maxSteps, int flushEvery, boolean balance,
      int minBatchRows) throws Exception {
    List<Seen> seen = new ArrayList<>();
    SplittableRandom policy = new SplittableRandom(42);
    RolloutMetadata meta = new RolloutMetadata("walks", "a test", "random", Map.of("lr", 0.1));
    try (var env = new RecordingEnv<>(new LineWalk(maxSteps),
        RolloutWriter.builder(file).metadata(meta).flushEverySteps(flushEvery).minBatchRows(minBatchRows))) {
      for (int e = 0; e < episodes; e++) {
        long seed = 100 + e;
        var reset = env.reset(seed);
        Seen s = new Seen(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>(), false, false, seed);
        s.observations().add(reset.observation());
        s.infos().add(reset.info());
        Step<float[]> step;
        float[] obs = reset.observation();
        do {
          int a = balance ? (obs[0] + 3 * obs[1] > 0 ? 0 : 2) : policy.nextInt(3);
          float[] p = {0.2f, 0.3f, 0.5f};
          env.attach(AgentOutput.ofProbabilities(p).withValue(a * 0.5f).withScalar("entropy", 1.03));
          step = env.step(a);
          s.actions().add(a);
          s.rewards().add(step.reward());
          s.probabilities().add(p);
          s.observations().add(step.observation());
          s.infos().add(step.info());
          obs = step.observation();
        } while (!step.done());
        seen.add(new Seen(s.observations(), s.actions(), s.rewards(), s.infos(), s.probabilities(),
            step.terminated(), step.truncated(), seed));
      }
    }
    return seen;
  }

  @Test
  void everyValueComesBackAndEpisodesAreIndexed() throws Exception {
    Path file = dir.resolve("walk.arrow");
    List<Seen> seen = recordLineWalk(file, 6, 40, 7);
    try (Rollout r = Rollout.open(file, allocator)) {
      assertEquals("LineWalk-v0", r.header().envId());
      assertEquals(LineWalk.OBSERVATION_SPACE, r.observationSpace());
      assertEquals(new Discrete(3), r.actionSpace());
      assertEquals("walks", r.header().metadata().title());
      assertEquals(Map.of("lr", 0.1), r.header().metadata().extra());
      assertEquals("1.1", r.header().formatVersion());
      assertTrue(r.recoveries().isEmpty());
      assertEquals(seen.size(), r.episodes().size());
      long total = 0;
      for (int e = 0; e < seen.size(); e++) {
        Seen s = seen.get(e);
        EpisodeSummary ep = r.episodes().get(e);
        assertEquals(s.actions().size(), ep.length());
        assertEquals(s.rewards().stream().mapToDouble(Double::doubleValue).sum(), ep.totalReturn(), 1e-12);
        assertEquals(s.seed(), ep.seed());
        assertEquals(s.terminated(), ep.terminated());
        assertEquals(s.truncated(), ep.truncated());
        assertTrue(ep.complete());
        assertEquals(ep.length() + 1, ep.observations());
        total += ep.length();
        try (Steps steps = r.read(e, 0, ep.observations())) {
          for (int t = 0; t < steps.size(); t++) {
            assertArrayEquals(s.observations().get(t), (float[]) steps.observation(t), "episode " + e + " row " + t);
            assertEquals(s.infos().get(t), normalise(steps.info(t)));
            if (t < ep.length()) {
              assertEquals(s.actions().get(t), steps.action(t));
              assertEquals(s.rewards().get(t), steps.reward(t));
              assertArrayEquals(s.probabilities().get(t), steps.probabilities(t));
              assertEquals(s.actions().get(t) * 0.5f, steps.value(t));
              assertEquals(Map.of("entropy", 1.03), steps.scalars(t));
              boolean last = t == ep.length() - 1;
              assertEquals(last && s.terminated(), steps.terminated(t));
              assertEquals(last && s.truncated(), steps.truncated(t));
            } else {
              assertNull(steps.action(t), "the final row has no action");
              assertNull(steps.reward(t));
              assertNull(steps.probabilities(t));
              assertNull(steps.value(t));
              assertFalse(steps.terminated(t));
            }
          }
        }
      }
      assertEquals(total, r.totalSteps());
    }
  }

  /** JSON round trips turn ints into Integers; the env's infos use Integer and Double already. */
  private static Map<String, Object> normalise(Map<String, Object> m) {
    return m;
  }

  @Test
  void batchesMayHoldSeveralEpisodes() throws Exception {
    Path file = dir.resolve("batched.arrow");
    List<Seen> seen = recordLineWalk(file, 30, 8, 1000, false, 20);
    try (Rollout r = Rollout.open(file, allocator); RolloutFile f = RolloutFile.open(file, allocator)) {
      assertTrue(f.index.batches() < 30 / 2, "episodes of at most 9 rows share batches of 20+");
      assertEquals(30, r.episodes().size());
      for (int e = 0; e < 30; e++) {
        try (Steps steps = r.read(e, 0, r.episodes().get(e).observations())) {
          for (int t = 0; t < steps.size(); t++) {
            assertArrayEquals(seen.get(e).observations().get(t), (float[]) steps.observation(t));
          }
        }
      }
    }
    // Without the footer, the scan finds the same episodes in the shared batches.
    byte[] bytes = Files.readAllBytes(file);
    Path cut = Files.write(dir.resolve("batched-cut.arrow"), java.util.Arrays.copyOf(bytes, bytes.length - 8));
    try (Rollout r = Rollout.open(cut, allocator)) {
      assertEquals(30, r.episodes().size());
      for (int e = 0; e < 30; e++) {
        assertEquals(seen.get(e).actions().size(), r.episodes().get(e).length());
      }
    }
  }

  @Test
  void rangesAcrossBatchBoundariesReadOnlyWhatIsAsked() throws Exception {
    Path file = dir.resolve("long.arrow");
    // One long truncated episode flushed every 7 steps: ranges straddle many batches.
    List<Seen> seen = recordLineWalk(file, 1, 5000, 7, true);
    Seen s = seen.get(0);
    assertTrue(s.truncated(), "the balanced walk runs to the time limit");
    try (Rollout r = Rollout.open(file, allocator)) {
      int rows = r.episodes().get(0).observations();
      assertEquals(s.observations().size(), rows);
      for (int[] range : new int[][] {{0, 1}, {5, 9}, {6, 7}, {7, 8}, {3, 60}, {rows - 3, rows}, {0, rows}, {10, 10}}) {
        try (Steps steps = r.read(0, range[0], range[1])) {
          assertEquals(range[1] - range[0], steps.size());
          assertEquals(range[0], steps.from());
          for (int i = 0; i < steps.size(); i++) {
            assertArrayEquals(s.observations().get(range[0] + i), (float[]) steps.observation(i));
          }
        }
      }
      var outside = assertThrows(IndexOutOfBoundsException.class, () -> r.read(0, 0, rows + 1));
      assertTrue(outside.getMessage().contains("outside episode 0"), outside.getMessage());
      var noEpisode = assertThrows(IndexOutOfBoundsException.class, () -> r.read(1, 0, 1));
      assertEquals("episode 1 does not exist; the recording has 1 episodes (0..0)", noEpisode.getMessage());
    }
  }

  static Dict compositeObservation() {
    Map<String, Space> m = new LinkedHashMap<>();
    m.put("pixels", Box.of(DType.UINT8, 0, 255, 3, 2));
    m.put("mode", new Discrete(4, 1));
    m.put("flags", new MultiBinary(3));
    m.put("extra", new Tuple(new MultiDiscrete(2, 5), Box.of(DType.INT64, -3, 3, 2), Box.of(DType.INT32, 0, 9, 1)));
    return new Dict(m);
  }

  @Test
  void compositeSpacesRoundTrip() throws Exception {
    Dict obsSpace = compositeObservation();
    Box actSpace = Box.of(DType.FLOAT64, -1, 1, 2);
    Path file = dir.resolve("composite.arrow");
    SplittableRandom rng = new SplittableRandom(5);
    List<Object> observations = new ArrayList<>();
    List<Object> actions = new ArrayList<>();
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(obsSpace, actSpace).envId("Composite-v0").open()) {
      Object o = obsSpace.sample(rng);
      observations.add(o);
      w.beginEpisode(null, null, o, Map.of());
      for (int t = 0; t < 5; t++) {
        Object a = actSpace.sample(rng);
        o = obsSpace.sample(rng);
        actions.add(a);
        observations.add(o);
        w.step(a, t, false, t == 4, o, Map.of("t", t), null);
      }
    }
    try (Rollout r = Rollout.open(file, allocator); Steps steps = r.read(0, 0, 6)) {
      assertEquals(obsSpace, r.observationSpace());
      assertNull(r.episodes().get(0).seed());
      assertTrue(r.episodes().get(0).truncated());
      for (int t = 0; t < 6; t++) {
        assertArrayEquals(obsSpace.flatten(observations.get(t)), obsSpace.flatten(steps.observation(t)));
        assertNull(obsSpace.mismatch(steps.observation(t)), "decoded values have the space's Java types");
        if (t < 5) {
          assertArrayEquals((double[]) actions.get(t), (double[]) steps.action(t));
        }
      }
      assertFalse(steps.has(RolloutSchema.PROBABILITIES), "no agent columns when none were attached");
    }
  }

  @Test
  void aDirectoryOpensAsOneDataset() throws Exception {
    Path actors = Files.createDirectory(dir.resolve("actors"));
    List<Seen> a = recordLineWalk(actors.resolve("actor-0.arrow"), 2, 30, 100);
    List<Seen> b = recordLineWalk(actors.resolve("actor-1.arrow"), 3, 30, 100);
    Files.writeString(actors.resolve("notes.txt"), "ignored: not an .arrow file");
    try (Rollout r = Rollout.open(actors, allocator)) {
      assertEquals(5, r.episodes().size());
      assertEquals(List.of(actors.resolve("actor-0.arrow"), actors.resolve("actor-1.arrow")), r.files());
      assertEquals(2, r.episodes().get(2).index());
      assertEquals(0, r.episodes().get(2).episodeId(), "ids restart in each file");
      try (Steps steps = r.read(3, 0, 1)) {
        assertArrayEquals(b.get(1).observations().get(0), (float[]) steps.observation(0));
      }
      assertEquals(a.get(1).actions().size(), r.episodes().get(1).length());
    }
  }

  @Test
  void anActorThatDiedBeforeItsFirstStepDoesNotSinkTheDataset() throws Exception {
    Path actors = Files.createDirectory(dir.resolve("crashed-actors"));
    recordLineWalk(actors.resolve("actor-0.arrow"), 2, 30, 100);
    Files.write(actors.resolve("actor-1.arrow"), new byte[0]); // created, never written
    Files.write(actors.resolve("actor-2.arrow"), "ARROW1\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (Rollout r = Rollout.open(actors, allocator)) {
      assertEquals(2, r.episodes().size());
      assertEquals(List.of(actors.resolve("actor-1.arrow"), actors.resolve("actor-2.arrow")),
          r.recoveries().stream().map(RecoveryReport::file).toList());
      assertEquals(0, r.recoveries().get(1).completeEpisodes());
    }
    // Alone, such a file is an error: there is nothing to open.
    var e = assertThrows(InvalidRolloutException.class, () -> Rollout.open(actors.resolve("actor-1.arrow"), allocator));
    assertTrue(e.getMessage().endsWith("not an Arrow IPC file: only 0 bytes"), e.getMessage());
  }

  @Test
  void aDirectoryMixingSpacesIsRejected() throws Exception {
    Path mixed = Files.createDirectory(dir.resolve("mixed"));
    recordLineWalk(mixed.resolve("a.arrow"), 1, 10, 100);
    try (RolloutWriter w = RolloutWriter.builder(mixed.resolve("b.arrow"))
        .spaces(new Discrete(3), new Discrete(2)).open()) {
      w.beginEpisode(1L, null, 0, Map.of());
      w.step(1, 1, true, false, 2, Map.of(), null);
    }
    var e = assertThrows(InvalidRolloutException.class, () -> Rollout.open(mixed, allocator));
    assertTrue(e.getMessage().contains("b.arrow: its spaces differ from those of"), e.getMessage());
  }

  @Test
  void anEmptyRecordingIsValid() throws Exception {
    Path file = dir.resolve("empty.arrow");
    RolloutWriter.builder(file).spaces(new Discrete(2), new Discrete(2)).open().close();
    try (Rollout r = Rollout.open(file, allocator)) {
      assertEquals(0, r.episodes().size());
      assertEquals(0, r.totalSteps());
    }
  }

  @Test
  void anEpisodeLeftOpenIsEndedByCloseAndAResetWithoutStepsIsDropped() throws Exception {
    Path file = dir.resolve("open.arrow");
    try (var env = new RecordingEnv<>(new LineWalk(100), file)) {
      env.reset(1);
      env.step(2);
      env.step(2);
      env.reset(2); // abandons the first episode after 2 steps
      env.step(0);
      env.reset(3); // a reset with no step before close
    }
    try (Rollout r = Rollout.open(file, allocator)) {
      assertEquals(2, r.episodes().size());
      assertEquals(2, r.episodes().get(0).length());
      assertFalse(r.episodes().get(0).terminated() || r.episodes().get(0).truncated());
      assertEquals(1, r.episodes().get(1).length());
      assertEquals(2L, r.episodes().get(1).seed());
    }
  }
}
