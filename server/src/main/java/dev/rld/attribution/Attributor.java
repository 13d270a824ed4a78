package dev.rld.attribution;

import dev.rld.attribution.AttributionRequest.Method;
import dev.rld.policy.Policy;
import dev.rld.policy.PolicyFit;
import dev.rld.space.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;

/**
 * Computes perturbation-based attributions (docs/attributions.md) for a range of steps. Every
 * perturbed observation of the range is built into large input batches and sent to the policy
 * a batch at a time, never one call per perturbation.
 */
public final class Attributor {
  /** Rows per policy call, so that calls stay large for small observations. */
  static final int MAX_BATCH_ROWS = 1 << 16;
  /** Perturbed values (rows × observation length) built at once: bounds memory for images. */
  public static final long MAX_BATCH_VALUES = 1L << 24;
  /** Most Shapley permutations one computation may ask for. */
  public static final int MAX_PERMUTATIONS = 1_000;

  private final Policy policy;
  private final Space observationSpace;
  private final Space actionSpace;
  private final int d;
  private final int targets;

  public Attributor(Policy policy, Space observationSpace, Space actionSpace) {
    PolicyFit.check(policy, observationSpace, actionSpace);
    this.policy = policy;
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
    this.d = policy.inputSize();
    this.targets = policy.outputSize();
  }

  /** The action probabilities the policy's raw outputs for one observation say (discrete actions). */
  public double[] probabilitiesOf(float[] outputs) {
    PolicyHead head = new PolicyHead(policy.output(), PolicyFit.segments(actionSpace),
        AttributionRequest.OutputKind.PROBABILITY, targets);
    return head.probabilities(outputs, 0);
  }

  /**
   * Checks, without evaluating anything, that {@code request} can be computed here: occlusion
   * has an image that fits the window, and one step's perturbations fit in
   * {@link #MAX_BATCH_VALUES}. Throws an IllegalArgumentException naming the problem.
   */
  public void check(AttributionRequest request, FeatureGroups groups) {
    if (request.method() == Method.SHAPLEY && request.permutations() > MAX_PERMUTATIONS) {
      throw new IllegalArgumentException("permutations must be at most " + MAX_PERMUTATIONS + ", got "
          + request.permutations());
    }
    Plan plan = plan(request, features(request, groups), null);
    long values = (long) plan.rowsPerStep() * d;
    if (values > MAX_BATCH_VALUES) {
      throw new OverBudgetException(plan.describe() + " of a " + d + "-value observation needs " + values
          + " perturbed values per step; at most " + MAX_BATCH_VALUES
          + " (use fewer permutations, groups=keys, or occlusion with larger windows and strides)");
    }
  }

  /**
   * Policy evaluations one step of {@code request} needs (perturbed observations), for cost
   * estimates made before any work. {@link #check} must have accepted the request.
   */
  public int rowsPerStep(AttributionRequest request, FeatureGroups groups) {
    return plan(request, features(request, groups), null).rowsPerStep();
  }

  /** Length of the flattened observation the policy takes. */
  public int inputSize() {
    return d;
  }

  /** Number of targets (policy outputs) every step is explained for. */
  public int targets() {
    return targets;
  }

  private Plan plan(AttributionRequest request, FeatureGroups groups, PolicyHead head) {
    return switch (request.method()) {
      case ABLATION -> new Ablation(groups, request.baseline().values());
      case SHAPLEY -> new Shapley(groups, request, head);
      case OCCLUSION -> new Occlusion(request);
    };
  }

  /** The features a request reports: its groups, or each pixel/element for occlusion. */
  public FeatureGroups features(AttributionRequest request, FeatureGroups groups) {
    return request.method() == Method.OCCLUSION ? FeatureGroups.perElement(observationSpace) : groups;
  }

  /**
   * Attributions for the observations {@code x} (flattened) of episode steps {@code steps}.
   * {@code progress} hears how many steps are done, as they are. An interrupt of the calling
   * thread stops the work between policy batches with a {@link CancellationException}.
   */
  public List<StepAttribution> attribute(AttributionRequest request, FeatureGroups groups, float[][] x,
      int[] steps, IntConsumer progress) {
    if (request.baseline().values().length != d) {
      throw new IllegalArgumentException("the baseline has " + request.baseline().values().length
          + " values; the flattened observation has " + d);
    }
    check(request, groups);
    PolicyHead head = new PolicyHead(policy.output(), PolicyFit.segments(actionSpace), request.output(), targets);
    float[] outAtX = evaluate(concat(x), x.length);
    Plan plan = plan(request, groups, head);
    List<StepAttribution> out = new ArrayList<>(x.length);
    int rowsPerStep = plan.rowsPerStep();
    // As many steps at once as keep both the rows per call and the values built in bounds.
    long perStep = Math.max(1, rowsPerStep);
    int chunk = (int) Math.max(1, Math.min(MAX_BATCH_ROWS / perStep, MAX_BATCH_VALUES / (perStep * d)));
    for (int first = 0; first < x.length; first += chunk) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("attribution cancelled after " + first + " of " + x.length + " steps");
      }
      int n = Math.min(chunk, x.length - first);
      float[] inputs = new float[n * rowsPerStep * d];
      for (int s = 0; s < n; s++) {
        plan.fill(x[first + s], steps[first + s], inputs, s * rowsPerStep);
      }
      float[] outputs = evaluate(inputs, n * rowsPerStep);
      for (int s = 0; s < n; s++) {
        int i = first + s;
        double[] fx = head.values(outAtX, i);
        double[][] raw = plan.raw(fx, steps[i], outputs, s * rowsPerStep, head);
        out.add(new StepAttribution(steps[i], head.probabilities(outAtX, i), fx, raw));
      }
      progress.accept(first + n);
    }
    return out;
  }

  private float[] evaluate(float[] inputs, int rows) {
    int perCall = (int) Math.max(1, Math.min(MAX_BATCH_ROWS, MAX_BATCH_VALUES / Math.max(1, d)));
    if (rows <= perCall) {
      return policy.evaluate(inputs, rows);
    }
    float[] out = new float[rows * targets];
    for (int r = 0; r < rows; r += perCall) {
      int n = Math.min(perCall, rows - r);
      float[] part = new float[n * d];
      System.arraycopy(inputs, r * d, part, 0, n * d);
      System.arraycopy(policy.evaluate(part, n), 0, out, r * targets, n * targets);
    }
    return out;
  }

  private float[] concat(float[][] rows) {
    float[] out = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * d, d);
    }
    return out;
  }

  /** One method: which perturbed rows a step needs, and how their outputs make attributions. */
  private interface Plan {
    int rowsPerStep();

    /** The computation in words, for messages. */
    String describe();

    /** Writes the step's perturbed observations into {@code inputs} from row {@code row}. */
    void fill(float[] x, int step, float[] inputs, int row);

    /** {@code raw[target][feature]} from the outputs of the rows {@link #fill} wrote. */
    double[][] raw(double[] fx, int step, float[] outputs, int row, PolicyHead head);
  }

  /** attr_g = f(x) − f(x with feature g set to the baseline). */
  private final class Ablation implements Plan {
    private final FeatureGroups groups;
    private final float[] baseline;

    Ablation(FeatureGroups groups, float[] baseline) {
      this.groups = groups;
      this.baseline = baseline;
    }

    @Override
    public int rowsPerStep() {
      return groups.size();
    }

    @Override
    public String describe() {
      return "ablation of " + groups.size() + " features";
    }

    @Override
    public void fill(float[] x, int step, float[] inputs, int row) {
      for (int g = 0; g < groups.size(); g++) {
        int at = (row + g) * d;
        System.arraycopy(x, 0, inputs, at, d);
        for (int i : groups.members().get(g)) {
          inputs[at + i] = baseline[i];
        }
      }
    }

    @Override
    public double[][] raw(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
      double[][] raw = new double[targets][groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        double[] f = head.values(outputs, row + g);
        for (int k = 0; k < targets; k++) {
          raw[k][g] = fx[k] - f[k];
        }
      }
      return raw;
    }
  }

  /** Shapley value sampling over seeded permutations; f(baseline) is computed once. */
  private final class Shapley implements Plan {
    private final FeatureGroups groups;
    private final float[] baseline;
    private final int permutations;
    private final long seed;
    private final double[] atBaseline;

    /** {@code head} may be null when the plan is only checked, not run. */
    Shapley(FeatureGroups groups, AttributionRequest request, PolicyHead head) {
      this.groups = groups;
      this.baseline = request.baseline().values();
      this.permutations = request.permutations();
      this.seed = request.seed();
      this.atBaseline = head == null ? null : head.values(evaluate(baseline.clone(), 1), 0);
    }

    @Override
    public int rowsPerStep() {
      return permutations * groups.size();
    }

    @Override
    public String describe() {
      return "shapley with " + permutations + " permutations of " + groups.size() + " features";
    }

    @Override
    public void fill(float[] x, int step, float[] inputs, int row) {
      int[][] perms = SplitMix64.permutationsForStep(seed, step, permutations, groups.size());
      float[] z = new float[d];
      int r = row;
      for (int[] perm : perms) {
        System.arraycopy(baseline, 0, z, 0, d);
        for (int g : perm) {
          for (int i : groups.members().get(g)) {
            z[i] = x[i];
          }
          System.arraycopy(z, 0, inputs, r++ * d, d);
        }
      }
    }

    @Override
    public double[][] raw(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
      // The same permutations fill() drew: they depend only on the seed and the step.
      int[][] perms = SplitMix64.permutationsForStep(seed, step, permutations, groups.size());
      double[][] raw = new double[targets][groups.size()];
      int r = row;
      for (int[] perm : perms) {
        double[] prev = atBaseline;
        for (int g : perm) {
          double[] cur = head.values(outputs, r++);
          for (int k = 0; k < targets; k++) {
            raw[k][g] += cur[k] - prev[k];
          }
          prev = cur;
        }
      }
      for (double[] perTarget : raw) {
        for (int g = 0; g < perTarget.length; g++) {
          perTarget[g] /= permutations;
        }
      }
      return raw;
    }
  }

  /** Sliding-window occlusion of image-shaped observations; a pixel gets its windows' mean. */
  private final class Occlusion implements Plan {
    private final float[] baseline;
    private final ImageLayout image;
    private final int[] window;
    private final int[] stride;
    private final List<int[]> corners = new ArrayList<>();

    Occlusion(AttributionRequest request) {
      this.image = ImageLayout.of(observationSpace);
      if (image == null) {
        throw new IllegalArgumentException("occlusion needs an image observation: a Box of shape [H, W], "
            + "[H, W, C] or [K, H, W] (stacked frames); this recording's observations are " + observationSpace);
      }
      this.baseline = request.baseline().values();
      this.window = request.window();
      this.stride = request.stride();
      if (window[0] > image.height() || window[1] > image.width()) {
        throw new IllegalArgumentException("the occlusion window " + window[0] + "x" + window[1]
            + " is larger than the " + image.height() + "x" + image.width() + " image");
      }
      for (int r = 0; r + window[0] <= image.height(); r += stride[0]) {
        for (int c = 0; c + window[1] <= image.width(); c += stride[1]) {
          corners.add(new int[] {r, c});
        }
      }
    }

    @Override
    public int rowsPerStep() {
      return corners.size();
    }

    @Override
    public String describe() {
      return "occlusion with " + corners.size() + " windows";
    }

    @Override
    public void fill(float[] x, int step, float[] inputs, int row) {
      for (int k = 0; k < corners.size(); k++) {
        int at = (row + k) * d;
        System.arraycopy(x, 0, inputs, at, d);
        forEachElement(corners.get(k), i -> inputs[at + i] = baseline[i]);
      }
    }

    @Override
    public double[][] raw(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
      double[][] sum = new double[targets][d];
      int[] covered = new int[d];
      for (int k = 0; k < corners.size(); k++) {
        double[] f = head.values(outputs, row + k);
        forEachElement(corners.get(k), i -> {
          covered[i]++;
          for (int t = 0; t < targets; t++) {
            sum[t][i] += fx[t] - f[t];
          }
        });
      }
      for (double[] perTarget : sum) {
        for (int i = 0; i < d; i++) {
          perTarget[i] = covered[i] == 0 ? 0 : perTarget[i] / covered[i];
        }
      }
      return sum;
    }

    /** Flat indices of the window at {@code corner}, all channels (every frame of a stack). */
    private void forEachElement(int[] corner, IntConsumer action) {
      for (int r = corner[0]; r < corner[0] + window[0]; r++) {
        for (int c = corner[1]; c < corner[1] + window[1]; c++) {
          for (int ch = 0; ch < image.channels(); ch++) {
            action.accept(image.index(r, c, ch));
          }
        }
      }
    }
  }
}
