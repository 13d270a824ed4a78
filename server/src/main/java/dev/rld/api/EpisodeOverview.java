package dev.rld.api;

import dev.rld.format.EpisodeSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording's returns and lengths against episode index, downsampled into buckets of
 * consecutive episodes, so a chart of a million episodes is a thousand points: one pass over the
 * footer index (docs/api.md, the overview route).
 *
 * @param episodes the recording's episode count
 * @param window episodes in the running average of the return
 * @param from first episode of each bucket; {@code to} the end (excluded)
 * @param runningReturn mean return of the {@code window} episodes ending at each bucket's last
 * @param outcomes per outcome, its count in each bucket
 */
record EpisodeOverview(int episodes, int window, int[] from, int[] to, double[] returnMin, double[] returnMax,
    double[] returnMean, double[] lengthMin, double[] lengthMax, double[] lengthMean, double[] runningReturn,
    Map<String, int[]> outcomes) {
  static final int DEFAULT_BUCKETS = 1000;
  static final int MAX_BUCKETS = 10_000;

  static EpisodeOverview of(List<EpisodeSummary> list, int buckets) {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw ApiException.badRequest("buckets must be between 1 and " + MAX_BUCKETS + ", got " + buckets);
    }
    int n = list.size();
    int b = Math.min(buckets, n);
    // About 1 % of the episodes: smooth enough to show a trend, short enough to follow it.
    int window = Math.max(1, n / 100);
    int[] from = new int[b];
    int[] to = new int[b];
    double[] rMin = new double[b];
    double[] rMax = new double[b];
    double[] rMean = new double[b];
    double[] lMin = new double[b];
    double[] lMax = new double[b];
    double[] lMean = new double[b];
    double[] running = new double[b];
    Map<String, int[]> outcomes = new LinkedHashMap<>();
    EpisodeIndex.OUTCOMES.forEach(o -> outcomes.put(o, new int[b]));
    double windowSum = 0;
    int e = 0;
    for (int k = 0; k < b; k++) {
      from[k] = e;
      to[k] = (int) ((long) (k + 1) * n / b);
      rMin[k] = lMin[k] = Double.POSITIVE_INFINITY;
      rMax[k] = lMax[k] = Double.NEGATIVE_INFINITY;
      double rSum = 0;
      double lSum = 0;
      for (; e < to[k]; e++) {
        EpisodeSummary s = list.get(e);
        double r = s.totalReturn();
        rMin[k] = Math.min(rMin[k], r);
        rMax[k] = Math.max(rMax[k], r);
        rSum += r;
        lMin[k] = Math.min(lMin[k], s.length());
        lMax[k] = Math.max(lMax[k], s.length());
        lSum += s.length();
        outcomes.get(EpisodeIndex.outcome(s))[k]++;
        windowSum += r;
        if (e >= window) {
          windowSum -= list.get(e - window).totalReturn();
        }
      }
      int count = to[k] - from[k];
      rMean[k] = rSum / count;
      lMean[k] = lSum / count;
      running[k] = windowSum / Math.min(window, to[k]);
    }
    return new EpisodeOverview(n, window, from, to, rMin, rMax, rMean, lMin, lMax, lMean, running, outcomes);
  }
}
