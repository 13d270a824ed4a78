package dev.rld.hotspot;

import java.util.ArrayList;
import java.util.List;

/**
 * Detectors over the agent's recorded action distribution: an action it thought unlikely, a
 * choice it could hardly make, and a greedy action flipping back and forth.
 */
final class ActionDetectors {
  /** A recorded action below this probability is unlikely (score 0.9 at a tenth of it). */
  static final double UNLIKELY_P = 0.1;
  /** Top two actions closer than this are undecided. */
  static final double UNDECIDED_MARGIN = 0.1;
  /** A distribution above this fraction of the maximum entropy is undecided. */
  static final double UNDECIDED_ENTROPY = 0.95;
  /** Flips of the greedy action at which an oscillation scores fully. */
  static final int FULL_FLIPS = 10;
  static final double UNDECIDED_WEIGHT = 0.6;
  static final double OSCILLATION_WEIGHT = 0.8;

  private ActionDetectors() {}

  /** Why a detector over recorded probabilities cannot run; null when it can. */
  private static String probabilitiesMissing(EpisodeSignals s) {
    if (!s.hasProbabilities) {
      return "the recording has no action_probabilities column";
    }
    return s.discrete == null ? "the action space is " + s.actionSpaceName + "; recorded probabilities are read "
        + "per action of a Discrete one" : null;
  }

  static Detection unlikelyAction(EpisodeSignals s) {
    String why = probabilitiesMissing(s);
    if (why != null) {
      return Detection.skipped(Hotspot.UNLIKELY_ACTION, why);
    }
    StepFlags flags = new StepFlags(Hotspot.UNLIKELY_ACTION, 1.0, t -> "picked action " + s.actionValue(s.actions[t])
        + " with probability " + Fmt.num(s.picked[t]) + " at step " + t);
    for (int t = 0; t < s.steps; t++) {
      float p = s.picked[t];
      if (p < UNLIKELY_P) { // false for NaN: not recorded
        flags.flag(t, 1 - p / UNLIKELY_P);
      }
    }
    return Detection.of(Hotspot.UNLIKELY_ACTION, flags.ranges());
  }

  static Detection undecided(EpisodeSignals s) {
    String why = probabilitiesMissing(s);
    if (why != null) {
      return Detection.skipped(Hotspot.UNDECIDED, why);
    }
    StepFlags flags = new StepFlags(Hotspot.UNDECIDED, UNDECIDED_WEIGHT, t -> "top two actions "
        + Fmt.num(s.margin[t]) + " apart in probability, entropy " + Fmt.num(s.entropy[t])
        + " of the maximum, at step " + t);
    for (int t = 0; t < s.steps; t++) {
      double byMargin = (UNDECIDED_MARGIN - s.margin[t]) / UNDECIDED_MARGIN;
      double byEntropy = (s.entropy[t] - UNDECIDED_ENTROPY) / (1 - UNDECIDED_ENTROPY);
      double u = Math.max(byMargin, byEntropy);
      if (u > 0) { // false for NaN
        flags.flag(t, u);
      }
    }
    return Detection.of(Hotspot.UNDECIDED, flags.ranges());
  }

  /**
   * The greedy action alternating A, B, A, B over four consecutive steps; overlapping such
   * windows merge into one range, scored by how many times it flipped.
   */
  static Detection oscillation(EpisodeSignals s) {
    if (s.greedy == null) {
      return Detection.skipped(Hotspot.OSCILLATION, s.hasProbabilities || s.hasLogits
          ? "the action space is " + s.actionSpaceName + "; greedy actions are read from a Discrete one"
          : "the recording has neither action_probabilities nor action_logits");
    }
    int[] g = s.greedy;
    List<Hotspot> found = new ArrayList<>();
    int from = -1;
    int to = -1;
    for (int t = 3; t < s.steps; t++) {
      boolean alternates = g[t] >= 0 && g[t - 1] >= 0 && g[t] != g[t - 1] && g[t] == g[t - 2]
          && g[t - 1] == g[t - 3];
      if (!alternates) {
        continue;
      }
      if (from >= 0 && t - 3 > to) {
        found.add(oscillationRange(s, from, to));
        from = -1;
      }
      if (from < 0) {
        from = t - 3;
      }
      to = t;
    }
    if (from >= 0) {
      found.add(oscillationRange(s, from, to));
    }
    return Detection.of(Hotspot.OSCILLATION, found);
  }

  private static Hotspot oscillationRange(EpisodeSignals s, int from, int to) {
    int flips = 0;
    for (int t = from + 1; t <= to; t++) {
      if (s.greedy[t] != s.greedy[t - 1]) {
        flips++;
      }
    }
    double score = Fmt.score(OSCILLATION_WEIGHT * Math.min(1.0, (double) flips / FULL_FLIPS));
    return new Hotspot(from, to, Hotspot.OSCILLATION, score, "greedy action flipped between "
        + s.actionValue(s.greedy[from]) + " and " + s.actionValue(s.greedy[from + 1]) + " " + flips + " times in "
        + Fmt.steps(from, to));
  }
}
