package dev.rld.attribution;

/**
 * One attribution method for one request: which perturbed rows a step needs, and how their
 * outputs make attributions. Rows of a step are written and read in the same order.
 */
interface Plan {
  int rowsPerStep();

  /** The computation in words, for messages. */
  String describe();

  /** Writes the step's perturbed observations into {@code inputs} from row {@code row}. */
  void fill(float[] x, int step, float[] inputs, int row);

  /** The attributions from the outputs of the rows {@link #fill} wrote. */
  Estimate estimate(double[] fx, int step, float[] outputs, int row, PolicyHead head);

  /** {@code raw[target][feature]}, and standard errors of a sampled estimate (else null). */
  record Estimate(double[][] raw, double[][] stderr) {}
}
