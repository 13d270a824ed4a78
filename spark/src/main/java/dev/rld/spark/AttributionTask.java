package dev.rld.spark;

import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.attribution.StepAttribution;
import dev.rld.format.FileBatches;
import dev.rld.policy.Policy;
import dev.rld.space.Space;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One task of the attribution job, run on an executor: reads the record batches that hold its
 * steps, and calls today's {@link Attributor} exactly as {@code rld attribute} does. A task whose
 * recording turns out unreadable yields one row naming the file and the problem instead.
 */
final class AttributionTask implements FlatMapFunction<Work.Task, Row> {
  /** One row per step and computation, as a sidecar holds it; {@code error} rows report a failure. */
  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("file", DataTypes.StringType, false),
      DataTypes.createStructField("episode", DataTypes.IntegerType, false),
      DataTypes.createStructField("step", DataTypes.IntegerType, false),
      DataTypes.createStructField("computation", DataTypes.StringType, false),
      DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
      DataTypes.createStructField("features", DataTypes.IntegerType, false),
      DataTypes.createStructField("raw", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
      DataTypes.createStructField("at_baseline", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("stderr", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField("error", DataTypes.StringType, true)});

  private final JobOptions options;
  private final Broadcast<byte[]> model;
  private final Broadcast<Map<String, String>> hadoopConf;
  private final List<String> files;
  private final SpaceRef observationSpace;
  private final SpaceRef actionSpace;
  /** Each file's mean observation when the baseline is {@code mean}; else null. */
  private final Map<String, float[]> means;

  AttributionTask(JobOptions options, Broadcast<byte[]> model, Broadcast<Map<String, String>> hadoopConf,
      List<String> files, Space observationSpace, Space actionSpace, Map<String, float[]> means) {
    this.options = options;
    this.model = model;
    this.hadoopConf = hadoopConf;
    this.files = files;
    this.observationSpace = new SpaceRef(observationSpace);
    this.actionSpace = new SpaceRef(actionSpace);
    this.means = means;
  }

  /**
   * A local property (set on the driver with {@code SparkContext.setLocalProperty}) that makes
   * every task's first attempt fail halfway through its rows, after some were handed to the
   * writer: how the tests show that a retried task adds no row twice.
   */
  static final String FAIL_FIRST_ATTEMPTS = "rld.failFirstAttempts";

  @Override
  public Iterator<Row> call(Work.Task task) {
    String file = files.get(task.file());
    try {
      List<Row> rows = attribute(file, task);
      org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
      if (context != null && context.attemptNumber() == 0 && "true".equals(context.getLocalProperty(FAIL_FIRST_ATTEMPTS))) {
        return failingHalfway(rows);
      }
      return rows.iterator();
    } catch (java.util.concurrent.CancellationException e) {
      throw e; // Spark is killing the task: let it go
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      return List.of(RowFactory.create(file, -1, -1, "", null, new double[0], 0, new double[0], null, null,
          reason)).iterator();
    }
  }

  private List<Row> attribute(String file, Work.Task task) throws IOException {
    Space observationSpace = this.observationSpace.get();
    Space actionSpace = this.actionSpace.get();
    Policy policy = PolicyCache.get(model.value(), options.policyOutput, actionSpace);
    Attributor attributor = new Attributor(policy, observationSpace, actionSpace);
    AttributionRequest request = options.request(options.baseline(observationSpace,
        means == null ? null : means.get(file)));
    FeatureGroups groups = attributor.features(request, options.groups(observationSpace));
    String computation = options.computation(request);
    List<Row> out = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        FileBatches batches = Recordings.open(file, Recordings.fromMap(hadoopConf.value()), allocator)) {
      List<float[][]> inputs = observations(batches, task.calls());
      for (int c = 0; c < task.calls().size(); c++) {
        Work.Call call = task.calls().get(c);
        int[] steps = new int[call.to() - call.from()];
        for (int i = 0; i < steps.length; i++) {
          steps[i] = call.from() + i;
        }
        for (StepAttribution a : attributor.attribute(request, groups, inputs.get(c), steps, n -> { })) {
          out.add(RowFactory.create(file, call.episode(), a.step(), computation, a.probabilities(), a.values(),
              a.raw().length == 0 ? 0 : a.raw()[0].length, flat(a.raw()), a.atBaseline(),
              a.stderr() == null ? null : flat(a.stderr()), null));
        }
      }
    }
    return out;
  }

  /**
   * The flattened observations of each call (as {@code rld attribute} flattens them), read
   * batch by batch: the task's steps are consecutive rows of the file.
   */
  private List<float[][]> observations(FileBatches batches, List<Work.Call> calls) throws IOException {
    Space observationSpace = this.observationSpace.get();
    List<float[][]> out = new ArrayList<>();
    for (Work.Call call : calls) {
      out.add(new float[call.to() - call.from()][]);
    }
    long first = batches.firstRow(calls.get(0).episode()) + calls.get(0).from();
    Work.Call lastCall = calls.get(calls.size() - 1);
    long end = batches.firstRow(lastCall.episode()) + lastCall.to();
    int c = 0;
    for (int b = batchOf(batches, first); b < batches.batchCount() && batches.batchStart(b) < end; b++) {
      if (batches.batchRows(b) == 0) {
        continue;
      }
      try (FileBatches.Batch batch = batches.read(b)) {
        for (int i = 0; i < batch.size(); i++) {
          long row = batches.batchStart(b) + i;
          if (row < first || row >= end) {
            continue;
          }
          while (c < calls.size() && !(batch.episode(i) == calls.get(c).episode()
              && batch.step(i) >= calls.get(c).from() && batch.step(i) < calls.get(c).to())) {
            c++;
          }
          if (c == calls.size()) {
            throw new IOException("row " + row + " (episode " + batch.episode(i) + ", step " + batch.step(i)
                + ") lies outside the episodes the footer index describes");
          }
          Work.Call call = calls.get(c);
          out.get(c)[batch.step(i) - call.from()] = toFloats(observationSpace.flatten(batch.rows().observation(i)));
        }
      }
    }
    return out;
  }

  private static int batchOf(FileBatches batches, long row) {
    int b = 0;
    while (b + 1 < batches.batchCount() && batches.batchStart(b + 1) <= row) {
      b++;
    }
    return b;
  }

  static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static double[] flat(double[][] rows) {
    int m = rows.length == 0 ? 0 : rows[0].length;
    double[] out = new double[rows.length * m];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(rows[k], 0, out, k * m, m);
    }
    return out;
  }

  private static Iterator<Row> failingHalfway(List<Row> rows) {
    Iterator<Row> first = rows.subList(0, rows.size() / 2).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (!first.hasNext()) {
          throw new IllegalStateException("a first attempt failed on purpose (" + FAIL_FIRST_ATTEMPTS + ")");
        }
        return true;
      }

      @Override
      public Row next() {
        hasNext();
        return first.next();
      }
    };
  }
}
