package dev.rld.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

class RldDataSourceTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    spark = Fixtures.spark();
    Fixtures.dictObservations(dir.resolve("a.arrow"), 1, 30);
    Fixtures.dictObservations(dir.resolve("b.arrow"), 2, 25);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Every column of every row equals what the Java reader reads. */
  @Test
  void stepsEqualTheJavaReader() throws Exception {
    Dataset<Row> df = spark.read().format("rld").load(dir.toString());
    assertEquals(List.of("file", "episode", "step", "pos[0]", "pos[1]", "vel[0]", "observation", "action", "reward",
        "terminated", "truncated", "probabilities", "logits", "value", "scalars", "info"),
        List.of(df.columns()), "columns");
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : df.collectAsList()) {
      byKey.put(Path.of(java.net.URI.create(r.getString(0))).getFileName() + "/" + r.getInt(1) + "/" + r.getInt(2), r);
    }
    ObjectMapper json = new ObjectMapper();
    int rows = 0;
    for (String name : List.of("a.arrow", "b.arrow")) {
      try (Rollout rollout = Rollout.open(dir.resolve(name))) {
        for (EpisodeSummary e : rollout.episodes()) {
          try (Steps s = rollout.read(e.index(), 0, e.observations())) {
            for (int t = 0; t < s.size(); t++) {
              Row r = byKey.get(name + "/" + e.index() + "/" + t);
              String where = name + " episode " + e.index() + " step " + t;
              double[] flat = rollout.observationSpace().flatten(s.observation(t));
              assertArrayEquals(flat, new double[] {r.getDouble(3), r.getDouble(4), r.getDouble(5)}, where);
              assertArrayEquals(flat, doubles(r.getList(6)), where);
              Object action = s.action(t);
              assertEquals(action == null ? null : ((Number) action).longValue(), r.isNullAt(7) ? null : r.getLong(7),
                  where);
              assertEquals(s.reward(t), r.isNullAt(8) ? null : r.getDouble(8), where);
              assertEquals(s.terminated(t), r.getBoolean(9), where);
              assertEquals(s.truncated(t), r.getBoolean(10), where);
              assertArrayEquals(s.probabilities(t), floats(r, 11), where);
              assertArrayEquals(s.logits(t), floats(r, 12), where);
              assertEquals(s.value(t), r.isNullAt(13) ? null : r.getFloat(13), where);
              Map<String, Double> scalars = r.isNullAt(14) ? Map.of() : JavaConverters.mapAsJavaMap(r.getMap(14));
              assertEquals(s.scalars(t), new HashMap<>(scalars), where);
              assertEquals(json.readTree(json.writeValueAsString(s.info(t))), json.readTree(r.getString(15)), where);
              rows++;
            }
          }
        }
      }
    }
    assertEquals(rows, byKey.size());
  }

  /** One file is read in parallel: a split per group of record batches. */
  @Test
  void aFileIsSplitByRecordBatch() {
    Dataset<Row> df = spark.read().format("rld").option("splitRows", "64").load(dir.resolve("a.arrow").toString());
    assertTrue(df.rdd().getNumPartitions() > 4, "partitions: " + df.rdd().getNumPartitions());
    Dataset<Row> whole = spark.read().format("rld").load(dir.resolve("a.arrow").toString());
    assertEquals(whole.count(), df.count());
    assertEquals(whole.selectExpr("sum(reward)").first().getDouble(0), df.selectExpr("sum(reward)").first().getDouble(0),
        1e-9);
  }

  /** Only the columns asked for are read: the plan's read schema is pruned. */
  @Test
  void rewardAloneIsReadAlone() throws Exception {
    Dataset<Row> df = spark.read().format("rld").load(dir.toString()).select("reward");
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("reward") && !plan.contains("observation"), plan);
    double expected = 0;
    for (String name : List.of("a.arrow", "b.arrow")) {
      try (Rollout rollout = Rollout.open(dir.resolve(name))) {
        expected += rollout.episodes().stream().mapToDouble(EpisodeSummary::totalReturn).sum();
      }
    }
    assertEquals(expected, df.selectExpr("sum(reward)").first().getDouble(0), 1e-9);
  }

  @Test
  void episodesViewIsTheFooterIndex() throws Exception {
    List<Row> rows = spark.read().format("rld").option("view", "episodes").load(dir.resolve("b.arrow").toString())
        .orderBy("episode").collectAsList();
    try (Rollout rollout = Rollout.open(dir.resolve("b.arrow"))) {
      assertEquals(rollout.episodes().size(), rows.size());
      for (EpisodeSummary e : rollout.episodes()) {
        Row r = rows.get(e.index());
        assertEquals(e.index(), r.getInt(1));
        assertEquals(e.episodeId(), r.getInt(2));
        assertEquals(e.seed(), r.getLong(3));
        assertEquals(e.length(), r.getInt(4));
        assertEquals(e.observations(), r.getInt(5));
        assertEquals(e.totalReturn(), r.getDouble(6));
        assertEquals(e.terminated(), r.getBoolean(7));
        assertEquals(e.truncated(), r.getBoolean(8));
      }
    }
  }

  /** A file that is not a recording is reported and left out; the others are read. */
  @Test
  void aCorruptFileIsSkipped(@TempDir Path other) throws Exception {
    Files.copy(dir.resolve("a.arrow"), other.resolve("a.arrow"));
    Files.writeString(other.resolve("broken.arrow"), "ARROW1 but nothing else");
    long expected = spark.read().format("rld").load(dir.resolve("a.arrow").toString()).count();
    assertEquals(expected, spark.read().format("rld").load(other.toString()).count());
  }

  private static double[] doubles(List<Object> list) {
    return list.stream().mapToDouble(o -> (Double) o).toArray();
  }

  private static float[] floats(Row r, int i) {
    if (r.isNullAt(i)) {
      return null;
    }
    List<Object> list = r.getList(i);
    float[] out = new float[list.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = (Float) list.get(j);
    }
    return out;
  }

}
