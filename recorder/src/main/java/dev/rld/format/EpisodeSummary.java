package dev.rld.format;

/**
 * One episode of a recording, known without decoding its observations.
 *
 * @param index position in the opened recording (across all its files), from 0
 * @param episodeId the {@code episode_id} column's value in its file
 * @param seed the seed {@code reset} was given, or null when there was none or it is unknown
 * @param length number of steps (actions taken); the episode holds {@code length + 1}
 *     observations when complete
 * @param totalReturn sum of the rewards (undiscounted)
 * @param terminated whether the last step reached a terminal state
 * @param truncated whether the last step was cut short (time limit)
 * @param complete false for an episode cut off by a crash: its final observation is missing
 */
public record EpisodeSummary(int index, int episodeId, Long seed, int length, double totalReturn,
    boolean terminated, boolean truncated, boolean complete) {

  /** Number of observation rows: {@code length + 1} for complete episodes. */
  public int observations() {
    return complete ? length + 1 : length;
  }
}
