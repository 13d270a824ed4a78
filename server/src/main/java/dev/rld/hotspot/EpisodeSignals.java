package dev.rld.hotspot;

import dev.rld.attribution.Attributor;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What the detectors look at in one episode, read once from its rows in slices: per step the
 * reward, the recorded action and what the agent's recorded distribution said of it, per row
 * the value estimate, and (with a policy attached) the policy's own choice. Observations are
 * decoded only to evaluate an attached policy, and not kept.
 */
public final class EpisodeSignals {
  /** Rows read at a time: bounds memory whatever the episode's length (the writer's batch size). */
  static final int SLICE = 1_000;
  /** Heap bytes per row the signals hold at most: what a caller budgets an episode by. */
  public static final int BYTES_PER_ROW = 64;

  final int episode;
  final int rows;
  final int steps;
  final boolean terminated;
  final boolean truncated;
  /** The Discrete action space, or null for any other. */
  final Discrete discrete;
  final String actionSpaceName;
  final double[] rewards;
  /** Recorded action index (value − start) per step; -1 when not Discrete. */
  final int[] actions;
  /** From {@code action_probabilities}, NaN where not recorded; all null without the column. */
  float[] picked;
  float[] margin;
  float[] entropy;
  /** Argmax of the recorded probabilities, else of the logits; -1 where neither; null without both. */
  int[] greedy;
  /** The value estimate per row, NaN where null (always on the final row); null without the column. */
  float[] values;
  /** The attached policy's greedy action and its probabilities of that and of the recorded action. */
  int[] policyGreedy;
  float[] policyBest;
  float[] policyPicked;
  /** Why the policy was not evaluated; null when it was. */
  String policyWhy;
  boolean hasProbabilities;
  boolean hasLogits;

  EpisodeSignals(int episode, int rows, int steps, boolean terminated, boolean truncated, Space actionSpace) {
    this.episode = episode;
    this.rows = rows;
    this.steps = steps;
    this.terminated = terminated;
    this.truncated = truncated;
    this.discrete = actionSpace instanceof Discrete d ? d : null;
    this.actionSpaceName = actionSpace.typeName();
    this.rewards = new double[steps];
    this.actions = new int[steps];
    Arrays.fill(actions, -1);
  }

  /**
   * Budget for evaluating an attached policy on an episode's observations.
   *
   * @param maxRows most observations the policy may be asked for
   * @param maxValues most flattened observation values (rows × observation length)
   * @param batchValues most values in one policy call (bounds the memory of a batch of images)
   */
  public record PolicyBudget(long maxRows, long maxValues, long batchValues) {
    /** With the attributions' batch bound, {@link Attributor#MAX_BATCH_VALUES}. */
    public PolicyBudget(long maxRows, long maxValues) {
      this(maxRows, maxValues, Attributor.MAX_BATCH_VALUES);
    }
  }

  /**
   * Reads episode {@code episode} of {@code rollout}. With a {@code policy} (may be null) and a
   * Discrete action space, the policy is evaluated on every recorded observation, one slice per
   * batch, when the episode fits {@code budget}. Stops with a {@link CancellationException}
   * between slices when the thread is interrupted.
   */
  public static EpisodeSignals read(Rollout rollout, int episode, Policy policy, PolicyBudget budget)
      throws IOException {
    EpisodeSummary e = rollout.episodes().get(episode);
    Space act = rollout.actionSpace();
    EpisodeSignals s = new EpisodeSignals(episode, e.observations(), e.length(), e.terminated(), e.truncated(), act);
    Schema schema = rollout.schema(episode);
    s.hasProbabilities = has(schema, "action_probabilities");
    s.hasLogits = has(schema, "action_logits");
    if (s.hasProbabilities && s.discrete != null) {
      s.picked = nan(s.steps);
      s.margin = nan(s.steps);
      s.entropy = nan(s.steps);
    }
    if ((s.hasProbabilities || s.hasLogits) && s.discrete != null) {
      s.greedy = new int[s.steps];
      Arrays.fill(s.greedy, -1);
    }
    if (has(schema, "value")) {
      s.values = nan(s.rows);
    }
    s.policyWhy = policyWhy(rollout, s, policy, budget);
    if (s.policyWhy == null) {
      s.policyGreedy = new int[s.steps];
      s.policyBest = nan(s.steps);
      s.policyPicked = nan(s.steps);
    }
    for (int start = 0; start < s.rows; start += SLICE) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("hotspots cancelled at row " + start);
      }
      try (Steps slice = rollout.read(episode, start, Math.min(s.rows, start + SLICE))) {
        s.take(slice, start);
        if (s.policyGreedy != null) {
          s.evaluate(policy, rollout.observationSpace(), slice, start, budget.batchValues());
        }
      }
    }
    return s;
  }

  private static boolean has(Schema schema, String column) {
    return schema.getFields().stream().anyMatch(f -> f.getName().equals(column));
  }

  private static String policyWhy(Rollout rollout, EpisodeSignals s, Policy policy, PolicyBudget budget) {
    if (policy == null) {
      return "no policy is attached to this recording (rld serve --policy model.onnx)";
    }
    if (s.discrete == null || policy.output() == Policy.Output.ACTIONS) {
      return "the action space is " + s.actionSpaceName + "; comparing greedy actions needs a Discrete one";
    }
    long values = (long) s.steps * rollout.observationSpace().flatDim();
    if (s.steps > budget.maxRows() || values > budget.maxValues()) {
      return "evaluating the policy on this episode's " + s.steps + " observations (" + values
          + " values) is over the server's budget of " + budget.maxRows() + " observations and "
          + budget.maxValues() + " values per request";
    }
    return null;
  }

  private static float[] nan(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  /** The columns of rows [start, start + slice.size()). */
  private void take(Steps slice, int start) {
    for (int i = 0; i < slice.size(); i++) {
      int row = start + i;
      if (values != null) {
        Float v = slice.value(i);
        values[row] = v == null ? Float.NaN : v;
      }
      if (row >= steps) {
        continue; // the final row: no action, reward or distribution
      }
      Double r = slice.reward(i);
      rewards[row] = r == null ? 0 : r;
      Object a = slice.action(i);
      if (discrete != null && a != null) {
        actions[row] = ((Number) a).intValue() - discrete.start();
      }
      float[] p = picked == null ? null : slice.probabilities(i);
      if (p != null) {
        takeDistribution(row, p);
      } else if (greedy != null && hasLogits) {
        float[] z = slice.logits(i);
        greedy[row] = z == null ? -1 : argmax(z);
      }
    }
  }

  private void takeDistribution(int row, float[] p) {
    int a = actions[row];
    picked[row] = a >= 0 && a < p.length ? p[a] : Float.NaN;
    int best = argmax(p);
    float second = Float.NEGATIVE_INFINITY;
    double h = 0;
    for (int k = 0; k < p.length; k++) {
      if (k != best) {
        second = Math.max(second, p[k]);
      }
      if (p[k] > 0) {
        h -= p[k] * Math.log(p[k]);
      }
    }
    greedy[row] = best;
    margin[row] = p.length < 2 ? 1 : p[best] - second;
    entropy[row] = p.length < 2 ? 0 : (float) (h / Math.log(p.length));
  }

  /** The attached policy's choice at the step rows of one slice: one batch (several for large images). */
  private void evaluate(Policy policy, Space observationSpace, Steps slice, int start, long batchValues) {
    int d = observationSpace.flatDim();
    int n = Math.min(slice.size(), steps - start);
    int batch = (int) Math.max(1, Math.min(SLICE, batchValues / Math.max(1, d)));
    for (int from = 0; from < n; from += batch) {
      evaluate(policy, observationSpace, slice, start, from, Math.min(n, from + batch));
    }
  }

  /** The policy on rows [from, to) of a slice that starts at step {@code start}. */
  private void evaluate(Policy policy, Space observationSpace, Steps slice, int start, int from, int to) {
    int d = observationSpace.flatDim();
    int n = to - from;
    float[] x = new float[n * d];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      observationSpace.flatten(slice.observation(from + i), row, 0);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) row[j];
      }
    }
    float[] out = policy.evaluate(x, n);
    int k = policy.outputSize();
    for (int i = 0; i < n; i++) {
      double[] p = probabilities(out, i * k, k, policy.output() == Policy.Output.LOGITS);
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (p[j] > p[best]) {
          best = j;
        }
      }
      int t = start + from + i;
      policyGreedy[t] = best;
      policyBest[t] = (float) p[best];
      policyPicked[t] = actions[t] >= 0 && actions[t] < k ? (float) p[actions[t]] : Float.NaN;
    }
  }

  /** The policy's outputs at {@code at} as probabilities: softmax of logits, else as given. */
  private static double[] probabilities(float[] out, int at, int k, boolean logits) {
    double[] p = new double[k];
    if (!logits) {
      for (int j = 0; j < k; j++) {
        p[j] = out[at + j];
      }
      return p;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, out[at + j]);
    }
    double sum = 0;
    for (int j = 0; j < k; j++) {
      p[j] = Math.exp(out[at + j] - max);
      sum += p[j];
    }
    for (int j = 0; j < k; j++) {
      p[j] /= sum;
    }
    return p;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The action value (start + index) of action index {@code k}, as the recording names it. */
  int actionValue(int k) {
    return discrete == null ? k : discrete.start() + k;
  }

  /** The recorded action's index within a Discrete space (value − start) at {@code step}; -1 for other spaces. */
  public int actionIndex(int step) {
    return actions[step];
  }

  /** Number of step rows (actions taken). */
  public int steps() {
    return steps;
  }

  /** Number of rows (observations). */
  public int rows() {
    return rows;
  }
}
