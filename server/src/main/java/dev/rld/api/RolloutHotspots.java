package dev.rld.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.rld.attribution.StepAttribution;
import dev.rld.format.EpisodeSummary;
import dev.rld.hotspot.AttributionTrack;
import dev.rld.hotspot.EpisodeSignals;
import dev.rld.hotspot.HotspotFinder;
import dev.rld.hotspot.HotspotReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hotspots of the served recordings' episodes: found on first request (one read of the
 * episode), kept in one cache for every recording, bounded in bytes, and the ranking of each
 * recording's episodes worth a look. Knows nothing of HTTP.
 */
final class RolloutHotspots {
  /** Heap for kept reports: a report holds at most 200 short hotspots (~50 KB), so hundreds fit. */
  static final long CACHE_BYTES = 32L << 20;

  /** Attributions that appear later make a new report: the key says whether they were used. */
  private record Key(String recording, int episode, boolean withAttributions, long rows, int shifts) {}

  private final Cache<Key, HotspotReport> reports;
  /** Each recording's ranking, with the episodes it ranks (a growing recording's change). */
  private final Map<String, Ranked> rankings = new ConcurrentHashMap<>();

  private record Ranked(int size, EpisodeSummary last, int shifts, EpisodeRanking ranking) {}

  RolloutHotspots(long maxBytes) {
    this.reports = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, HotspotReport r) -> (int) Math.min(Integer.MAX_VALUE, r.bytes() + 64 + 2L * k.recording().length()))
        .executor(Runnable::run) // evict on the caller's thread: the bound holds at once
        .build();
  }

  /**
   * The hotspots of an episode, found once and kept; refused (413) when its rows are more than
   * one request may read or hold.
   */
  HotspotReport report(ServedRollout s, int episode, Limits limits) throws IOException {
    EpisodeSummary e = s.episode(episode);
    long rows = e.observations();
    long readBytes = rows * s.arrowBytesPerRow();
    long heldBytes = rows * EpisodeSignals.BYTES_PER_ROW;
    if (readBytes > EpisodeViews.MAX_SERIES_READ_BYTES || heldBytes > limits.maxResultBytes()) {
      throw new ApiException(413, "finding the hotspots of episode " + episode + " (" + rows + " rows) would read "
          + readBytes + " bytes and hold " + heldBytes + ", over the server's budget of "
          + EpisodeViews.MAX_SERIES_READ_BYTES + " bytes read and " + limits.maxResultBytes() + " held",
          Map.of("cost", heldBytes, "limit", limits.maxResultBytes(), "unit", "bytes held"), Map.of());
    }
    boolean attributed = attributed(s, e);
    try {
      return reports.get(new Key(s.id, episode, attributed, rows, s.live.shifts()), k -> find(s, episode, attributed, limits));
    } catch (UncheckedIOException x) {
      throw x.getCause();
    }
  }

  private static HotspotReport find(ServedRollout s, int episode, boolean attributed, Limits limits) {
    try {
      EpisodeSignals signals = EpisodeSignals.read(s.rollout, episode, s.policyOrNull(),
          new EpisodeSignals.PolicyBudget(limits.maxPolicyRows(), limits.maxPerturbedValues()));
      AttributionTrack track = attributed ? track(s, episode, signals) : null;
      return HotspotFinder.find(signals, track, noAttributions(s, episode, attributed));
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  /** Whether every step of the episode has its default attributions computed already. */
  private static boolean attributed(ServedRollout s, EpisodeSummary e) {
    if (s.policyOrNull() == null) {
      return false;
    }
    for (int t = 0; t < e.length(); t++) {
      if (s.attributions().cachedDefault(e.index(), t) == null) {
        return false;
      }
    }
    return true;
  }

  private static String noAttributions(ServedRollout s, int episode, boolean attributed) {
    if (attributed) {
      return "the attributions of episode " + episode + " left the cache while the hotspots were found; ask again";
    }
    if (s.policyOrNull() == null) {
      return "no policy is attached, so no attributions were computed (hotspots never compute them)";
    }
    return "the attributions of episode " + episode + " are not computed for every step yet (hotspots use them "
        + "only when they are: open the attribution panel over the episode, or run rld attribute)";
  }

  /**
   * The most attributed feature of each step: of the recorded action for Discrete actions, over
   * every output otherwise. Null when a step left the cache meanwhile.
   */
  private static AttributionTrack track(ServedRollout s, int episode, EpisodeSignals signals) {
    int steps = signals.steps();
    int[] top = new int[steps];
    double[] share = new double[steps];
    for (int t = 0; t < steps; t++) {
      StepAttribution a = s.attributions().cachedDefault(episode, t);
      if (a == null) {
        return null;
      }
      int picked = signals.actionIndex(t);
      double[] magnitude = new double[a.raw()[0].length];
      for (int k = 0; k < a.raw().length; k++) {
        if (picked < 0 || k == picked) {
          for (int f = 0; f < magnitude.length; f++) {
            magnitude[f] += Math.abs(a.raw()[k][f]);
          }
        }
      }
      double sum = 0;
      for (int f = 0; f < magnitude.length; f++) {
        sum += magnitude[f];
        if (magnitude[f] > magnitude[top[t]]) {
          top[t] = f;
        }
      }
      share[t] = sum == 0 ? 0 : magnitude[top[t]] / sum;
      if (sum == 0) {
        top[t] = -1; // nothing attributed: no feature leads
      }
    }
    List<String> labels = s.attributions().groups("features").labels();
    return new AttributionTrack(labels, top, share, "ablation");
  }

  /** The hotspot count of each episode of {@code recording} whose hotspots were found and are still kept. */
  Map<Integer, Integer> counts(String recording) {
    Map<Integer, Integer> out = new HashMap<>();
    reports.asMap().forEach((k, r) -> {
      if (k.recording().equals(recording)) {
        out.merge(k.episode(), r.hotspots().size(), Math::max);
      }
    });
    return out;
  }

  /** The ranking of a recording's episodes (its footer statistics computed once). */
  EpisodeRanking ranking(ServedRollout s) {
    List<EpisodeSummary> episodes = s.rollout.episodes();
    int n = episodes.size();
    EpisodeSummary last = n == 0 ? null : episodes.get(n - 1);
    int shifts = s.live.shifts();
    Ranked r = rankings.compute(s.id, (id, old) -> old != null && old.size() == n && old.shifts() == shifts
        && java.util.Objects.equals(old.last(), last) ? old : new Ranked(n, last, shifts, new EpisodeRanking(episodes)));
    return r.ranking();
  }
}
