package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.RecordingEnv;
import dev.rld.space.Discrete;
import dev.rld.testing.LineWalk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A value outside its space fails at once, names where it is, and corrupts nothing. */
class WriterValidationTest {
  @TempDir Path dir;

  @Test
  void aBadObservationNamesEpisodeStepColumnAndValueAndWritesNothing() throws Exception {
    Path file = dir.resolve("bad.arrow");
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(LineWalk.OBSERVATION_SPACE, new Discrete(3)).open()) {
      w.beginEpisode(7L, null, new float[] {0, 0}, Map.of());
      w.step(1, 0.5, false, false, new float[] {1, 0.1f}, Map.of(), null);
      var e = assertThrows(IllegalArgumentException.class,
          () -> w.step(1, 0.5, false, false, new float[] {99, 0}, Map.of(), null));
      assertEquals("episode 0, step 2, column 'observations': element 0 (position) = 99.0 is outside [-10.0, 10.0]",
          e.getMessage());
      var a = assertThrows(IllegalArgumentException.class,
          () -> w.step(3, 0.5, false, false, new float[] {1, 0}, Map.of(), null));
      assertEquals("episode 0, step 1, column 'actions': value 3 is outside Discrete(3, start=0)", a.getMessage());
      var type = assertThrows(IllegalArgumentException.class,
          () -> w.step(1, 0.5, false, false, new double[] {1, 0}, Map.of(), null));
      assertTrue(type.getMessage().startsWith("episode 0, step 2, column 'observations': expected float[]"));
      w.step(0, 1.0, true, false, new float[] {2, 0}, Map.of(), null);
    }
    try (Rollout r = Rollout.open(file); Steps s = r.read(0, 0, 3)) {
      assertEquals(2, r.episodes().get(0).length(), "the rejected steps left no trace");
      assertArrayEquals(new float[] {2, 0}, (float[]) s.observation(2));
      assertEquals(1.5, r.episodes().get(0).totalReturn());
    }
  }

  @Test
  void aBadFirstObservationIsStepZero() throws Exception {
    try (RolloutWriter w = RolloutWriter.builder(dir.resolve("x.arrow"))
        .spaces(LineWalk.OBSERVATION_SPACE, new Discrete(3)).open()) {
      var e = assertThrows(IllegalArgumentException.class, () -> w.beginEpisode(1L, null, new float[] {0}, Map.of()));
      assertEquals("episode 0, step 0, column 'observations': expected 2 elements (shape [2]), got 1", e.getMessage());
    }
  }

  @Test
  void stepBeforeResetAndNaNRewardsAreRefused() throws Exception {
    try (var env = new RecordingEnv<>(new LineWalk(10), dir.resolve("y.arrow"))) {
      var e = assertThrows(IllegalStateException.class, () -> env.step(1));
      assertEquals("step() called before beginEpisode(): call reset first", e.getMessage());
      env.reset(1);
      var w = env.writer();
      var nan = assertThrows(IllegalArgumentException.class,
          () -> w.step(1, Double.NaN, false, false, new float[] {0, 0}, Map.of(), null));
      assertEquals("episode 0, step 0, column 'rewards': reward is NaN", nan.getMessage());
    }
  }

  @Test
  void agentOutputsMustStartWithTheFirstStep() throws Exception {
    try (var env = new RecordingEnv<>(new LineWalk(10), dir.resolve("z.arrow"))) {
      env.reset(1);
      env.attach(AgentOutput.ofProbabilities(0.2f, 0.3f, 0.5f));
      env.step(1);
      env.attach(AgentOutput.ofProbabilities(0.5f, 0.5f));
      var size = assertThrows(IllegalArgumentException.class, () -> env.step(1));
      assertEquals("episode 0, step 1, column 'agent outputs': probabilities have 2 entries but the first step had 3",
          size.getMessage());
      env.attach(AgentOutput.none().withValue(1f));
      var late = assertThrows(IllegalArgumentException.class, () -> env.step(1));
      assertTrue(late.getMessage().contains("a value given, but the first recorded step had none"), late.getMessage());
    }
  }

  @Test
  void infosThatAreNotJsonAreNamed() throws Exception {
    try (RolloutWriter w = RolloutWriter.builder(dir.resolve("i.arrow"))
        .spaces(LineWalk.OBSERVATION_SPACE, new Discrete(3)).open()) {
      w.beginEpisode(1L, null, new float[] {0, 0}, Map.of());
      var e = assertThrows(IllegalArgumentException.class,
          () -> w.step(1, 0, false, false, new float[] {0, 0}, Map.of("self", new Object()), null));
      assertTrue(e.getMessage().startsWith("episode 0, step 1, column 'infos': info is not JSON-serialisable"),
          e.getMessage());
    }
  }
}
