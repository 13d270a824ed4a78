package dev.rld.landscape;

import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.OverBudgetException;
import dev.rld.attribution.PolicyHead;
import dev.rld.policy.Policy;
import dev.rld.policy.PolicyFit;
import dev.rld.space.Space;
import java.util.Arrays;

/**
 * A policy's landscape over two features of the flattened observation: features {@code x} and
 * {@code y} swept over a grid, every other element held at a given observation, and per cell the
 * explained value of one target (an action's probability or logit, a continuous action's mean,
 * or the value head's V(s)) and the greedy action. The whole grid is one policy batch, so a grid
 * costs about what one attributions step of as many perturbations costs.
 */
public final class PolicyLandscape {
  /** Most values along one axis. */
  public static final int MAX_RESOLUTION = 256;

  private final Policy policy;
  private final Space observationSpace;
  private final Space actionSpace;

  public PolicyLandscape(Policy policy, Space observationSpace, Space actionSpace) {
    PolicyFit.check(policy, observationSpace, actionSpace);
    this.policy = policy;
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
  }

  /** One swept feature: its flat index, its range (null: the space's bounds) and how many values at most. */
  public record Axis(int feature, Double from, Double to, int resolution) {}

  /**
   * What one cell reports: an output of the policy (its index), the value head, or each cell's
   * own greedy action (how sure the policy is of the move it makes there: a board's arrows).
   */
  public record Target(Integer output, boolean value, boolean perCell) {
    /** The policy's greedy action at the given observation (continuous actions: dimension 0). */
    public static final Target GREEDY = new Target(null, false, false);
    public static final Target VALUE = new Target(null, true, false);
    /** Each cell's own greedy action (discrete actions; MultiDiscrete: the first sub-action). */
    public static final Target CELL_GREEDY = new Target(null, false, true);

    public static Target output(int index) {
      return new Target(index, false, false);
    }
  }

  /**
   * The landscape: {@code x} and {@code y} hold the swept values ({@code values[j][i]} is the cell
   * at {@code y[j]}, {@code x[i]}); {@code at} the given observation's own values of the two
   * features; {@code actions} the greedy action per cell (the target's sub-action for
   * MultiDiscrete; null for continuous actions); {@code target} what the values are of: the
   * policy output's index, or "value"; {@code output} probability, logit, action or value.
   */
  public record Answer(String xFeature, String yFeature, double[] x, double[] y, double[] at, Object target,
      String output, double[][] values, long[][] actions) {}

  /**
   * Sweeps {@code x} and {@code y} around {@code observation} (flattened, a member of the space).
   * Throws IllegalArgumentException naming what is wrong with an axis or target, and
   * OverBudgetException when the grid times the observation length exceeds one batch.
   */
  public Answer sweep(float[] observation, Axis x, Axis y, Target target, OutputKind output) {
    SweptFeature fx = SweptFeature.of(observationSpace, x.feature());
    SweptFeature fy = SweptFeature.of(observationSpace, y.feature());
    if (fx.blockFrom() == fy.blockFrom()) {
      throw new IllegalArgumentException("x and y sweep the same feature (" + label(fx) + "): pick two");
    }
    double[] xs = AxisValues.of(fx, x, "x", label(fx));
    double[] ys = AxisValues.of(fy, y, "y", label(fy));
    int d = policy.inputSize();
    int cells = xs.length * ys.length;
    // the observation itself rides along as the last row: its greedy action is the default target
    int rows = cells + 1;
    if ((long) rows * d > Attributor.MAX_BATCH_VALUES) {
      int side = (int) Math.floor(Math.sqrt((double) Attributor.MAX_BATCH_VALUES / d - 1));
      throw new OverBudgetException("a " + xs.length + "×" + ys.length + " landscape of a " + d + "-value observation "
          + "needs " + (long) rows * d + " values in one policy batch; at most " + Attributor.MAX_BATCH_VALUES
          + " (a resolution of at most [" + side + ", " + side + "] here)");
    }
    float[] inputs = new float[rows * d];
    for (int j = 0; j < ys.length; j++) {
      for (int i = 0; i < xs.length; i++) {
        int at = (j * xs.length + i) * d;
        System.arraycopy(observation, 0, inputs, at, d);
        set(inputs, at, fx, xs[i]);
        set(inputs, at, fy, ys[j]);
      }
    }
    System.arraycopy(observation, 0, inputs, cells * d, d);
    float[] outputs = policy.evaluate(inputs, rows);
    PolicyHead head = PolicyHead.of(policy, actionSpace, output);
    int index = targetIndex(target, head, outputs, cells);
    Policy valueHead = target.value() ? valueHead() : null;
    float[] values = valueHead == null ? null : valueHead.evaluate(inputs, rows);
    int[] segment = segmentOf(target.value() || target.perCell() ? 0 : index);
    double[][] grid = new double[ys.length][xs.length];
    long[][] actions = head.continuous() ? null : new long[ys.length][xs.length];
    for (int j = 0; j < ys.length; j++) {
      for (int i = 0; i < xs.length; i++) {
        int r = j * xs.length + i;
        if (actions != null) {
          actions[j][i] = greedy(outputs, r, segment);
        }
        int shown = target.perCell() ? segment[0] + (int) (actions[j][i] - segment[2]) : index;
        grid[j][i] = values != null ? values[r] : head.values(outputs, r)[shown];
      }
    }
    double[] at = {valueOf(observation, fx), valueOf(observation, fy)};
    Object what = target.value() ? "value" : target.perCell() ? "greedy" : index;
    String kind = target.value() ? "value" : head.continuous() ? "action" : output.name().toLowerCase();
    return new Answer(label(fx), label(fy), xs, ys, at, what, kind, grid, actions);
  }

  private Policy valueHead() {
    Policy v = policy.valueHead();
    if (v == null) {
      throw new IllegalArgumentException("target \"value\" needs a policy with a value head: an ONNX model with a "
          + "second output (or one named value) holding one value per row; this policy has none");
    }
    return v;
  }

  private int targetIndex(Target target, PolicyHead head, float[] outputs, int observationRow) {
    if (target.value()) {
      return 0;
    }
    if (target.perCell() && head.continuous()) {
      throw new IllegalArgumentException("target \"greedy\" needs discrete actions; give a dimension index for "
          + "continuous ones");
    }
    if (target.output() == null) {
      if (head.continuous()) {
        return 0;
      }
      double[] p = head.probabilities(outputs, observationRow);
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k] > p[best] ? k : best;
      }
      return best;
    }
    int k = target.output();
    if (k < 0 || k >= policy.outputSize()) {
      throw new IllegalArgumentException("target " + k + " is not an output of the policy (0 to "
          + (policy.outputSize() - 1) + ", or \"value\")");
    }
    return k;
  }

  /** {first output, size, first action value} of the softmax segment (sub-action) holding output {@code k}. */
  private int[] segmentOf(int k) {
    int[] sizes = PolicyFit.segments(actionSpace);
    long[] starts = actionSpace instanceof dev.rld.space.MultiDiscrete m ? m.start()
        : actionSpace instanceof dev.rld.space.Discrete d ? new long[] {d.start()} : new long[0];
    int at = 0;
    for (int s = 0; s < sizes.length; s++) {
      if (k < at + sizes[s]) {
        return new int[] {at, sizes[s], (int) starts[s]};
      }
      at += sizes[s];
    }
    return new int[] {0, 0, 0};
  }

  /** The greedy action of row {@code r} within a segment (its logits or probabilities rank alike). */
  private long greedy(float[] outputs, int r, int[] segment) {
    int base = r * policy.outputSize() + segment[0];
    int best = 0;
    for (int k = 1; k < segment[1]; k++) {
      best = outputs[base + k] > outputs[base + best] ? k : best;
    }
    return segment[2] + best;
  }

  private static void set(float[] inputs, int at, SweptFeature f, double v) {
    if (f.kind() == SweptFeature.Kind.ONE_HOT) {
      Arrays.fill(inputs, at + f.blockFrom(), at + f.blockFrom() + f.blockSize(), 0f);
      inputs[at + f.blockFrom() + (int) Math.round(v - f.low())] = 1f;
    } else {
      inputs[at + f.index()] = (float) v;
    }
  }

  /** The observation's value of a swept feature: a one-hot block's value, else the element. */
  private static double valueOf(float[] observation, SweptFeature f) {
    if (f.kind() != SweptFeature.Kind.ONE_HOT) {
      return observation[f.index()];
    }
    int best = 0;
    for (int k = 1; k < f.blockSize(); k++) {
      best = observation[f.blockFrom() + k] > observation[f.blockFrom() + best] ? k : best;
    }
    return f.low() + best;
  }

  /** A feature's label; a one-hot block's without the value ("pos[1]=2" sweeps "pos[1]"). */
  private String label(SweptFeature f) {
    var feature = observationSpace.features().get(f.kind() == SweptFeature.Kind.ONE_HOT ? f.blockFrom() : f.index());
    String label = feature.label();
    if (f.kind() != SweptFeature.Kind.ONE_HOT) {
      return label;
    }
    int eq = label.lastIndexOf('=');
    // a Discrete with its own value names ("left", "right") is named by its Dict key, if any
    return eq > 0 ? label.substring(0, eq) : feature.group().isEmpty() ? "observation" : feature.group();
  }
}
