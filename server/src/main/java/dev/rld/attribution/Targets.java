package dev.rld.attribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which of a step's targets are shown (docs/attributions.md): the picked action, the top K by
 * probability, or all. Continuous actions always show every dimension.
 */
public record Targets(Kind kind, int k) {
  /** VALUE: the policy's value estimate instead of its actions (a model with a value head). */
  public enum Kind { PICKED, TOP, ALL, VALUE }

  /** Parses "picked", "all", "top-K" or "value". */
  public static Targets parse(String s) {
    if (s.equals("value")) {
      return new Targets(Kind.VALUE, 0);
    }
    if (s.equals("picked")) {
      return new Targets(Kind.PICKED, 0);
    }
    if (s.equals("all")) {
      return new Targets(Kind.ALL, 0);
    }
    if (s.startsWith("top-")) {
      try {
        int k = Integer.parseInt(s.substring(4));
        if (k >= 1) {
          return new Targets(Kind.TOP, k);
        }
      } catch (NumberFormatException ignored) {
        // Falls through to the error below.
      }
    }
    throw new IllegalArgumentException("unknown target '" + s + "' (picked, top-K with K >= 1, all, value)");
  }

  @Override
  public String toString() {
    return kind == Kind.TOP ? "top-" + k : kind.name().toLowerCase();
  }

  /**
   * Target indexes of {@code a}, given the targets of the action taken at that step (empty on
   * an episode's final row, which has no action).
   */
  public List<Integer> select(StepAttribution a, List<Integer> picked) {
    int n = a.values().length;
    if (a.probabilities() == null || kind == Kind.ALL || kind == Kind.VALUE) {
      return IntStream.range(0, n).boxed().toList();
    }
    if (kind == Kind.PICKED) {
      return picked;
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    double[] p = a.probabilities();
    order.sort(Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparingInt(i -> i));
    return order.subList(0, Math.min(k, n));
  }
}
