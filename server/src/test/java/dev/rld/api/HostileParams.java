package dev.rld.api;

import static dev.rld.api.HostileRequest.Expect.may200;
import static dev.rld.api.HostileRequest.Expect.refusal;
import static dev.rld.api.HostileRequests.DT;
import static dev.rld.api.HostileRequests.LW;
import static dev.rld.api.HostileRequests.enc;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Absurd query parameters for the steps and attributions routes. Each parameter is left out,
 * given a value the server must take, or given one it must refuse; a request with any refused
 * value must be refused (4xx JSON), one without may succeed. Ranges that are accepted stay small
 * (at most 30 rows), so that a few hundred requests cost little policy time.
 */
final class HostileParams {
  private HostileParams() {}

  /** A parameter's values: those the server must take, and those it must refuse. */
  record Values(List<String> good, List<String> bad) {}

  static final Values FORMAT = new Values(List.of("json", "arrow"), List.of("xml", "ARROW", "json%00", "a".repeat(3000),
      "arrow%0d%0aSet-Cookie:%20x=1", "%E2%80%AEjson"));
  static final Values METHOD = new Values(List.of("ablation", "shapley"), List.of("lime", "%00", "shap ley", "ablation,shapley"));
  static final Values TARGET = new Values(List.of("picked", "all", "top-1", "top-3"),
      List.of("top-0", "top--1", "top-99999999999", "top-abc", "top-", "everything", "top-1.5"));
  static final Values OUTPUT = new Values(List.of("probability", "logit"), List.of("prob", "raw", "-1"));
  static final Values NORMALIZE = new Values(List.of("all", "positive", "negative", "absolute"),
      List.of("none", "ALL%00", "0"));
  static final Values OUTLIER = new Values(List.of("0", "2", "99.9"),
      List.of("NaN", "-1", "100", "1e9", "Infinity", "-Infinity", "abc", "0x10", "1e-400x"));
  static final Values PERMUTATIONS = new Values(List.of("1", "25", "1000"),
      List.of("0", "-1", "1001", "1000000000", "abc", "1.5", "99999999999", "2147483648"));
  static final Values SEED = new Values(List.of("0", "-5", "9223372036854775807"),
      List.of("abc", "99999999999999999999", "1.0", "NaN"));
  static final Values WINDOW = new Values(List.of("8,8", "4,4", "1,1", "16,16"),
      List.of("0,0", "-1,4", "8", "a,b", "8,8,8", "99999999999,1", "4,%00", ",", "NaN,NaN"));
  static final Values STRIDE = new Values(List.of("4,4", "1,1", "2,3"), List.of("0,0", "-4,4", "0,4", "4", "x,y"));
  static final Values LINE_WALK_BASELINE = new Values(List.of("zero", "mean", "0,0", "1.5,-2"),
      List.of("NaN,0", "Infinity,0", "-Infinity,0", "1e309,0", "NaN", "0", "0,0,0", "a,b", "0,NaN", "inf,0",
          "0x1p3,0x", "0,".repeat(1500) + "0", "%00,0", "0;0"));
  static final Values DOTS_BASELINE = new Values(List.of("zero", "mean", "1,".repeat(511) + "1"),
      List.of("NaN," + "0,".repeat(510) + "0", "0,".repeat(511) + "Infinity", "0,0", "256"));
  /** Group definitions; the bad ones include JSON nested past Jackson's depth limit. */
  static final Values GROUPS = new Values(List.of("features", "keys", "{\"both\": [\"position\", \"velocity\"]}",
      "{\"pos\": [\"position\"]}"),
      List.of("{\"a\":", "[1,2]", "{\"x\": [\"nope\"]}", "{\"x\": 5}", "null", "pairs", "{\"x\": " + "[".repeat(1200)
          + "]".repeat(1200) + "}", "\"features\""));

  static HostileRequest steps(SplittableRandom rng) {
    Query q = new Query(rng);
    boolean dots = rng.nextInt(3) == 0;
    q.range(dots);
    q.param("format", FORMAT);
    return HostileRequest.get("steps-params", (dots ? DT : LW) + "/episodes/" + q.episode + "/steps" + q,
        q.bad ? refusal() : may200());
  }

  static HostileRequest attributions(SplittableRandom rng) {
    Query q = new Query(rng);
    boolean dots = rng.nextInt(3) == 0;
    q.range(dots);
    if (dots) {
      if (rng.nextBoolean()) {
        // Window and stride are judged only where they apply: a server may ignore them otherwise.
        q.add("method", "occlusion");
        q.param("window", WINDOW);
        q.param("stride", STRIDE);
      } else {
        q.param("method", new Values(List.of("ablation"), List.of("occlusion%20", "lime")));
      }
      q.param("baseline", DOTS_BASELINE);
    } else {
      q.param("method", METHOD);
      q.param("permutations", PERMUTATIONS);
      q.param("seed", SEED);
      q.param("baseline", LINE_WALK_BASELINE);
      q.param("groups", GROUPS);
    }
    q.param("target", TARGET);
    q.param("output", OUTPUT);
    q.param("normalize", NORMALIZE);
    q.param("outlier", OUTLIER);
    return HostileRequest.get("attribution-params", (dots ? DT : LW) + "/episodes/" + q.episode + "/attributions" + q,
        q.bad ? refusal() : may200());
  }

  /** A query string being built, and whether any of its values must be refused. */
  static final class Query {
    final SplittableRandom rng;
    final StringBuilder s = new StringBuilder();
    boolean bad;
    int episode;

    Query(SplittableRandom rng) {
      this.rng = rng;
    }

    void add(String name, String value) {
      s.append(s.length() == 0 ? '?' : '&').append(name).append('=').append(value.startsWith("{")
          || value.startsWith("[") || value.contains(" ") || value.contains("\"") ? enc(value) : value);
    }

    /** Left out (half the time), good, or (one time in five) bad. */
    void param(String name, Values v) {
      int roll = rng.nextInt(10);
      if (roll < 5) {
        return;
      }
      if (roll < 8) {
        add(name, v.good().get(rng.nextInt(v.good().size())));
      } else {
        add(name, v.bad().get(rng.nextInt(v.bad().size())));
        bad = true;
      }
    }

    /**
     * A small accepted range, or an absurd one. Episode 0 has 5 001 rows, 1 and 2 about 21; the
     * short ones take no {@code to} (their default range is small).
     */
    void range(boolean dots) {
      episode = rng.nextInt(3);
      int roll = rng.nextInt(10);
      if (roll < 6) {
        int from = rng.nextInt(episode == 0 ? 4_900 : 10);
        add("from", Integer.toString(from));
        if (episode == 0 || rng.nextBoolean()) {
          add("to", Integer.toString(from + rng.nextInt(1 + (dots ? 5 : 30))));
        }
        return;
      }
      if (roll < 7) {
        episode = 1 + rng.nextInt(2); // whole short episode
        return;
      }
      bad = true;
      switch (rng.nextInt(9)) {
        case 0 -> { add("from", "10"); add("to", "5"); }
        case 1 -> { add("from", "0"); add("to", "1000000000"); }
        case 2 -> { add("from", "2147483648"); }
        case 3 -> { add("from", "-1"); add("to", "3"); }
        case 4 -> { add("from", "abc"); }
        case 5 -> { add("from", "0"); add("to", "20001"); }
        case 6 -> { add("from", "1e3"); add("to", "2e3"); }
        case 7 -> { add("from", "5002"); add("to", "5003"); episode = 0; }
        default -> { add("to", "-2147483648"); }
      }
    }

    @Override
    public String toString() {
      return s.toString();
    }
  }
}
