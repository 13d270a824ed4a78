package dev.rld.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rld.format.EpisodeSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A recording's episodes as the episodes route pages them: sorted, filtered and sliced on the
 * server, from the footer index only (no batch is read, no observation decoded). A sort order is
 * computed once per key on first use and kept as an int permutation (at most 4 × N ints).
 */
final class EpisodeIndex {
  /** Most episodes one page may hold (documented in docs/api.md). */
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_LIMIT = 100;

  /** How an episode ended, as far as the footer says: the outcomes to filter and count by. */
  static final List<String> OUTCOMES = List.of("terminated", "truncated", "complete", "cut off");

  enum SortKey {
    INDEX, LENGTH, RETURN, OUTCOME;

    static SortKey parse(String name) {
      for (SortKey k : values()) {
        if (k.name().toLowerCase(Locale.ROOT).equals(name)) {
          return k;
        }
      }
      throw ApiException.badRequest("unknown sort '" + Routes.shorten(name) + "' (index, length, return, outcome)");
    }
  }

  /** One page's question; null bounds and outcome mean no filter. */
  record Query(int offset, int limit, SortKey sort, boolean descending, String outcome, Double minReturn,
      Double maxReturn) {
    Query {
      outcome = outcome == null || outcome.isEmpty() ? null : outcome;
      if (offset < 0) {
        throw ApiException.badRequest("offset must be at least 0, got " + offset);
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
      }
      if (outcome != null && !OUTCOMES.contains(outcome)) {
        throw ApiException.badRequest("unknown outcome '" + Routes.shorten(outcome) + "' " + OUTCOMES);
      }
      if (minReturn != null && maxReturn != null && minReturn > maxReturn) {
        throw ApiException.badRequest("minReturn " + minReturn + " is above maxReturn " + maxReturn);
      }
    }

    boolean filters() {
      return outcome != null || minReturn != null || maxReturn != null;
    }
  }

  /** One episode as the API answers it (docs/api.md). */
  record Entry(int index, int length, @JsonProperty("return") double totalReturn, Long seed, boolean terminated,
      boolean truncated, boolean complete, String outcome, String envOutcome) {

    /** This entry with the env's own word for how it ended (its final info's {@code outcome}). */
    Entry withEnvOutcome(String word) {
      return new Entry(index, length, totalReturn, seed, terminated, truncated, complete, outcome, word);
    }
  }

  /** A page: {@code total} counts the episodes that pass the filters. */
  record Page(int total, int offset, int limit, List<Entry> episodes) {}

  private final List<EpisodeSummary> episodes;
  private final int[][] orders = new int[SortKey.values().length][];

  EpisodeIndex(List<EpisodeSummary> episodes) {
    this.episodes = episodes;
  }

  static String outcome(EpisodeSummary e) {
    if (e.terminated()) {
      return "terminated";
    }
    if (e.truncated()) {
      return "truncated";
    }
    return e.complete() ? "complete" : "cut off";
  }

  static Entry entry(EpisodeSummary e) {
    return new Entry(e.index(), e.length(), e.totalReturn(), e.seed(), e.terminated(), e.truncated(), e.complete(),
        outcome(e), null);
  }

  int size() {
    return episodes.size();
  }

  Page page(Query q) {
    int n = episodes.size();
    int[] order = q.sort() == SortKey.INDEX ? null : order(q.sort());
    List<Entry> out = new ArrayList<>(Math.min(q.limit(), n));
    int total = 0;
    if (!q.filters()) {
      total = n;
      long end = Math.min(n, (long) q.offset() + q.limit());
      for (int i = q.offset(); i < end; i++) {
        out.add(entry(episodes.get(at(order, i, n, q.descending()))));
      }
    } else {
      // One linear scan: count every match, keep the page's.
      for (int i = 0; i < n; i++) {
        EpisodeSummary e = episodes.get(at(order, i, n, q.descending()));
        if (passes(e, q)) {
          if (total >= q.offset() && out.size() < q.limit()) {
            out.add(entry(e));
          }
          total++;
        }
      }
    }
    return new Page(total, q.offset(), q.limit(), out);
  }

  private static int at(int[] order, int i, int n, boolean descending) {
    int k = descending ? n - 1 - i : i;
    return order == null ? k : order[k];
  }

  private static boolean passes(EpisodeSummary e, Query q) {
    return (q.outcome() == null || q.outcome().equals(outcome(e)))
        && (q.minReturn() == null || e.totalReturn() >= q.minReturn())
        && (q.maxReturn() == null || e.totalReturn() <= q.maxReturn());
  }

  /** The ascending order by {@code key}, ties by index; computed once (several requests may race: same answer). */
  private int[] order(SortKey key) {
    int[] cached = orders[key.ordinal()];
    if (cached != null) {
      return cached;
    }
    Comparator<Integer> by = switch (key) {
      case LENGTH -> Comparator.comparingInt(i -> episodes.get(i).length());
      case RETURN -> Comparator.comparingDouble(i -> episodes.get(i).totalReturn());
      case OUTCOME -> Comparator.comparingInt(i -> OUTCOMES.indexOf(outcome(episodes.get(i))));
      case INDEX -> Comparator.comparingInt(i -> i);
    };
    Integer[] boxed = new Integer[episodes.size()];
    Arrays.setAll(boxed, i -> i);
    Arrays.sort(boxed, by.thenComparingInt(i -> i));
    int[] order = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    orders[key.ordinal()] = order;
    return order;
  }
}
