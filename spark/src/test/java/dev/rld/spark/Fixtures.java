package dev.rld.spark;

import dev.rld.format.AgentOutput;
import dev.rld.format.RolloutWriter;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/** Recordings written with the recorder's writer, and the test Spark session. */
final class Fixtures {
  static final Path MODELS = Path.of("../models/cartpole").toAbsolutePath().normalize();

  private Fixtures() {}

  static SparkSession spark() {
    return SparkSession.builder().master("local[2]").appName("rld-spark tests")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  /** CartPole-shaped (Box(4) observations, Discrete(2) actions) random episodes with agent outputs. */
  static void cartPoleLike(Path file, long seed, int episodes) throws Exception {
    Box obs = Box.of(DType.FLOAT32, -3, 3, 4);
    record(file, seed, episodes, obs, new Discrete(2), rng -> new float[] {(float) rng.nextDouble(-3, 3),
        (float) rng.nextDouble(-3, 3), (float) rng.nextDouble(-0.3, 0.3), (float) rng.nextDouble(-3, 3)});
  }

  /** Dict observations ({@code pos}: Box(2), {@code vel}: Box(1)), Discrete(3) actions. */
  static void dictObservations(Path file, long seed, int episodes) throws Exception {
    Map<String, Space> spaces = new LinkedHashMap<>();
    spaces.put("pos", Box.of(DType.FLOAT32, -1, 1, 2));
    spaces.put("vel", Box.of(DType.FLOAT32, -5, 5, 1));
    record(file, seed, episodes, new Dict(spaces), new Discrete(3), rng -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pos", new float[] {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1)});
      o.put("vel", new float[] {(float) rng.nextDouble(-5, 5)});
      return o;
    });
  }

  private static void record(Path file, long seed, int episodes, Space obs, Discrete act,
      java.util.function.Function<SplittableRandom, Object> observation) throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    // Small batches: many per file, and episodes that span batches.
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(obs, act).envId("Fixture-v0").flushEverySteps(16)
        .open()) {
      for (int e = 0; e < episodes; e++) {
        w.beginEpisode(seed * 1000 + e, null, observation.apply(rng), Map.of("start", e));
        int length = 3 + rng.nextInt(40);
        for (int t = 0; t < length; t++) {
          float[] p = new float[act.n()];
          float left = 1;
          for (int k = 0; k < p.length - 1; k++) {
            p[k] = left * (float) rng.nextDouble();
            left -= p[k];
          }
          p[p.length - 1] = left;
          AgentOutput out = AgentOutput.ofProbabilities(p).withLogits(p).withValue((float) rng.nextDouble())
              .withScalar("entropy", rng.nextDouble());
          boolean last = t == length - 1;
          boolean terminated = last && rng.nextBoolean();
          w.step(rng.nextInt(act.n()), rng.nextDouble(-1, 1), terminated, last && !terminated,
              observation.apply(rng), Map.of("t", t + 1), out);
        }
      }
    }
  }
}
