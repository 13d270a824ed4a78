package dev.rld.hotspot;

import java.util.List;

/**
 * A stretch of one episode worth a look: rows {@code from} to {@code to} (inclusive, counted
 * within the episode from 0), what kind of event it is, how strong it is and why.
 *
 * @param score in [0, 1], comparable across kinds; 1 is the strongest
 * @param reason one line with the numbers behind it, e.g. "picked action 1 with probability 0.01 at step 7"
 */
public record Hotspot(int from, int to, String kind, double score, String reason) {
  /** The recorded action had a low recorded probability. */
  public static final String UNLIKELY_ACTION = "unlikely-action";
  /** The policy was torn: its top two actions were close, or its distribution nearly flat. */
  public static final String UNDECIDED = "undecided";
  /** The greedy action flipped back and forth (A, B, A, B) within a few steps. */
  public static final String OSCILLATION = "oscillation";
  /** The value estimate fell sharply, or the TD error spiked. */
  public static final String VALUE_DROP = "value-drop";
  /** A reward far from the episode's usual ones. */
  public static final String REWARD = "reward";
  /** The most attributed observation feature changed (only from attributions already computed). */
  public static final String ATTRIBUTION_SHIFT = "attribution-shift";
  /** The last steps before the episode terminated. */
  public static final String TERMINATION = "termination";
  /** The attached policy's greedy action differs from the recorded one. */
  public static final String POLICY_DISAGREES = "policy-disagrees";

  /** Every kind, in the order detectors are listed in answers. */
  public static final List<String> KINDS = List.of(UNLIKELY_ACTION, UNDECIDED, OSCILLATION, VALUE_DROP, REWARD,
      ATTRIBUTION_SHIFT, TERMINATION, POLICY_DISAGREES);
}
