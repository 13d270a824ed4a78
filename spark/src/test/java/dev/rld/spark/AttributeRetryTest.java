package dev.rld.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.attribution.Sidecar;
import dev.rld.format.Rollout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every task's first attempt fails halfway through its rows (after the Parquet writer took some);
 * Spark retries it (local[2,2]: two attempts per task), and the tables and sidecars hold every
 * step once: task outputs are committed per attempt, sidecars written whole and renamed.
 */
class AttributeRetryTest {
  @TempDir static Path root;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2,2]").appName("rld-spark retry test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void failedAttemptsAreRetriedWithoutDuplicatingRows() throws Exception {
    Path in = Files.createDirectories(root.resolve("in"));
    Fixtures.cartPoleLike(in.resolve("a.arrow"), 3, 30);
    Fixtures.cartPoleLike(in.resolve("b.arrow"), 4, 25);
    AtomicInteger failed = new AtomicInteger();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed()) {
          failed.incrementAndGet();
        }
      }
    });
    spark.sparkContext().setLocalProperty(AttributionTask.FAIL_FIRST_ATTEMPTS, "true");
    try {
      JobOptions options = new JobOptions();
      new CommandLine(options).parseArgs("--policy", AttributeJobTest.MODEL.toString(), "--steps-per-task", "200",
          in.toString(), root.resolve("out").toString());
      AttributeJob.Result result = AttributeJob.run(spark, options);
      assertEquals(2, result.recordings());
    } finally {
      spark.sparkContext().setLocalProperty(AttributionTask.FAIL_FIRST_ATTEMPTS, null);
    }
    assertTrue(failed.get() >= 2, "first attempts failed and were retried: " + failed.get());

    long values = 0;
    for (String name : List.of("a.arrow", "b.arrow")) {
      try (Rollout r = Rollout.open(in.resolve(name))) {
        Sidecar.Contents sidecar = Sidecar.read(Sidecar.pathFor(in.resolve(name)));
        assertEquals(r.totalSteps() + r.episodes().size(), sidecar.entries().size(), name + ": each row once");
        assertEquals(sidecar.entries().size(), sidecar.entries().stream()
            .map(e -> e.episode() + "/" + e.attribution().step()).distinct().count(), name + ": no row twice");
        for (Sidecar.Entry e : sidecar.entries()) {
          values += (long) e.attribution().raw().length * e.attribution().raw()[0].length;
        }
      }
    }
    Row counts = spark.read().parquet(root.resolve("out/attributions").toString())
        .selectExpr("count(*)", "count(distinct file, episode, step, target, feature)").first();
    assertEquals(values, counts.getLong(0));
    assertEquals(values, counts.getLong(1));
  }
}
