package dev.rld.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;

/**
 * One episode's recorded columns over its steps, downsampled on the server into buckets of
 * consecutive steps (min, max, mean per bucket; the return at each bucket's end), so the
 * timeline's plots of a 10 M-step episode draw from a few thousand numbers without fetching its
 * rows (docs/api.md, the series route). Read once, in slices, and kept.
 *
 * @param rows the episode's rows; {@code from}/{@code to} each bucket's rows (to excluded)
 * @param series reward, return, value, each action dimension and each named scalar
 */
record StepSeries(int rows, int[] from, int[] to, List<Line> series) {
  static final int DEFAULT_BUCKETS = 2000;
  static final int MAX_BUCKETS = 10_000;
  /**
   * Rows read at a time: bounds the memory of one computation whatever the episode's length, and
   * matches the writer's batches so that a slice is handed over from its batch, not copied.
   */
  static final int SLICE = 1_000;

  /** One recorded quantity per bucket; min/max/mean are null where a bucket has no value. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Line(String name, Double[] min, Double[] max, Double[] mean, Double[] last) {}

  /** Running min/max/sum per bucket of one quantity. */
  private static final class Acc {
    final String name;
    final double[] min;
    final double[] max;
    final double[] sum;
    final int[] count;

    Acc(String name, int buckets) {
      this.name = name;
      min = new double[buckets];
      max = new double[buckets];
      sum = new double[buckets];
      count = new int[buckets];
      java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    void add(int k, double v) {
      if (Double.isFinite(v)) {
        min[k] = Math.min(min[k], v);
        max[k] = Math.max(max[k], v);
        sum[k] += v;
        count[k]++;
      }
    }

    Line line() {
      int b = sum.length;
      Double[] lo = new Double[b];
      Double[] hi = new Double[b];
      Double[] mean = new Double[b];
      for (int k = 0; k < b; k++) {
        if (count[k] > 0) {
          lo[k] = min[k];
          hi[k] = max[k];
          mean[k] = sum[k] / count[k];
        }
      }
      return new Line(name, lo, hi, mean, null);
    }
  }

  static StepSeries of(Rollout rollout, int episode, int rows, int buckets) throws IOException {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw ApiException.badRequest("buckets must be between 1 and " + MAX_BUCKETS + ", got " + buckets);
    }
    int b = Math.max(1, Math.min(buckets, rows));
    int[] from = new int[b];
    int[] to = new int[b];
    for (int k = 0; k < b; k++) {
      from[k] = (int) ((long) k * rows / b);
      to[k] = (int) ((long) (k + 1) * rows / b);
    }
    Acc reward = new Acc("reward", b);
    Acc value = new Acc("value", b);
    List<Acc> actions = new ArrayList<>();
    Map<String, Acc> scalars = new LinkedHashMap<>();
    double[] returnAtEnd = new double[b];
    double ret = 0;
    Space act = rollout.actionSpace();
    int k = 0;
    for (int start = 0; start < rows; start += SLICE) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("series cancelled at row " + start);
      }
      try (Steps s = rollout.read(episode, start, Math.min(rows, start + SLICE))) {
        // The columns once per slice: row accessors would look each one up by name every row.
        Float8Vector rewards = (Float8Vector) s.arrow().getVector("rewards");
        Float4Vector values = (Float4Vector) s.arrow().getVector("value");
        IntVector discrete = act instanceof Discrete ? (IntVector) s.arrow().getVector("actions") : null;
        boolean hasScalars = s.has("scalars");
        for (int i = 0; i < s.size(); i++) {
          int row = start + i;
          while (row >= to[k]) {
            k++;
          }
          if (!rewards.isNull(i)) {
            double r = rewards.get(i);
            reward.add(k, r);
            ret += r;
          }
          returnAtEnd[k] = ret;
          if (values != null && !values.isNull(i)) {
            value.add(k, values.get(i));
          }
          double[] a = discrete != null ? (discrete.isNull(i) ? null : new double[] {discrete.get(i)})
              : actionValues(act, s.action(i));
          for (int d = 0; a != null && d < a.length; d++) {
            if (actions.size() <= d) {
              actions.add(new Acc(a.length == 1 ? "action" : "action[" + d + "]", b));
            }
            actions.get(d).add(k, a[d]);
          }
          if (hasScalars) {
            for (Map.Entry<String, Double> e : s.scalars(i).entrySet()) {
              scalars.computeIfAbsent(e.getKey(), n -> new Acc("scalar:" + n, b)).add(k, e.getValue());
            }
          }
        }
      }
    }
    List<Line> lines = new ArrayList<>();
    lines.add(reward.line());
    Double[] last = new Double[b];
    for (int j = 0; j < b; j++) {
      last[j] = returnAtEnd[j];
    }
    lines.add(new Line("return", null, null, null, last));
    if (value.count.length > 0 && java.util.Arrays.stream(value.count).sum() > 0) {
      lines.add(value.line());
    }
    actions.forEach(a -> lines.add(a.line()));
    scalars.values().forEach(a -> lines.add(a.line()));
    return new StepSeries(rows, from, to, lines);
  }

  /** An action as numbers: the Discrete value, each Box dimension, each sub-action; null on final rows. */
  private static double[] actionValues(Space space, Object action) {
    if (action == null) {
      return null;
    }
    if (space instanceof Discrete) {
      return new double[] {((Number) action).doubleValue()};
    }
    if (space instanceof MultiDiscrete) {
      long[] a = (long[]) action;
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = a[i];
      }
      return out;
    }
    if (space instanceof Box box) {
      return box.flatten(action);
    }
    return null; // Dict or Tuple actions: not plotted
  }
}
