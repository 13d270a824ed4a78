package dev.rld.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rld.format.EpisodeSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A recording's episodes worth a look, ranked from the footer index alone (no row is read):
 * failures by how they ended, low returns, and many hotspots where those were already found.
 * The recording's statistics are taken in one pass when made; each ranking is one more pass
 * with a heap of the best {@code limit}, so a million episodes rank in milliseconds.
 *
 * <p>An episode's score, in [0, 1], is {@code 0.5·failure + 0.35·lowReturn + 0.15·hotspots}:
 * <ul>
 *   <li>{@code failure}: 1 for an episode cut off by a crash; 0.5 to 1 for one terminated before the
 *       mean length with at most the mean return (the shorter, the higher); 0.5 for one truncated
 *       with less than the mean return (its time ran out); 0 otherwise. A short terminated episode
 *       with a high return reached its goal early: no failure.
 *   <li>{@code lowReturn}: where the return lies between the highest (0) and the lowest (1).
 *   <li>{@code hotspots}: its hotspot count over the largest count of the recording's episodes
 *       whose hotspots were found; 0 for the others.
 * </ul>
 */
final class EpisodeRanking {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 1000;

  /** One ranked episode as the API answers it; {@code hotspots} is null when they were not found yet. */
  record Entry(int index, int episodeId, int length, @JsonProperty("return") double totalReturn, String outcome,
      double score, List<String> reasons, Integer hotspots) {}

  /** The best {@code limit} episodes; {@code ranked} counts every episode with a score above 0. */
  record Answer(List<Entry> episodes, int ranked) {}

  private static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed()
      .thenComparingInt(Scored::index);

  private record Scored(int index, double score) {}

  private final List<EpisodeSummary> episodes;
  private final double minReturn;
  private final double maxReturn;
  private final double meanReturn;
  private final double meanLength;

  EpisodeRanking(List<EpisodeSummary> episodes) {
    this.episodes = episodes;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sumReturn = 0;
    double sumLength = 0;
    for (EpisodeSummary e : episodes) {
      min = Math.min(min, e.totalReturn());
      max = Math.max(max, e.totalReturn());
      sumReturn += e.totalReturn();
      sumLength += e.length();
    }
    int n = Math.max(1, episodes.size());
    this.minReturn = min;
    this.maxReturn = max;
    this.meanReturn = sumReturn / n;
    this.meanLength = sumLength / n;
  }

  static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  /**
   * The {@code limit} best episodes, best first (ties by index).
   *
   * @param hotspotCounts the hotspot count of each episode whose hotspots were found
   */
  Answer rank(int limit, Map<Integer, Integer> hotspotCounts) {
    checkLimit(limit);
    int mostHotspots = hotspotCounts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    // Worst of the kept on top, so each better episode replaces it in log(limit).
    PriorityQueue<Scored> best = new PriorityQueue<>(limit + 1, BEST_FIRST.reversed());
    int ranked = 0;
    for (int i = 0; i < episodes.size(); i++) {
      double score = score(episodes.get(i), hotspotCounts.get(i), mostHotspots);
      if (score <= 0) {
        continue;
      }
      ranked++;
      Scored s = new Scored(i, score);
      if (best.size() < limit) {
        best.add(s);
      } else if (BEST_FIRST.compare(s, best.peek()) < 0) {
        best.poll();
        best.add(s);
      }
    }
    List<Scored> top = new ArrayList<>(best);
    top.sort(BEST_FIRST);
    List<Entry> out = new ArrayList<>(top.size());
    for (Scored s : top) {
      EpisodeSummary e = episodes.get(s.index());
      Integer count = hotspotCounts.get(s.index());
      out.add(new Entry(e.index(), e.episodeId(), e.length(), e.totalReturn(), EpisodeIndex.outcome(e),
          Math.round(s.score() * 1e4) / 1e4, reasons(e, count, mostHotspots), count));
    }
    return new Answer(out, ranked);
  }

  /** The episode's score (class comment); {@code hotspots} null when not found yet. */
  double score(EpisodeSummary e, Integer hotspots, int mostHotspots) {
    double hotspotShare = hotspots == null || mostHotspots == 0 ? 0 : (double) hotspots / mostHotspots;
    return 0.5 * failure(e) + 0.35 * lowReturn(e) + 0.15 * hotspotShare;
  }

  private double failure(EpisodeSummary e) {
    if (!e.complete()) {
      return 1;
    }
    if (e.terminated() && e.length() < meanLength && e.totalReturn() <= meanReturn) {
      return 0.5 + 0.5 * (1 - e.length() / meanLength);
    }
    return e.truncated() && e.totalReturn() < meanReturn ? 0.5 : 0;
  }

  private double lowReturn(EpisodeSummary e) {
    return maxReturn > minReturn ? (maxReturn - e.totalReturn()) / (maxReturn - minReturn) : 0;
  }

  private List<String> reasons(EpisodeSummary e, Integer hotspots, int mostHotspots) {
    List<String> out = new ArrayList<>();
    if (!e.complete()) {
      out.add("cut off by a crash after " + e.length() + " steps (no final row)");
    } else if (failure(e) > 0) {
      out.add(e.terminated() ? "terminated early: after " + e.length() + " steps (mean length " + num(meanLength) + ")"
          : "truncated after " + e.length() + " steps with return " + num(e.totalReturn()) + ", below the mean "
              + num(meanReturn) + " (its time ran out)");
    }
    if (e.totalReturn() < meanReturn) {
      out.add("return " + num(e.totalReturn()) + " below the mean " + num(meanReturn) + " (lowest " + num(minReturn)
          + ", highest " + num(maxReturn) + ")");
    }
    if (hotspots != null && hotspots > 0) {
      out.add(hotspots + " hotspots" + (hotspots == mostHotspots ? ", the most of the episodes looked at" : ""));
    }
    return out;
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.4g", x).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", ".0");
  }
}
