package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.EpisodeSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ranking of episodes worth a look, from the footer index alone. */
class EpisodeRankingTest {
  private static EpisodeSummary episode(int i, int length, double ret, boolean terminated, boolean truncated,
      boolean complete) {
    return new EpisodeSummary(i, i, null, length, ret, terminated, truncated, complete);
  }

  /**
   * Mean length 64, mean return 64: a success (truncated at the top return), an episode that
   * terminated after 10 steps, one cut off by a crash, another success, and one terminated a
   * little early.
   */
  private static final List<EpisodeSummary> FIVE = List.of(
      episode(0, 100, 100, false, true, true),
      episode(1, 10, 10, true, false, true),
      episode(2, 50, 50, false, false, false),
      episode(3, 100, 100, false, true, true),
      episode(4, 60, 60, true, false, true));

  private static List<Integer> indexes(EpisodeRanking.Answer a) {
    return a.episodes().stream().map(EpisodeRanking.Entry::index).toList();
  }

  @Test
  void failuresAndLowReturnsComeFirst() {
    EpisodeRanking.Answer a = new EpisodeRanking(FIVE).rank(20, Map.of());
    assertEquals(List.of(1, 2, 4), indexes(a), "the two successes at the top return are not worth a look");
    assertEquals(3, a.ranked());
    // 0.5·failure + 0.35·lowReturn: failure 0.5 + 0.5·(1 − 10/64), the lowest return
    EpisodeRanking.Entry first = a.episodes().get(0);
    assertEquals(Math.round((0.5 * (0.5 + 0.5 * (1 - 10 / 64.0)) + 0.35) * 1e4) / 1e4, first.score(), 1e-9);
    assertEquals(List.of("terminated early: after 10 steps (mean length 64.0)",
        "return 10.0 below the mean 64.0 (lowest 10.0, highest 100.0)"), first.reasons());
    assertEquals("terminated", first.outcome());
    assertEquals(10, first.length());
    assertNull(first.hotspots());
    EpisodeRanking.Entry cut = a.episodes().get(1);
    assertEquals(Math.round((0.5 + 0.35 * 50 / 90.0) * 1e4) / 1e4, cut.score(), 1e-9);
    assertEquals("cut off", cut.outcome());
    assertEquals("cut off by a crash after 50 steps (no final row)", cut.reasons().get(0));
    EpisodeRanking.Entry late = a.episodes().get(2);
    assertEquals(Math.round((0.5 * (0.5 + 0.5 * (1 - 60 / 64.0)) + 0.35 * 40 / 90.0) * 1e4) / 1e4, late.score(), 1e-9);
  }

  @Test
  void episodesWithFoundHotspotsRankByTheirCount() {
    EpisodeRanking ranking = new EpisodeRanking(FIVE);
    EpisodeRanking.Answer a = ranking.rank(20, Map.of(0, 8, 3, 2, 4, 0));
    assertEquals(List.of(1, 2, 4, 0, 3), indexes(a));
    assertEquals(5, a.ranked());
    EpisodeRanking.Entry zero = a.episodes().get(3);
    assertEquals(0.15, zero.score(), 1e-9);
    assertEquals(8, zero.hotspots());
    assertEquals(List.of("8 hotspots, the most of the episodes looked at"), zero.reasons());
    assertEquals(Math.round(0.15 * 2 / 8 * 1e4) / 1e4, a.episodes().get(4).score(), 1e-9);
    assertEquals(0, a.episodes().get(2).hotspots(), "found, and none there");
    assertNull(a.episodes().get(0).hotspots(), "not looked at yet");
  }

  @Test
  void theLimitCutsTheListNotTheCount() {
    EpisodeRanking ranking = new EpisodeRanking(FIVE);
    EpisodeRanking.Answer a = ranking.rank(2, Map.of());
    assertEquals(List.of(1, 2), indexes(a));
    assertEquals(3, a.ranked());
    for (int bad : new int[] {0, -1, 1001}) {
      ApiException e = assertThrows(ApiException.class, () -> ranking.rank(bad, Map.of()));
      assertEquals(400, e.status());
      assertEquals("limit must be between 1 and 1000, got " + bad, e.getMessage());
    }
    assertEquals(3, ranking.rank(1000, Map.of()).episodes().size());
  }

  @Test
  void aMillionEpisodesRankAsAFullSortWould() {
    SplittableRandom rng = new SplittableRandom(11);
    int n = 1_000_000;
    List<EpisodeSummary> many = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int length = 1 + rng.nextInt(500);
      int end = rng.nextInt(100);
      // returns repeat (ties broken by index) and a few episodes were cut off
      many.add(episode(i, length, Math.round(length * rng.nextDouble() * 4) / 4.0, end < 60, end >= 60 && end < 99,
          end < 99));
    }
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.put(rng.nextInt(n), rng.nextInt(40));
    }
    EpisodeRanking ranking = new EpisodeRanking(many);
    long start = System.nanoTime();
    EpisodeRanking.Answer a = ranking.rank(100, counts);
    long millis = (System.nanoTime() - start) / 1_000_000;
    int most = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      score[i] = ranking.score(many.get(i), counts.get(i), most);
    }
    List<Integer> want = IntStream.range(0, n).filter(i -> score[i] > 0).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i)).toList();
    assertEquals(want.subList(0, 100), indexes(a));
    assertEquals(want.size(), a.ranked());
    assertTrue(millis < 5_000, "one pass over a million episodes took " + millis + " ms");
  }
}
