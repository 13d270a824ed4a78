package dev.rld.attribution;

/**
 * Attributions of one step for every target: {@code raw[target][feature]}. Targets are the
 * policy's outputs in order (actions of a Discrete space, the concatenated sub-actions of a
 * MultiDiscrete one, the dimensions of a Box one, or the value estimate); {@code values[target]}
 * is what is explained (probability, logit, action mean or value) at the step's observation,
 * {@code probabilities} the policy's action probabilities there (null for continuous actions
 * and values), {@code atBaseline[target]} the explained value at the baseline (null in sidecars
 * of older versions), and {@code stderr[target][feature]} the standard error of sampled
 * Shapley values (null for every other estimator; NaN where it is not defined).
 */
public record StepAttribution(int step, double[] probabilities, double[] values, double[][] raw,
    double[] atBaseline, double[][] stderr) {

  /** Without a baseline value or standard errors (sidecars of version 1.0). */
  public StepAttribution(int step, double[] probabilities, double[] values, double[][] raw) {
    this(step, probabilities, values, raw, null, null);
  }

  /**
   * The efficiency gap of target {@code k}: Σ attributions − (f(x) − f(baseline)), Captum's
   * convergence delta; NaN when the baseline value is not known.
   */
  public double gap(int k) {
    if (atBaseline == null) {
      return Double.NaN;
    }
    double sum = 0;
    for (double a : raw[k]) {
      sum += a;
    }
    return sum - (values[k] - atBaseline[k]);
  }
}
