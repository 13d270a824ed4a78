package dev.rld.hotspot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the hotspots of one episode: runs every detector that the recording has the columns
 * for, ranks what they found by score, and keeps the strongest {@link #MAX_PER_KIND} of each kind
 * and {@link #MAX_HOTSPOTS} in all. Knows
 * nothing of HTTP.
 *
 * <pre>{@code
 * EpisodeSignals signals = EpisodeSignals.read(rollout, 3, policy, budget);
 * HotspotReport report = HotspotFinder.find(signals, null, "no attributions computed");
 * }</pre>
 */
public final class HotspotFinder {
  /** Most hotspots one episode's report holds: the strongest, so the answer stays small. */
  public static final int MAX_HOTSPOTS = 200;
  /**
   * Most hotspots of one kind: a policy that is often undecided (a balanced CartPole is) would
   * otherwise fill the list with one kind and push out the rarer moments worth a look.
   */
  public static final int MAX_PER_KIND = 40;
  /** Strongest first; ties by first row, then kind, so the order is the same on every run. */
  static final Comparator<Hotspot> RANK = Comparator.comparingDouble(Hotspot::score).reversed()
      .thenComparingInt(Hotspot::from).thenComparing(Hotspot::kind);

  private HotspotFinder() {}

  /**
   * The report of one episode, with the TD error's discount γ = 0.99.
   *
   * @param attributions the episode's most attributed features, or null when none were computed
   * @param noAttributions why there are none (the attribution-shift detector's answer then)
   */
  public static HotspotReport find(EpisodeSignals s, AttributionTrack attributions, String noAttributions) {
    return find(s, attributions, noAttributions, ValueDetector.DEFAULT_GAMMA);
  }

  /** As {@link #find(EpisodeSignals, AttributionTrack, String)}, with the discount {@code gamma}. */
  public static HotspotReport find(EpisodeSignals s, AttributionTrack attributions, String noAttributions,
      double gamma) {
    List<Detection> detections = List.of(
        ActionDetectors.unlikelyAction(s),
        ActionDetectors.undecided(s),
        ActionDetectors.oscillation(s),
        ValueDetector.valueDrop(s, gamma),
        OutcomeDetectors.reward(s),
        ComparisonDetectors.attributionShift(s, attributions, noAttributions),
        OutcomeDetectors.termination(s),
        ComparisonDetectors.policyDisagrees(s));
    List<Hotspot> all = new ArrayList<>();
    List<DetectorRun> runs = new ArrayList<>();
    for (Detection d : detections) {
      all.addAll(d.found());
      runs.add(d.run());
    }
    all.sort(RANK);
    Map<String, Integer> perKind = new HashMap<>();
    List<Hotspot> kept = all.stream()
        .filter(h -> perKind.merge(h.kind(), 1, Integer::sum) <= MAX_PER_KIND)
        .limit(MAX_HOTSPOTS)
        .toList();
    return new HotspotReport(s.episode, kept, List.copyOf(runs));
  }
}
