package dev.rld.hotspot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Flagged steps of one kind, merged into ranges as they come: consecutive flagged steps make
 * one hotspot whose score is its strongest step's and whose reason is that step's. Steps must be
 * flagged in increasing order.
 */
final class StepFlags {
  private final String kind;
  private final double weight;
  private final IntFunction<String> reason;
  private final List<Hotspot> found = new ArrayList<>();
  private int from = -1;
  private int to;
  private int best;
  private double bestScore;

  /**
   * @param weight the kind's weight: how alarming its strongest event is beside other kinds'
   * @param reason the reason of a step, asked for once per range (for its strongest step)
   */
  StepFlags(String kind, double weight, IntFunction<String> reason) {
    this.kind = kind;
    this.weight = weight;
    this.reason = reason;
  }

  /** Flags {@code step} with a strength in [0, 1]. */
  void flag(int step, double strength) {
    if (from >= 0 && step != to + 1) {
      close();
    }
    if (from < 0) {
      from = step;
      best = step;
      bestScore = strength;
    } else if (strength > bestScore) {
      best = step;
      bestScore = strength;
    }
    to = step;
  }

  private void close() {
    String why = reason.apply(best);
    if (to > from) {
      why += " (strongest of " + Fmt.steps(from, to) + ")";
    }
    double score = Fmt.score(weight * Math.max(0, Math.min(1, bestScore)));
    found.add(new Hotspot(from, to, kind, score, why));
    from = -1;
  }

  /** The ranges found, in step order. */
  List<Hotspot> ranges() {
    if (from >= 0) {
      close();
    }
    return found;
  }
}
