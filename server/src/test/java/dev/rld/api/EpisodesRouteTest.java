package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import dev.rld.testing.LineWalk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The episodes and overview routes on 1 500 random LineWalk episodes (terminated or truncated
 * after 30 steps): pages, sorts, filters and buckets against what the Java reader says.
 */
class EpisodesRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EPISODES = 1500;
  @TempDir static Path dir;
  private static RldServer server;
  private static List<EpisodeSummary> truth;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    Path file = dir.resolve("walks.arrow");
    SplittableRandom rng = new SplittableRandom(3);
    try (var env = new RecordingEnv<>(new LineWalk(30), RolloutWriter.builder(file))) {
      for (int e = 0; e < EPISODES; e++) {
        env.reset((long) e);
        Step<float[]> s;
        do {
          s = env.step(rng.nextInt(3));
        } while (!s.terminated() && !s.truncated());
      }
    }
    try (Rollout r = Rollout.open(file)) {
      truth = List.copyOf(r.episodes());
    }
    server = RldServer.builder().recording(file).port(0).start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> send(String query) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/" + server.ids().get(0) + query))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(String query) throws IOException, InterruptedException {
    HttpResponse<String> r = send(query);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static void assertPage(JsonNode page, List<EpisodeSummary> expected, int offset) {
    assertEquals(expected.size(), page.get("total").asInt(), "total after filters");
    assertEquals(offset, page.get("offset").asInt());
    JsonNode eps = page.get("episodes");
    int shown = Math.max(0, Math.min(page.get("limit").asInt(), expected.size() - offset));
    assertEquals(shown, eps.size());
    for (int i = 0; i < shown; i++) {
      EpisodeSummary want = expected.get(offset + i);
      JsonNode got = eps.get(i);
      assertEquals(want.index(), got.get("index").asInt(), "row " + i);
      assertEquals(want.length(), got.get("length").asInt());
      assertEquals(want.totalReturn(), got.get("return").asDouble());
      assertEquals(EpisodeIndex.outcome(want), got.get("outcome").asText());
      assertEquals(want.terminated(), got.get("terminated").asBoolean());
    }
  }

  private static List<EpisodeSummary> sorted(Comparator<EpisodeSummary> by, Predicate<EpisodeSummary> keep) {
    return truth.stream().filter(keep).sorted(by.thenComparingInt(EpisodeSummary::index)).toList();
  }

  @Test
  void pagesInIndexOrderByDefault() throws Exception {
    assertPage(ok("/episodes"), truth, 0);
    assertEquals(100, ok("/episodes").get("limit").asInt());
    assertPage(ok("/episodes?offset=1400&limit=1000"), truth, 1400);
    assertPage(ok("/episodes?offset=5000"), truth, 5000);
    assertTrue(truth.stream().anyMatch(EpisodeSummary::terminated) && truth.stream().anyMatch(EpisodeSummary::truncated),
        "both outcomes occur");
  }

  @Test
  void sortsByEveryKeyBothWays() throws Exception {
    List<EpisodeSummary> byReturn = sorted(Comparator.comparingDouble(EpisodeSummary::totalReturn), e -> true);
    assertPage(ok("/episodes?sort=return&limit=1000&offset=300"), byReturn, 300);
    List<EpisodeSummary> desc = new ArrayList<>(byReturn);
    java.util.Collections.reverse(desc);
    assertPage(ok("/episodes?sort=return&order=desc&limit=50"), desc, 0);
    assertEquals(truth.stream().mapToDouble(EpisodeSummary::totalReturn).max().orElseThrow(),
        ok("/episodes?sort=return&order=desc&limit=1").get("episodes").get(0).get("return").asDouble());
    assertPage(ok("/episodes?sort=length&offset=700&limit=200"),
        sorted(Comparator.comparingInt(EpisodeSummary::length), e -> true), 700);
    assertPage(ok("/episodes?sort=outcome&limit=1000"),
        sorted(Comparator.comparingInt(e -> EpisodeIndex.OUTCOMES.indexOf(EpisodeIndex.outcome(e))), e -> true), 0);
  }

  @Test
  void filtersCountWhatPasses() throws Exception {
    double median = sorted(Comparator.comparingDouble(EpisodeSummary::totalReturn), e -> true).get(EPISODES / 2)
        .totalReturn();
    assertPage(ok("/episodes?outcome=truncated&limit=1000"), sorted(Comparator.comparingInt(e -> 0),
        EpisodeSummary::truncated), 0);
    assertPage(ok("/episodes?minReturn=" + median + "&sort=length&offset=10&limit=500"),
        sorted(Comparator.comparingInt(EpisodeSummary::length), e -> e.totalReturn() >= median), 10);
    assertPage(ok("/episodes?minReturn=-1e300&maxReturn=" + median + "&outcome=terminated&limit=1000"),
        sorted(Comparator.comparingInt(e -> 0), e -> e.terminated() && e.totalReturn() <= median), 0);
    assertPage(ok("/episodes?minReturn=1e300"), List.of(), 0);
  }

  @Test
  void oneEpisodeByItself() throws Exception {
    JsonNode e = ok("/episodes/1234");
    assertEquals(1234, e.get("index").asInt());
    assertEquals(truth.get(1234).length(), e.get("length").asInt());
    assertEquals(EpisodeIndex.outcome(truth.get(1234)), e.get("outcome").asText());
  }

  @Test
  void overviewBucketsAreTheDirectComputation() throws Exception {
    JsonNode o = ok("/overview?buckets=7");
    assertEquals(EPISODES, o.get("episodes").asInt());
    assertEquals(15, o.get("window").asInt());
    assertEquals(7, o.get("from").size());
    int[] outcomes = new int[EpisodeIndex.OUTCOMES.size()];
    for (int k = 0; k < 7; k++) {
      int from = k * EPISODES / 7;
      int to = (k + 1) * EPISODES / 7;
      assertEquals(from, o.get("from").get(k).asInt());
      assertEquals(to, o.get("to").get(k).asInt());
      var returns = truth.subList(from, to).stream().mapToDouble(EpisodeSummary::totalReturn).summaryStatistics();
      var lengths = truth.subList(from, to).stream().mapToInt(EpisodeSummary::length).summaryStatistics();
      assertEquals(returns.getMin(), o.get("returnMin").get(k).asDouble());
      assertEquals(returns.getMax(), o.get("returnMax").get(k).asDouble());
      assertEquals(returns.getAverage(), o.get("returnMean").get(k).asDouble(), 1e-9);
      assertEquals(lengths.getMin(), o.get("lengthMin").get(k).asDouble());
      assertEquals(lengths.getMax(), o.get("lengthMax").get(k).asDouble());
      assertEquals(lengths.getAverage(), o.get("lengthMean").get(k).asDouble(), 1e-9);
      double running = truth.subList(to - 15, to).stream().mapToDouble(EpisodeSummary::totalReturn).average()
          .orElseThrow();
      assertEquals(running, o.get("runningReturn").get(k).asDouble(), 1e-9);
      for (int i = 0; i < outcomes.length; i++) {
        String name = EpisodeIndex.OUTCOMES.get(i);
        long want = truth.subList(from, to).stream().filter(e -> EpisodeIndex.outcome(e).equals(name)).count();
        assertEquals(want, o.get("outcomes").get(name).get(k).asInt(), name + " in bucket " + k);
      }
    }
    assertEquals(1000, ok("/overview").get("from").size(), "1000 buckets by default");
    assertEquals(EPISODES, ok("/overview?buckets=5000").get("from").size(), "fewer episodes than buckets: one a bucket");
  }

  @Test
  void hostileParametersAreRefusedAsJson() throws Exception {
    for (String q : List.of("/episodes?limit=1001", "/episodes?limit=0", "/episodes?limit=-5",
        "/episodes?limit=99999999999999999999", "/episodes?offset=-1", "/episodes?offset=abc", "/episodes?sort=seed",
        "/episodes?sort=" + "x".repeat(5000), "/episodes?order=sideways", "/episodes?outcome=won",
        "/episodes?minReturn=NaN", "/episodes?maxReturn=Infinity", "/episodes?minReturn=-Infinity",
        "/episodes?minReturn=1e999", "/episodes?minReturn=abc", "/episodes?minReturn=5&maxReturn=1",
        "/episodes/-1", "/episodes/1500", "/episodes/2147483648", "/overview?buckets=0",
        "/overview?buckets=10001", "/overview?buckets=1e3", "/overview?buckets=-2147483648")) {
      HttpResponse<String> r = send(q);
      assertTrue(r.statusCode() == 400 || r.statusCode() == 404, q + ": " + r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), q);
      JsonNode body = JSON.readTree(r.body());
      assertTrue(body.get("error").asText().length() > 5, q + ": " + body);
      assertTrue(r.body().length() < 600, q + " answers briefly: " + r.body().length());
      assertTrue(Routes.isSafeMessage(body.get("error").asText()), body.toString());
    }
    assertEquals(10_000, EpisodeOverview.MAX_BUCKETS);
    assertEquals(EPISODES, ok("/overview?buckets=10000").get("from").size());
  }
}
