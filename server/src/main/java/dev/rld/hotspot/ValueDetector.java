package dev.rld.hotspot;

/**
 * The value estimate's surprises: a sharp fall from one step to the next, or a spike of the
 * one-step TD error {@code r_t + γ·V(s_{t+1})·(1 − terminated_t) − V(s_t)}, each judged by its
 * robust z-score within the episode (so an agent's usual noise does not count).
 */
final class ValueDetector {
  /** The discount of the TD error when none is given. */
  static final double DEFAULT_GAMMA = 0.99;

  private ValueDetector() {}

  /**
   * The TD error of each step; NaN where a value is missing, and on a last step that was not
   * terminated (its next value, the final row's, is not recorded: bootstrapping needs it).
   */
  static double[] tdErrors(EpisodeSignals s, double gamma) {
    double[] td = new double[s.steps];
    for (int t = 0; t < s.steps; t++) {
      boolean terminal = t == s.steps - 1 && s.terminated;
      double next = terminal ? 0 : t + 1 < s.rows ? s.values[t + 1] : Double.NaN;
      td[t] = s.rewards[t] + gamma * next - s.values[t];
    }
    return td;
  }

  static Detection valueDrop(EpisodeSignals s, double gamma) {
    if (s.values == null) {
      return Detection.skipped(Hotspot.VALUE_DROP, "the recording has no value column");
    }
    double[] td = tdErrors(s, gamma);
    double[] change = new double[s.steps];
    for (int t = 0; t < s.steps; t++) {
      change[t] = t + 1 < s.rows ? s.values[t + 1] - s.values[t] : Double.NaN;
    }
    RobustScale tdScale = RobustScale.of(td);
    RobustScale changeScale = RobustScale.of(change);
    StepFlags flags = new StepFlags(Hotspot.VALUE_DROP, 1.0, t -> {
      double byTd = RobustScale.strength(tdScale.z(td[t]));
      double byDrop = changeScale.z(change[t]) < 0 ? RobustScale.strength(changeScale.z(change[t])) : 0;
      if (byTd >= byDrop - 1e-9) { // the TD error says more: name it when about as strong
        boolean terminal = t == s.steps - 1 && s.terminated;
        return "TD error " + Fmt.signed(td[t]) + " at step " + t + ": r + γ·V(s') − V(s) = "
            + Fmt.num(s.rewards[t]) + " + " + Fmt.num(gamma) + "·" + (terminal ? "0 (terminated)"
            : Fmt.num(s.values[t + 1])) + " − " + Fmt.num(s.values[t]) + " (episode median "
            + Fmt.num(tdScale.median()) + ")";
      }
      return "value fell from " + Fmt.num(s.values[t]) + " to " + Fmt.num(s.values[t + 1]) + " after step " + t
          + " (usual change " + Fmt.signed(changeScale.median()) + " ± " + Fmt.num(changeScale.scale()) + ")";
    });
    for (int t = 0; t < s.steps; t++) {
      double byTd = RobustScale.strength(tdScale.z(td[t]));
      double z = changeScale.z(change[t]);
      double byDrop = z < 0 ? RobustScale.strength(z) : 0;
      double strength = Math.max(byTd, byDrop);
      if (strength > 0) {
        flags.flag(t, strength);
      }
    }
    return Detection.of(Hotspot.VALUE_DROP, flags.ranges());
  }
}
