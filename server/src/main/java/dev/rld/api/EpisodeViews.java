package dev.rld.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Steps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One served recording's episodes as the start page, the episode header and the timeline's
 * long-episode plots see them: pages of the episode list, the overview, an episode's series,
 * each computed on demand from the footer index (or a few rows) and kept in small bounded caches.
 */
final class EpisodeViews {
  /** Most bytes of rows one series request may read: 10 M CartPole steps are ~0.5 GB. */
  static final long MAX_SERIES_READ_BYTES = 8L << 30;

  /** Series already computed: a handful, each a few thousand numbers per recorded column. */
  private final Cache<String, StepSeries> seriesCache =
      Caffeine.newBuilder().maximumSize(32).build();

  /** Episodes' env outcomes read so far ("" for none); bounded, one short string each. */
  private final Cache<Integer, String> envOutcomes =
      Caffeine.newBuilder().maximumSize(100_000).build();

  private final ServedRollout served;
  private final EpisodeIndex index;
  /** Overviews by bucket count, the last 4 asked for (each at most 10 000 buckets of ~100 bytes). */
  private final Map<Integer, EpisodeOverview> overviews = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, EpisodeOverview> eldest) {
      return size() > 4;
    }
  };

  EpisodeViews(ServedRollout served) {
    this.served = served;
    this.index = new EpisodeIndex(served.rollout.episodes());
  }

  /** The episodes, paged, sorted and filtered on the server. */
  EpisodeIndex.Page episodes(EpisodeIndex.Query query) throws IOException {
    EpisodeIndex.Page page = index.page(query);
    List<EpisodeIndex.Entry> withWords = new ArrayList<>(page.episodes().size());
    for (EpisodeIndex.Entry e : page.episodes()) {
      withWords.add(e.withEnvOutcome(envOutcome(e.index())));
    }
    return new EpisodeIndex.Page(page.total(), page.offset(), page.limit(), withWords);
  }

  /**
   * The env's own word for how an episode ended ("won", "eaten"): its last row's info
   * {@code outcome}, or null. Read for the episodes shown (one row each, not the footer's), kept.
   */
  private String envOutcome(int episode) throws IOException {
    String word = envOutcomes.getIfPresent(episode);
    if (word == null) {
      int rows = served.episode(episode).observations();
      try (Steps s = served.rollout.read(episode, rows - 1, rows)) {
        Object v = s.info(0).get("outcome");
        word = v == null ? "" : String.valueOf(v);
      }
      envOutcomes.put(episode, word);
    }
    return word.isEmpty() ? null : word;
  }

  /** One episode's entry; 404 when out of range. */
  EpisodeIndex.Entry episodeEntry(int episode) throws IOException {
    return EpisodeIndex.entry(served.episode(episode)).withEnvOutcome(envOutcome(episode));
  }

  /**
   * An episode's recorded columns downsampled into {@code buckets} (see {@link StepSeries}),
   * computed once and kept (a few recent ones); refused (413) when reading the episode would
   * mean more than {@link #MAX_SERIES_READ_BYTES}.
   */
  StepSeries series(int episode, int buckets) throws IOException {
    EpisodeSummary e = served.episode(episode);
    int rows = e.observations();
    long bytes = rows * served.arrowBytesPerRow();
    if (bytes > MAX_SERIES_READ_BYTES) {
      throw new ApiException(413, "the series of episode " + episode + " would read about " + bytes
          + " bytes, over the server's budget of " + MAX_SERIES_READ_BYTES + "; plot it from its steps instead",
          Map.of("cost", bytes, "limit", MAX_SERIES_READ_BYTES, "unit", "bytes read"), Map.of());
    }
    String key = episode + "/" + buckets;
    StepSeries s = seriesCache.getIfPresent(key);
    if (s == null) {
      s = StepSeries.of(served.rollout, episode, rows, buckets);
      seriesCache.put(key, s);
    }
    return s;
  }

  /** The overview in {@code buckets} buckets; the last few answers are kept (a chart asks again on every visit). */
  EpisodeOverview overview(int buckets) {
    synchronized (overviews) {
      EpisodeOverview o = overviews.get(buckets);
      if (o == null) {
        o = EpisodeOverview.of(served.rollout.episodes(), buckets);
        overviews.put(buckets, o);
      }
      return o;
    }
  }
}
