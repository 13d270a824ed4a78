package dev.rld.hotspot;

/**
 * Detectors that compare the recording with something beside it: attributions already
 * computed for the episode, and the policy attached to the served recording.
 */
final class ComparisonDetectors {
  static final double ATTRIBUTION_WEIGHT = 0.7;
  static final double POLICY_WEIGHT = 0.9;

  private ComparisonDetectors() {}

  /**
   * Steps whose most attributed feature differs from the previous step's; scored by how clearly
   * the new feature leads (its share of the step's attribution).
   */
  static Detection attributionShift(EpisodeSignals s, AttributionTrack track, String why) {
    if (track == null) {
      return Detection.skipped(Hotspot.ATTRIBUTION_SHIFT, why);
    }
    int n = Math.min(s.steps, track.top().length);
    StepFlags flags = new StepFlags(Hotspot.ATTRIBUTION_SHIFT, ATTRIBUTION_WEIGHT, t -> "most attributed feature ("
        + track.computation() + ") changed from " + track.features().get(track.top()[t - 1]) + " to "
        + track.features().get(track.top()[t]) + " at step " + t + " (" + Math.round(100 * track.share()[t])
        + " % of the attribution)");
    for (int t = 1; t < n; t++) {
      int before = track.top()[t - 1];
      int now = track.top()[t];
      if (before >= 0 && now >= 0 && before != now) {
        flags.flag(t, track.share()[t]);
      }
    }
    return Detection.of(Hotspot.ATTRIBUTION_SHIFT, flags.ranges());
  }

  /**
   * Steps where the attached policy's greedy action is not the recorded one; scored by how much
   * more probable the policy finds its own choice.
   */
  static Detection policyDisagrees(EpisodeSignals s) {
    if (s.policyWhy != null) {
      return Detection.skipped(Hotspot.POLICY_DISAGREES, s.policyWhy);
    }
    StepFlags flags = new StepFlags(Hotspot.POLICY_DISAGREES, POLICY_WEIGHT, t -> "the attached policy picks action "
        + s.actionValue(s.policyGreedy[t]) + " (probability " + Fmt.num(s.policyBest[t]) + "), the recording took "
        + s.actionValue(s.actions[t]) + " (" + Fmt.num(s.policyPicked[t]) + ") at step " + t);
    for (int t = 0; t < s.steps; t++) {
      if (s.actions[t] >= 0 && s.policyGreedy[t] != s.actions[t]) {
        double gap = s.policyBest[t] - s.policyPicked[t];
        flags.flag(t, Double.isNaN(gap) ? 1 : gap);
      }
    }
    return Detection.of(Hotspot.POLICY_DISAGREES, flags.ranges());
  }
}
