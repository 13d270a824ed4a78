package dev.rld.attribution;

import dev.rld.attribution.AttributionRequest.Estimator;
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
  /** Policy evaluations per step within which Shapley values are enumerated by default (m ≤ 12). */
  public static final long EXACT_BUDGET = 4096;
  /** Most features exact Shapley values may be asked for (2^24 evaluations per step). */
  public static final int MAX_EXACT_FEATURES = 24;

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
    if (exact(request, groups) && groups.size() > MAX_EXACT_FEATURES) {
      throw new OverBudgetException("exact shapley of " + groups.size() + " features needs 2^" + groups.size()
          + " policy evaluations per step; at most " + MAX_EXACT_FEATURES + " features (use exact=false to sample, "
          + "or groups=keys)");
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

  /** {@code atBaseline} may be null when the plan is only checked or priced, not run. */
  private Plan plan(AttributionRequest request, FeatureGroups groups, double[] atBaseline) {
    return switch (request.method()) {
      case ABLATION -> new Ablation(groups, request.baseline().values());
      case SHAPLEY -> exact(request, groups)
          ? new ExactShapley(groups, request.baseline().values(), d, targets)
          : new SampledShapley(groups, request, d, targets, request.estimator() != Estimator.PLAIN, atBaseline);
      case OCCLUSION -> new Occlusion(request);
    };
  }

  /**
   * Whether Shapley values of {@code request} are enumerated: when asked for, or by default when
   * 2^m is within {@link #EXACT_BUDGET}. Checked requests that force it have m ≤ {@link #MAX_EXACT_FEATURES}.
   */
  public boolean exact(AttributionRequest request, FeatureGroups groups) {
    return request.method() == Method.SHAPLEY && (request.estimator() == Estimator.EXACT
        || request.estimator() == Estimator.AUTO && ExactShapley.coalitions(groups.size()) <= EXACT_BUDGET);
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
    // f(baseline), once: the start of every Shapley pass and the reference of the efficiency gap.
    double[] atBaseline = head.values(evaluate(request.baseline().values().clone(), 1), 0);
    Plan plan = plan(request, features(request, groups), atBaseline);
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
        Plan.Estimate e = plan.estimate(fx, steps[i], outputs, s * rowsPerStep, head);
        out.add(new StepAttribution(steps[i], head.probabilities(outAtX, i), fx, e.raw(), atBaseline, e.stderr()));
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
    public Estimate estimate(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
      double[][] raw = new double[targets][groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        double[] f = head.values(outputs, row + g);
        for (int k = 0; k < targets; k++) {
          raw[k][g] = fx[k] - f[k];
        }
      }
      return new Estimate(raw, null);
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
    public Estimate estimate(double[] fx, int step, float[] outputs, int row, PolicyHead head) {
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
      return new Estimate(sum, null);
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
