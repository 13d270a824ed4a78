package dev.rld.api;

import static dev.rld.api.HostileRequest.Expect.refusal;
import static dev.rld.api.HostileRequest.Expect.status;
import static dev.rld.api.HostileRequests.DT;
import static dev.rld.api.HostileRequests.LW;

import dev.rld.api.HostileRequest.Expect;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bodies for {@code POST /evaluate}: observations outside the space (NaN, 256 in a uint8 Box,
 * wrong shapes), malformed, huge and deeply nested JSON, and wrong content types.
 */
final class HostileBodies {
  /** Over the 1 MB body limit of docs/api.md. */
  static final int OVER_LIMIT = 2 * 1024 * 1024;

  private HostileBodies() {}

  static HostileRequest post(String kind, String target, String json, Expect expect) {
    return HostileRequest.postJson(kind, target, json, expect);
  }

  static HostileRequest post(String kind, String target, String contentType, String body, Expect expect) {
    return HostileRequest.post(kind, target, contentType, body.getBytes(StandardCharsets.UTF_8), expect);
  }

  /** A dots observation (2×16×16 uint8), flat, with {@code value} at element {@code at}. */
  static String image(int at, String value) {
    String[] v = new String[HostileServer.IMAGE_SIZE];
    Arrays.fill(v, "7");
    if (at >= 0) {
      v[at] = value;
    }
    return "{\"observation\": [" + String.join(",", v) + "]}";
  }

  /** The same observation nested by shape [2, 16, 16]. */
  static String nestedImage() {
    String row = "[" + String.join(",", java.util.Collections.nCopies(16, "3")) + "]";
    String frame = "[" + String.join(",", java.util.Collections.nCopies(16, row)) + "]";
    return "{\"observation\": [" + frame + "," + frame + "]}";
  }

  static HostileRequest evaluate(SplittableRandom rng) {
    int roll = rng.nextInt(10);
    if (roll == 0) {
      return contentType(rng);
    }
    if (roll == 1) {
      return huge(rng);
    }
    boolean dots = rng.nextBoolean();
    String target = (dots ? DT : LW) + "/evaluate";
    if (rng.nextInt(4) == 0) {
      String good = dots ? pick(rng, List.of(image(-1, "0"), image(5, "255"), nestedImage()))
          : pick(rng, List.of("{\"observation\": [0.1, 0.2]}", "{\"observation\": [-10, 3], \"extra\": 1}",
              "{\"observation\": [0, 0]}"));
      return post("evaluate-valid", target, good, status("must-be-200", 200));
    }
    String bad = dots
        ? pick(rng, List.of(image(rng.nextInt(512), "256"), image(rng.nextInt(512), "-1"), image(3, "1.5"),
            image(0, "\"NaN\""), image(511, "1e309"), image(10, "null"),
            "{\"observation\": [" + "0,".repeat(510) + "0]}", "{\"observation\": [" + "0,".repeat(512) + "0]}",
            "{\"observation\": [[1, 2], [3]]}", "{\"observation\": " + "[".repeat(3) + "0" + "]".repeat(3) + "}"))
        : pick(rng, List.of("{\"observation\": [0.1]}", "{\"observation\": [0.1, 0.2, 0.3]}",
            "{\"observation\": [\"NaN\", 0]}", "{\"observation\": [NaN, 0]}", "{\"observation\": [1e309, 0]}",
            "{\"observation\": [100, 0]}", "{\"observation\": null}", "{\"observation\": \"abc\"}", "{}",
            "{\"observation\": {\"a\": 1}}", "{\"observation\": [true, false]}", "{\"observation\": [[0.1], [0.2]]}",
            "{\"observation\": [\"Infinity\", 0]}", "{\"observation\": [-1e-400, 1e400]}", "[0.1, 0.2]", "null",
            "\"observation\"", "{", "{\"observation\": [0.1, 0.2]", "", "{\"observation\": [0.1,, 0.2]}",
            "{\"observation\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
            "[".repeat(100_000), "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000),
            "{\"observation\": [0.1, 0.2], \"observation\": [0.3]}"));
    return post("evaluate-bad", target, bad, refusal());
  }

  private static HostileRequest contentType(SplittableRandom rng) {
    String body = "{\"observation\": [0.1, 0.2]}";
    String ct = pick(rng, List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "text/json", "application/jsonx", "application/xml", "text/plain; charset=utf-8", ""));
    if (ct.isEmpty()) {
      return HostileRequest.post("content-type", LW + "/evaluate", null, body.getBytes(StandardCharsets.UTF_8),
          status("must-be-415", 415));
    }
    if (rng.nextInt(4) == 0) {
      String ok = pick(rng, List.of("application/json; charset=utf-8", "application/json;charset=UTF-8"));
      return post("content-type-ok", LW + "/evaluate", ok, body, status("must-be-200", 200));
    }
    return post("content-type", LW + "/evaluate", ct, body, status("must-be-415", 415));
  }

  private static HostileRequest huge(SplittableRandom rng) {
    StringBuilder s = new StringBuilder("{\"observation\": [0.1, 0.2], \"pad\": [");
    while (s.length() < OVER_LIMIT) {
      s.append(rng.nextInt(1000)).append(',');
    }
    s.append("0]}");
    HostileRequest r = post("huge-body", (rng.nextBoolean() ? LW : DT) + "/evaluate", s.toString(),
        status("must-be-413", 413));
    return rng.nextBoolean() ? r : r.asRaw();
  }

  static <T> T pick(SplittableRandom rng, List<T> options) {
    return options.get(rng.nextInt(options.size()));
  }
}
