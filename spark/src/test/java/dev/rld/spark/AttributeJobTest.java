package dev.rld.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.api.RldServer;
import dev.rld.attribution.Sidecar;
import dev.rld.attribution.StepAttribution;
import dev.rld.cli.RldCli;
import dev.rld.format.Rollout;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AttributeJobTest {
  static final Path MODEL = Fixtures.MODELS.resolve("cartpole_mlp.onnx");
  static final List<String> FILES = List.of("actor-0.arrow", "actor-1.arrow", "actor-2.arrow");
  @TempDir static Path root;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    spark = Fixtures.spark();
    Path in = Files.createDirectories(root.resolve("in"));
    for (int i = 0; i < FILES.size(); i++) {
      Fixtures.cartPoleLike(in.resolve(FILES.get(i)), 10 + i, 40 + 10 * i);
    }
    // Not a recording: reported, and the job goes on with the others.
    Files.writeString(in.resolve("zz-corrupt.arrow"), "ARROW1 and then garbage, no footer");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void ablationEqualsRldAttribute() throws Exception {
    compareWithRldAttribute("ablation", List.of("--method", "ablation"));
  }

  @Test
  void exactShapleyWithTheMeanBaselineEqualsRldAttribute() throws Exception {
    compareWithRldAttribute("shapley-mean", List.of("--method", "shapley", "--baseline", "mean", "--output", "logit"));
  }

  @Test
  void sampledShapleyEqualsRldAttribute() throws Exception {
    compareWithRldAttribute("shapley-sampled", List.of("--method", "shapley", "--permutations", "3", "--seed", "7"));
  }

  /**
   * Runs the job over a copy of the recordings and {@code rld attribute} on each file of another
   * copy: the sidecars hold the same entries, value for value; the table has every value once.
   */
  private void compareWithRldAttribute(String name, List<String> args) throws Exception {
    Path jobIn = copy(root.resolve("in"), root.resolve(name + "-job"));
    Path cliIn = copy(root.resolve("in"), root.resolve(name + "-cli"));
    Path out = root.resolve(name + "-out");
    List<String> all = new ArrayList<>(List.of("--policy", MODEL.toString(), "--steps-per-task", "300"));
    all.addAll(args);
    all.add(jobIn.toString());
    all.add(out.toString());
    JobOptions options = new JobOptions();
    new CommandLine(options).parseArgs(all.toArray(String[]::new));
    AttributeJob.Result result = AttributeJob.run(spark, options);

    assertEquals(FILES.size(), result.recordings());
    assertEquals(1, result.skipped().size(), result.skipped().toString());
    assertTrue(result.skipped().get(0).contains("zz-corrupt.arrow"), result.skipped().get(0));
    assertTrue(Files.readString(out.resolve("skipped.txt")).contains("zz-corrupt.arrow"));

    long values = 0;
    for (String file : FILES) {
      List<String> cli = new ArrayList<>(List.of("attribute", cliIn.resolve(file).toString(), "--policy",
          MODEL.toString()));
      cli.addAll(args);
      assertEquals(0, new CommandLine(new RldCli()).execute(cli.toArray(String[]::new)));
      Sidecar.Contents expected = Sidecar.read(Sidecar.pathFor(cliIn.resolve(file)));
      Sidecar.Contents actual = Sidecar.read(Sidecar.pathFor(jobIn.resolve(file)));
      assertEquals(expected.policyFingerprint(), actual.policyFingerprint());
      assertEquals(expected.recordingFingerprint(), actual.recordingFingerprint());
      assertEquals(expected.entries().size(), actual.entries().size(), file);
      for (int i = 0; i < expected.entries().size(); i++) {
        Sidecar.Entry e = expected.entries().get(i);
        Sidecar.Entry a = actual.entries().get(i);
        String where = file + " episode " + e.episode() + " step " + e.attribution().step();
        assertEquals(e.episode(), a.episode(), where);
        assertEquals(e.computation(), a.computation(), where);
        assertEqual(e.attribution(), a.attribution(), where);
        values += (long) e.attribution().raw().length * e.attribution().raw()[0].length;
      }
    }
    List<Row> table = spark.read().parquet(out.resolve("attributions").toString())
        .selectExpr("count(*)", "count(distinct file, episode, step, target, feature)").collectAsList();
    assertEquals(values, table.get(0).getLong(0));
    assertEquals(values, table.get(0).getLong(1));
  }

  private static void assertEqual(StepAttribution e, StepAttribution a, String where) {
    assertEquals(e.step(), a.step(), where);
    assertArrayEquals(e.probabilities(), a.probabilities(), where);
    assertArrayEquals(e.values(), a.values(), where);
    assertArrayEquals(e.atBaseline(), a.atBaseline(), where);
    assertEquals(e.raw().length, a.raw().length, where);
    for (int k = 0; k < e.raw().length; k++) {
      assertArrayEquals(e.raw()[k], a.raw()[k], where); // exactly: the same calls on the same inputs
      if (e.stderr() != null) {
        assertArrayEquals(e.stderr()[k], a.stderr()[k], where);
      }
    }
    assertEquals(e.stderr() == null, a.stderr() == null, where);
  }

  /** rld serve takes the job's sidecar: it was made with this policy for this data. */
  @Test
  void serveUsesTheSidecars() throws Exception {
    Path in = copy(root.resolve("in"), root.resolve("serve"));
    JobOptions options = new JobOptions();
    new CommandLine(options).parseArgs("--policy", MODEL.toString(), in.toString(), root.resolve("serve-out").toString());
    AttributeJob.run(spark, options);
    Path file = in.resolve(FILES.get(1));
    long steps;
    try (Rollout r = Rollout.open(file)) {
      steps = r.totalSteps() + r.episodes().size();
    }
    Policy policy = OnnxPolicy.load(MODEL, Policy.Output.LOGITS);
    try (RldServer server = RldServer.builder().port(0).recording(file, policy).noToken().start()) {
      assertTrue(server.notes().contains("using " + steps + " precomputed attribution steps from "
          + Sidecar.pathFor(file)), server.notes().toString());
    }
  }

  /** docs/spark.md's example: mean |attribution| per feature and action over the failed episodes. */
  @Test
  void theSqlExampleRuns() throws Exception {
    Path in = copy(root.resolve("in"), root.resolve("sql"));
    Path out = root.resolve("sql-out");
    JobOptions options = new JobOptions();
    new CommandLine(options).parseArgs("--policy", MODEL.toString(), "--no-sidecars", in.toString(), out.toString());
    AttributeJob.run(spark, options);
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW attributions USING parquet OPTIONS (path '"
        + out.resolve("attributions") + "')");
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW episodes USING rld OPTIONS (path '" + in + "', view 'episodes')");
    List<Row> rows = spark.sql("""
        SELECT a.feature, a.target AS action, avg(abs(a.raw)) AS mean_abs, count(*) AS steps
        FROM attributions a JOIN episodes e ON a.file = e.file AND a.episode = e.episode
        WHERE e.terminated
        GROUP BY a.feature, a.target
        ORDER BY mean_abs DESC""").collectAsList();
    assertEquals(4 * 2, rows.size(), rows.toString());
    long failedSteps = 0;
    for (String file : FILES) {
      try (Rollout r = Rollout.open(in.resolve(file))) {
        failedSteps += r.episodes().stream().filter(e -> e.terminated()).mapToLong(e -> e.observations()).sum();
      }
    }
    for (Row r : rows) {
      assertEquals(failedSteps, r.getLong(3), r.toString());
      assertTrue(r.getDouble(2) > 0, r.toString());
    }
  }

  private static Path copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path p : s.toList()) {
        if (!p.getFileName().toString().endsWith(Rollout.SIDECAR_SUFFIX)) {
          Files.copy(p, to.resolve(p.getFileName()));
        }
      }
    }
    return to;
  }
}
