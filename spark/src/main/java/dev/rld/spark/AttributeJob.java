package dev.rld.spark;

import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.format.FileBatches;
import dev.rld.policy.Policy;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;

/**
 * Attributes every step of every recording under IN across a Spark cluster, and writes each
 * recording's {@code NAME.attributions.arrow} (the sidecar {@code rld serve} uses; equal to what
 * {@code rld attribute NAME.arrow} writes) and, under OUT, the Parquet tables
 * {@code attributions} ({@code file, episode, step, target, feature, raw}) and
 * {@code step_attributions} (a sidecar's rows). Recordings that cannot be read are reported in
 * {@code OUT/skipped.txt} and on standard error; the others are attributed. See docs/spark.md.
 *
 * <pre>spark-submit --class dev.rld.spark.AttributeJob rld-spark.jar --policy model.onnx IN OUT</pre>
 */
public final class AttributeJob {
  /**
   * What a run did, and how long its phases took: attributing (the tasks, writing
   * {@code step_attributions}), the {@code attributions} table, and the sidecars.
   */
  public record Result(int recordings, long steps, List<String> skipped, String table, double attributeSeconds,
      double tableSeconds, double sidecarSeconds) {}

  private AttributeJob() {}

  public static void main(String[] args) {
    JobOptions options = new JobOptions();
    CommandLine cmd = new CommandLine(options).setCommandName("AttributeJob");
    try {
      cmd.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      cmd.usage(System.err);
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("rld attribute").getOrCreate();
    int code;
    try {
      code = runAndReport(spark, options, System.out);
    } finally {
      spark.stop();
    }
    System.exit(code);
  }

  /** Runs the job and prints what it did; returns the process exit code. */
  static int runAndReport(SparkSession spark, JobOptions options, PrintStream out) {
    try {
      Result r = run(spark, options);
      out.println("Attributed " + r.steps() + " steps of " + r.recordings() + " recordings; table " + r.table()
          + (r.skipped().isEmpty() ? "" : "; skipped " + r.skipped().size() + " (see " + options.out
          + "/skipped.txt)"));
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("rld: " + e.getMessage());
      return 1;
    }
  }

  /** Runs the job in {@code spark} (the same from Java as from spark-submit). */
  public static Result run(SparkSession spark, JobOptions options) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Listing listing = Listing.of(List.of(options.in), conf);
    listing.report();
    byte[] model = readAll(options.policy, conf);
    Space obs = listing.observationSpace;
    Space act = listing.actionSpace;
    String policyFingerprint;
    FeatureGroups features;
    String computation;
    // Check everything on the driver before any task starts: a bad option fails here, once.
    try (Policy policy = PolicyCache.load(model, options.policyOutput, act)) {
      policyFingerprint = policy.fingerprint();
      Attributor attributor = new Attributor(policy, obs, act);
      AttributionRequest request = options.request(options.baseline(obs, new float[obs.flatDim()]));
      features = attributor.features(request, options.groups(obs));
      attributor.check(request, features);
      computation = options.computation(request);
    } catch (Exception e) {
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Broadcast<byte[]> modelOnce = jsc.broadcast(model);
    Broadcast<Map<String, String>> confOnce = jsc.broadcast(Recordings.toMap(conf));
    List<String> files = listing.files.stream().map(Listing.FileInfo::file).toList();
    Map<String, float[]> means = options.baseline.equals("mean") ? means(jsc, files, confOnce, new SpaceRef(obs))
        : null;

    List<Work.Task> tasks = Work.plan(listing.files, options.stepsPerTask);
    JavaRDD<Row> rows = jsc.parallelize(tasks, Math.max(1, tasks.size()))
        .flatMap(new AttributionTask(options, modelOnce, confOnce, files, obs, act, means));
    String stepTable = options.out + "/step_attributions";
    spark.sparkContext().setJobDescription("rld: attributing " + listing.files.size() + " recordings");
    long t0 = System.nanoTime();
    spark.createDataFrame(rows, AttributionTask.SCHEMA).write().mode(SaveMode.Overwrite).parquet(stepTable);

    Dataset<Row> steps = spark.read().parquet(stepTable);
    List<String> skipped = new ArrayList<>();
    listing.skipped.forEach(s -> skipped.add(s.describe()));
    List<String> failed = new ArrayList<>();
    for (Row r : steps.where("error IS NOT NULL").select("file", "error").distinct().collectAsList()) {
      failed.add(r.getString(0));
      skipped.add("skipped " + r.getString(0) + ": " + r.getString(1));
      System.err.println("rld: skipped " + r.getString(0) + ": " + r.getString(1));
    }
    Dataset<Row> good = steps.where(functions.col("error").isNull()
        .and(functions.not(functions.col("file").isin(failed.toArray()))));

    long t1 = System.nanoTime();
    spark.sparkContext().setJobDescription("rld: the attributions table");
    int start = act instanceof Discrete d ? d.start() : 0;
    String table = options.out + "/attributions";
    good.select(functions.col("file"), functions.col("episode"), functions.col("step"),
            functions.col("features"), functions.posexplode(functions.col("raw")))
        .select(functions.col("file"), functions.col("episode"), functions.col("step"),
            functions.floor(functions.col("pos").divide(functions.col("features"))).cast("int")
                .plus(start).as("target"),
            functions.element_at(functions.lit(features.labels().toArray(String[]::new)),
                functions.col("pos").mod(functions.col("features")).plus(1).cast("int")).as("feature"),
            functions.col("col").as("raw"))
        .write().mode(SaveMode.Overwrite).parquet(table);

    long t2 = System.nanoTime();
    if (!options.noSidecars) {
      spark.sparkContext().setJobDescription("rld: writing sidecars");
      Map<String, String> fingerprints = new HashMap<>();
      listing.files.forEach(f -> fingerprints.put(f.file(), f.fingerprint()));
      good.where(functions.col("computation").equalTo(computation))
          .repartition(Math.max(1, Math.min(files.size(), 1000)), functions.col("file"))
          .sortWithinPartitions("file", "episode", "step")
          .foreachPartition(new SidecarWriter(confOnce, policyFingerprint, fingerprints));
    }
    long t3 = System.nanoTime();
    writeReport(options.out + "/skipped.txt", skipped, conf);
    long attributed = listing.files.stream().filter(f -> !failed.contains(f.file()))
        .mapToLong(Listing.FileInfo::steps).sum();
    modelOnce.destroy();
    return new Result(listing.files.size() - failed.size(), attributed, skipped, table, (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, (t3 - t2) / 1e9);
  }

  /** Each recording's mean flattened observation, summed in row order as {@code rld attribute} sums it. */
  private static Map<String, float[]> means(JavaSparkContext jsc, List<String> files,
      Broadcast<Map<String, String>> conf, SpaceRef observations) {
    jsc.sc().setJobDescription("rld: mean observations");
    List<float[]> means = jsc.parallelize(files, Math.max(1, files.size())).map(file -> {
      Space obs = observations.get();
      double[] sum = new double[obs.flatDim()];
      double[] row = new double[sum.length];
      long n = 0;
      try (RootAllocator allocator = new RootAllocator();
          FileBatches f = Recordings.open(file, Recordings.fromMap(conf.value()), allocator)) {
        for (int b = 0; b < f.batchCount(); b++) {
          try (FileBatches.Batch batch = f.read(b)) {
            for (int i = 0; i < batch.size(); i++) {
              obs.flatten(batch.rows().observation(i), row, 0);
              for (int j = 0; j < sum.length; j++) {
                sum[j] += row[j];
              }
              n++;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return null; // the attribution tasks will report the file
      }
      float[] mean = new float[sum.length];
      for (int j = 0; j < sum.length; j++) {
        mean[j] = n == 0 ? 0 : (float) (sum[j] / n);
      }
      return mean;
    }).collect();
    Map<String, float[]> out = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      out.put(files.get(i), means.get(i));
    }
    return out;
  }

  private static byte[] readAll(String file, Configuration conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new IOException(file + ": no such model file");
    }
    try (var in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  private static void writeReport(String file, List<String> lines, Configuration conf) throws IOException {
    Path p = new Path(file);
    try (var out = p.getFileSystem(conf).create(p, true)) {
      out.write((String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
