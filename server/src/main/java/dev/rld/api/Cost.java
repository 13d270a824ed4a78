package dev.rld.api;

import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.attribution.Targets;
import dev.rld.space.Box;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an attributions request will cost, estimated from the request and the cache alone (no
 * policy call), and the check against {@link Limits} that turns an over-budget request into a
 * 413 naming the cheaper request to make.
 *
 * @param steps rows asked for
 * @param missing rows not cached, to compute
 * @param rowsPerStep policy evaluations one step needs
 * @param inputSize flattened observation length
 * @param targetsShown targets each step's answer lists
 * @param targets targets each step computes
 * @param features features (or groups, pixels) per target
 */
record Cost(int steps, int missing, long rowsPerStep, int inputSize, int targetsShown, int targets, int features) {
  /** Characters one feature of one target costs in the JSON answer: raw and normalized numbers. */
  static final int JSON_BYTES_PER_VALUE = 40;

  static Cost of(Attributor attributor, AttributionRequest request, FeatureGroups groups, Targets shown,
      Space actionSpace, int steps, int missing) {
    FeatureGroups features = attributor.features(request, groups);
    int targets = attributor.targets();
    int listed = switch (shown.kind()) {
      case ALL -> targets;
      case VALUE -> 1;
      case TOP -> Math.min(shown.k(), targets);
      case PICKED -> actionSpace instanceof MultiDiscrete m ? m.nvec().length
          : actionSpace instanceof Box ? targets : 1;
    };
    return new Cost(steps, missing, attributor.rowsPerStep(request, groups), attributor.inputSize(), listed, targets,
        features.size());
  }

  long policyRows() {
    return missing * (rowsPerStep + 1);
  }

  long perturbedValues() {
    return policyRows() * inputSize;
  }

  long resultBytes() {
    return (long) steps * targets * features * 8;
  }

  long responseBytes() {
    return (long) steps * targetsShown * features * JSON_BYTES_PER_VALUE;
  }

  /** Refuses with 413 when any estimate is over its limit; {@code range} is [from, to). */
  static void check(Cost c, Limits limits, int[] range) {
    over("policy evaluations", c.policyRows(), limits.maxPolicyRows(), c.rowsPerStep + 1, range);
    over("perturbed observation values", c.perturbedValues(), limits.maxPerturbedValues(),
        (c.rowsPerStep + 1) * c.inputSize, range);
    over("bytes of computed attributions", c.resultBytes(), limits.maxResultBytes(),
        (long) c.targets * c.features * 8, range);
    over("bytes of answer", c.responseBytes(), limits.maxResponseBytes(),
        (long) c.targetsShown * c.features * JSON_BYTES_PER_VALUE, range);
  }

  /**
   * Refuses with 413 a request of plain evaluations, without perturbations (the disagreement of
   * two policies): {@code rows} observations to evaluate by each of {@code policies}, and an
   * answer of {@code steps} steps of about {@code bytesPerStep} bytes.
   */
  static void checkEvaluations(long rows, int policies, int inputSize, long steps, long bytesPerStep, Limits limits,
      int[] range) {
    over("policy evaluations", rows * policies, limits.maxPolicyRows(), policies, range);
    over("observation values evaluated", rows * policies * inputSize, limits.maxPerturbedValues(),
        (long) policies * inputSize, range);
    over("bytes of answer", steps * bytesPerStep, limits.maxResponseBytes(), bytesPerStep, range);
  }

  private static void over(String what, long cost, long limit, long perStep, int[] range) {
    if (cost <= limit) {
      return;
    }
    long fit = Math.max(0, limit / Math.max(1, perStep));
    String fix = fit >= 1
        ? "ask for at most " + fit + " steps at once (e.g. from=" + range[0] + "&to=" + (range[0] + fit) + ")"
        : "one step alone is over the limit: use larger occlusion windows and strides, fewer permutations, "
            + "feature groups (groups=keys), or target=picked";
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("cost", cost);
    details.put("limit", limit);
    details.put("unit", what);
    details.put("maxSteps", Math.min(fit, Integer.MAX_VALUE));
    throw new ApiException(413, "this request needs " + cost + " " + what + ", over the server's budget of " + limit
        + " per request: " + fix, details, Map.of());
  }
}
