package dev.rld.hotspot;

/** Detectors over what the environment answered: rewards far from the usual, and the end of an episode. */
final class OutcomeDetectors {
  /** Steps before a termination that the termination hotspot covers. */
  static final int TERMINATION_STEPS = 10;
  /**
   * A termination always happens once per terminated episode: it marks where to look, but is
   * weaker than an event a detector had to find.
   */
  static final double TERMINATION_SCORE = 0.5;

  private OutcomeDetectors() {}

  static Detection reward(EpisodeSignals s) {
    RobustScale scale = RobustScale.of(s.rewards);
    StepFlags flags = new StepFlags(Hotspot.REWARD, 1.0, t -> {
      double z = scale.z(s.rewards[t]);
      return (z > 0 ? "high" : "low") + " reward " + Fmt.signed(s.rewards[t]) + " at step " + t + " (episode median "
          + Fmt.num(scale.median()) + ", mean " + Fmt.num(scale.mean()) + ")";
    });
    for (int t = 0; t < s.steps; t++) {
      double strength = RobustScale.strength(scale.z(s.rewards[t]));
      if (strength > 0) {
        flags.flag(t, strength);
      }
    }
    return Detection.of(Hotspot.REWARD, flags.ranges());
  }

  /**
   * The last steps of an episode that terminated (reached a terminal state of the MDP); a
   * truncated episode was cut from outside it, so its end says nothing of the agent.
   */
  static Detection termination(EpisodeSignals s) {
    if (!s.terminated || s.steps == 0) {
      return Detection.of(Hotspot.TERMINATION, java.util.List.of());
    }
    int k = Math.min(TERMINATION_STEPS, s.steps);
    int last = s.steps - 1;
    return Detection.of(Hotspot.TERMINATION, java.util.List.of(new Hotspot(last - k + 1, last, Hotspot.TERMINATION,
        TERMINATION_SCORE, "terminated at step " + last + ": the last " + k + " steps before the end")));
  }
}
