package dev.rld.spark;

import dev.rld.attribution.Sidecar;
import dev.rld.attribution.StepAttribution;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Writes each recording's {@code NAME.attributions.arrow} beside it, from the job's step rows of
 * that recording (a partition holds whole recordings, sorted by episode and step). Keeps what
 * an earlier run stored there for other computations with the same policy and data, as
 * {@code rld attribute} does. Each sidecar is written whole to a local file, copied beside the
 * recording under a temporary name and renamed: a retried task rewrites it, never half of it.
 */
final class SidecarWriter implements ForeachPartitionFunction<Row> {
  private final Broadcast<Map<String, String>> hadoopConf;
  private final String policyFingerprint;
  /** Each recording's fingerprint, as {@code Rollout.fingerprint()} gives it. */
  private final Map<String, String> fingerprints;

  SidecarWriter(Broadcast<Map<String, String>> hadoopConf, String policyFingerprint, Map<String, String> fingerprints) {
    this.hadoopConf = hadoopConf;
    this.policyFingerprint = policyFingerprint;
    this.fingerprints = fingerprints;
  }

  @Override
  public void call(Iterator<Row> rows) throws IOException {
    Configuration conf = Recordings.fromMap(hadoopConf.value());
    String file = null;
    List<Sidecar.Entry> entries = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      if (file != null && !file.equals(r.getString(0))) {
        write(file, entries, conf);
        entries = new ArrayList<>();
      }
      file = r.getString(0);
      entries.add(entry(r));
    }
    if (file != null) {
      write(file, entries, conf);
    }
  }

  private static Sidecar.Entry entry(Row r) {
    double[] values = doubles(r, 5);
    int m = r.getInt(6);
    double[] raw = doubles(r, 7);
    double[] stderr = r.isNullAt(9) ? null : doubles(r, 9);
    return new Sidecar.Entry(r.getInt(1), r.getString(3), new StepAttribution(r.getInt(2),
        r.isNullAt(4) ? null : doubles(r, 4), values, split(raw, values.length, m), r.isNullAt(8) ? null
        : doubles(r, 8), stderr == null ? null : split(stderr, values.length, m)));
  }

  private static double[][] split(double[] flat, int targets, int m) {
    double[][] out = new double[targets][];
    for (int k = 0; k < targets; k++) {
      out[k] = java.util.Arrays.copyOfRange(flat, k * m, (k + 1) * m);
    }
    return out;
  }

  private static double[] doubles(Row r, int i) {
    List<Object> list = r.getList(i);
    double[] out = new double[list.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = (Double) list.get(j);
    }
    return out;
  }

  private void write(String recording, List<Sidecar.Entry> fresh, Configuration conf) throws IOException {
    Path target = sidecarOf(new Path(recording));
    FileSystem fs = target.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRawFileSystem(); // no .crc files beside the recordings
    }
    String data = fingerprints.get(recording);
    java.nio.file.Path tmp = Files.createTempFile("rld-sidecar-", ".arrow");
    try {
      List<Sidecar.Entry> merged = new ArrayList<>();
      if (fs.exists(target)) {
        fs.copyToLocalFile(false, target, new Path(tmp.toUri()), true);
        Sidecar.Contents old = Sidecar.read(tmp);
        if (old.policyFingerprint().equals(policyFingerprint) && data.equals(old.recordingFingerprint())) {
          Set<String> redone = new HashSet<>();
          fresh.forEach(e -> redone.add(e.episode() + "|" + e.computation() + "|" + e.attribution().step()));
          old.entries().stream()
              .filter(e -> !redone.contains(e.episode() + "|" + e.computation() + "|" + e.attribution().step()))
              .forEach(merged::add);
        }
      }
      merged.addAll(fresh);
      Sidecar.write(tmp, policyFingerprint, data, merged);
      Path partial = new Path(target.getParent(), target.getName() + ".partial");
      fs.copyFromLocalFile(false, true, new Path(tmp.toUri()), partial);
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("could not rename " + partial + " to " + target);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** {@code NAME.attributions.arrow} beside {@code NAME.arrow}, as {@link Sidecar#pathFor} names it. */
  static Path sidecarOf(Path recording) {
    String name = recording.getName();
    String stem = name.endsWith(".arrow") ? name.substring(0, name.length() - ".arrow".length()) : name;
    return new Path(recording.getParent(), stem + ".attributions.arrow");
  }
}
