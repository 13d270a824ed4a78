package dev.rld.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.PolicyHead;
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.policy.PolicyFit;
import dev.rld.space.Box;
import dev.rld.space.Space;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Where two policies attached to one recording disagree: both are evaluated on every recorded
 * observation of an episode (in large batches), and each step gets both greedy actions, whether
 * they differ, and the distance between the two answers: the total variation distance between
 * the action distributions for discrete actions (averaged over a MultiDiscrete's sub-actions),
 * the Euclidean distance between the action means for Box actions. Knows nothing of HTTP.
 */
final class Disagreement {
  /** Most rows one request may ask for (as the steps route). */
  static final int MAX_STEPS = ServedRollout.MAX_STEPS_PER_REQUEST;
  /** Rows evaluated and cached together: a request computes only the blocks not cached. */
  static final int BLOCK_ROWS = 1000;
  /** Heap for cached outputs of both policies, per recording (CartPole: 16 bytes a row). */
  static final long CACHE_BYTES = 32L << 20;
  /** Box actions "differ" where some dimension's means differ by more than this share of its range. */
  static final double BOX_TOLERANCE = 0.05;

  private final ServedRollout served;
  private final Policy a;
  private final Policy b;
  private final PolicyHead headA;
  private final PolicyHead headB;
  private final boolean continuous;
  /** Both policies' raw outputs per (episode, block): {outputs of A, outputs of B}. */
  private final Cache<Long, float[][]> blocks = Caffeine.newBuilder()
      .maximumWeight(CACHE_BYTES)
      .weigher((Long k, float[][] v) -> 64 + 4 * (v[0].length + v[1].length))
      .build();

  Disagreement(ServedRollout served, Policy a, Policy b) {
    this.served = served;
    this.a = a;
    this.b = b;
    Space actions = served.rollout.actionSpace();
    this.headA = PolicyHead.of(a, actions, AttributionRequest.OutputKind.PROBABILITY);
    this.headB = PolicyHead.of(b, actions, AttributionRequest.OutputKind.PROBABILITY);
    this.continuous = actions instanceof Box;
  }

  /** What the distance measures: "total-variation" (discrete actions) or "euclidean" (Box). */
  String measure() {
    return continuous ? "euclidean" : "total-variation";
  }

  /** One step: both greedy actions (Box: the action means), whether they differ, the distance. */
  record Step(int step, Object greedyA, Object greedyB, boolean differs, double distance) {}

  /**
   * Checks and prices rows [from, to) of an episode before any work (400, 404, 413), as
   * attributions are: both policies' evaluations of the rows not cached, and the answer's size.
   */
  int[] prepare(int episode, Integer from, Integer to, Limits limits) {
    int[] r = served.range(episode, from, to, MAX_STEPS);
    long missing = 0;
    for (int block = r[0] / BLOCK_ROWS; block * (long) BLOCK_ROWS < r[1]; block++) {
      if (blocks.getIfPresent(key(episode, block)) == null) {
        missing += blockEnd(episode, block) - block * BLOCK_ROWS;
      }
    }
    int actionValues = continuous ? a.outputSize() : PolicyFit.segments(served.rollout.actionSpace()).length;
    Cost.checkEvaluations(missing, 2, a.inputSize(), r[1] - r[0], 64 + 2L * actionValues * 24, limits, r);
    return r;
  }

  /** The steps of rows [from, to) (checked by {@link #prepare}); evaluates what the cache lacks. */
  List<Step> steps(int episode, int[] range) throws IOException {
    List<Step> out = new ArrayList<>(range[1] - range[0]);
    for (int block = range[0] / BLOCK_ROWS; block * (long) BLOCK_ROWS < range[1]; block++) {
      float[][] outputs = block(episode, block);
      int first = block * BLOCK_ROWS;
      for (int row = Math.max(first, range[0]); row < Math.min(range[1], first + outputs[0].length / a.outputSize());
          row++) {
        out.add(step(row, outputs, row - first));
      }
    }
    return out;
  }

  /** The JSON answer of the disagreement route. */
  Map<String, Object> answer(int episode, int[] range) throws IOException {
    List<Step> steps = steps(episode, range);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("episode", episode);
    m.put("a", a.name());
    m.put("b", b.name());
    m.put("measure", measure());
    m.put("from", range[0]);
    m.put("to", range[1]);
    m.put("steps", steps);
    m.put("disagreeing", steps.stream().filter(Step::differs).count());
    return m;
  }

  private Step step(int step, float[][] outputs, int r) {
    if (continuous) {
      double[] meanA = headA.values(outputs[0], r);
      double[] meanB = headB.values(outputs[1], r);
      Box box = (Box) served.rollout.actionSpace();
      double squares = 0;
      boolean differs = false;
      for (int i = 0; i < meanA.length; i++) {
        double d = meanA[i] - meanB[i];
        squares += d * d;
        double range = box.high()[i] - box.low()[i];
        differs |= Math.abs(d) > BOX_TOLERANCE * (Double.isFinite(range) ? range : 1);
      }
      return new Step(step, meanA, meanB, differs, Math.sqrt(squares));
    }
    double[] p = headA.probabilities(outputs[0], r);
    double[] q = headB.probabilities(outputs[1], r);
    Object greedyA = served.greedyAction(p);
    Object greedyB = served.greedyAction(q);
    int[] segments = PolicyFit.segments(served.rollout.actionSpace());
    double distance = 0;
    int at = 0;
    for (int segment : segments) {
      double sum = 0;
      for (int i = at; i < at + segment; i++) {
        sum += Math.abs(p[i] - q[i]);
      }
      distance += sum / 2;
      at += segment;
    }
    boolean differs = greedyA instanceof long[] ga ? !Arrays.equals(ga, (long[]) greedyB)
        : !greedyA.equals(greedyB);
    return new Step(step, greedyA, greedyB, differs, distance / segments.length);
  }

  /** Drops the blocks of {@code episode}, or all when negative (the recording grew). */
  void forget(int episode) {
    if (episode < 0) {
      blocks.invalidateAll();
    } else {
      blocks.asMap().keySet().removeIf(k -> (int) (k >>> 32) == episode);
    }
  }

  private static long key(int episode, int block) {
    return (long) episode << 32 | block;
  }

  private int blockEnd(int episode, int block) {
    return (int) Math.min(served.episode(episode).observations(), (block + 1L) * BLOCK_ROWS);
  }

  /** Block {@code block}'s outputs of both policies, from the cache or evaluated now. */
  private float[][] block(int episode, int block) throws IOException {
    float[][] cached = blocks.getIfPresent(key(episode, block));
    if (cached != null) {
      return cached;
    }
    int from = block * BLOCK_ROWS;
    int to = blockEnd(episode, block);
    int d = a.inputSize();
    float[] x = new float[(to - from) * d];
    Space obs = served.rollout.observationSpace();
    try (Steps s = served.rollout.read(episode, from, to)) {
      double[] row = new double[d];
      for (int i = 0; i < s.size(); i++) {
        obs.flatten(s.observation(i), row, 0);
        for (int j = 0; j < d; j++) {
          x[i * d + j] = (float) row[j];
        }
      }
    }
    float[][] outputs = {evaluate(a, x, to - from), evaluate(b, x, to - from)};
    blocks.put(key(episode, block), outputs);
    return outputs;
  }

  /** {@code policy} on {@code rows} observations, in calls no larger than an attribution batch. */
  private static float[] evaluate(Policy policy, float[] x, int rows) {
    int d = policy.inputSize();
    int perCall = (int) Math.max(1, Math.min(1 << 16, Attributor.MAX_BATCH_VALUES / Math.max(1, d)));
    float[] out = new float[rows * policy.outputSize()];
    for (int r = 0; r < rows; r += perCall) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("disagreement cancelled after " + r + " of " + rows + " rows");
      }
      int n = Math.min(perCall, rows - r);
      float[] part = r == 0 && n == rows ? x : Arrays.copyOfRange(x, r * d, (r + n) * d);
      System.arraycopy(policy.evaluate(part, n), 0, out, r * policy.outputSize(), n * policy.outputSize());
    }
    return out;
  }
}
