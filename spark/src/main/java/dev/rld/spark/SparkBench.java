package dev.rld.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The figures of docs/PERFORMANCE.md ("Spark"): {@code read DIR} times the data source reading
 * {@code reward} alone and every column; {@code attribute [job options] IN OUT} times the
 * attribution job. Run in {@code --master local[N]} (default local[*]):
 *
 * <pre>java $SPARK_OPENS -cp spark/target/rld-spark-local.jar dev.rld.spark.SparkBench --master local[2] read DIR</pre>
 */
public final class SparkBench {
  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    String master = "local[*]";
    List<String> rest = new ArrayList<>(List.of(args));
    int at = rest.indexOf("--master");
    if (at >= 0) {
      master = rest.get(at + 1);
      rest.remove(at + 1);
      rest.remove(at);
    }
    SparkSession spark = SparkSession.builder().master(master).appName("rld bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      if (rest.get(0).equals("read")) {
        read(spark, rest.get(1), master);
      } else {
        JobOptions options = new JobOptions();
        new CommandLine(options).parseArgs(rest.subList(1, rest.size()).toArray(String[]::new));
        long t0 = System.nanoTime();
        AttributeJob.Result r = AttributeJob.run(spark, options);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("attribute %s %s: %d steps of %d recordings in %.1f s: %.0f steps/s overall; "
            + "attributing %.1f s (%.0f steps/s), attributions table %.1f s, sidecars %.1f s%n", master,
            options.method, r.steps(), r.recordings(), s, r.steps() / s, r.attributeSeconds(),
            r.steps() / r.attributeSeconds(), r.tableSeconds(), r.sidecarSeconds());
      }
    } finally {
      spark.stop();
    }
  }

  private static void read(SparkSession spark, String dir, String master) {
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      long t0 = System.nanoTime();
      double sum = spark.read().format("rld").load(dir).selectExpr("sum(reward)").first().getDouble(0);
      double reward = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      long rows = spark.read().format("rld").load(dir).selectExpr("sum(hash(*))", "count(*)").first().getLong(1);
      double all = (System.nanoTime() - t0) / 1e9;
      System.out.printf("read %s round %d: %d rows; reward only %.1f s (%.0f rows/s, sum %.1f); all columns "
          + "%.1f s (%.0f rows/s)%n", master, round, rows, reward, rows / reward, sum, all, rows / all);
    }
  }
}
