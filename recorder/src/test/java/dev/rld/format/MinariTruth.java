package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Checks every value a {@link Rollout} reads from a Minari dataset against the writer's truth.json. */
final class MinariTruth {
  private MinariTruth() {}

  /**
   * @param pixelTolerance how far a decoded JPEG pixel may be from the writer's: libjpeg (PIL)
   *     and Java's ImageIO decoder round their inverse DCT and chroma upsampling differently
   */
  static void check(Rollout r, JsonNode truth, int pixelTolerance) throws Exception {
    JsonNode eps = truth.get("episodes");
    assertEquals(eps.size(), r.episodes().size());
    for (int e = 0; e < eps.size(); e++) {
      JsonNode te = eps.get(e);
      EpisodeSummary s = r.episodes().get(e);
      int n = te.get("rewards").size();
      assertEquals(n, s.length(), "episode " + e + " length");
      assertEquals(te.get("id").asInt(), s.episodeId());
      JsonNode seed = te.get("seed");
      boolean fits = seed.isIntegralNumber() && seed.bigIntegerValue().bitLength() < 64;
      assertEquals(fits ? Long.valueOf(seed.asLong()) : null, s.seed(), "episode " + e + " seed");
      double total = 0;
      for (JsonNode x : te.get("rewards")) {
        total += x.asDouble();
      }
      assertEquals(total, s.totalReturn(), 1e-9);
      assertEquals(te.get("terminations").get(n - 1).asBoolean(), s.terminated());
      assertEquals(te.get("truncations").get(n - 1).asBoolean(), s.truncated());
      try (Steps steps = r.read(e, 0, n + 1)) {
        for (int t = 0; t <= n; t++) {
          String at = "episode " + e + " step " + t;
          same(te.get("observations").get(t), steps.observation(t), pixelTolerance, at + " observation");
          if (t < n) {
            same(te.get("actions").get(t), steps.action(t), 0, at + " action");
            assertEquals(te.get("rewards").get(t).asDouble(), steps.reward(t), 1e-6, at + " reward");
            assertEquals(te.get("terminations").get(t).asBoolean(), steps.terminated(t), at);
            assertEquals(te.get("truncations").get(t).asBoolean(), steps.truncated(t), at);
          } else {
            assertNull(steps.action(t), at);
            assertNull(steps.reward(t), at);
          }
          JsonNode infos = te.get("infos");
          Map<String, Object> info = steps.info(t);
          if (infos == null || infos.isNull()) {
            assertEquals(Map.of(), info, at + " info");
          } else {
            // Numbers compare by value: JSON from JavaScript writes 0.0 as 0.
            JsonNode got = MinariFixtures.JSON.valueToTree(info);
            assertTrue(infos.get(t).equals((a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1, got),
                at + " info: expected " + infos.get(t) + " but was " + got);
          }
        }
        // The reset info carries the seed (exactly, even above Long.MAX_VALUE) and the options.
        JsonNode reset = resetInfo(steps);
        assertEquals(seed.isNull() ? null : seed.bigIntegerValue(),
            reset.path("seed").isMissingNode() ? null : reset.get("seed").bigIntegerValue(), "episode " + e);
        JsonNode options = te.path("options");
        if (options.size() > 0) {
          assertEquals(options, reset.get("options"));
        }
      }
    }
  }

  private static JsonNode resetInfo(Steps steps) throws Exception {
    org.apache.arrow.vector.VarCharVector v = (org.apache.arrow.vector.VarCharVector) steps.arrow().getVector("infos");
    if (v.isNull(0)) {
      return MinariFixtures.JSON.createObjectNode();
    }
    return MinariFixtures.JSON.readTree(v.get(0)).path(RolloutSchema.RESET_INFO_KEY);
  }

  /** A value read (our Java value) against the truth (nested JSON lists, objects for Dict). */
  static void same(JsonNode expected, Object actual, int tolerance, String at) {
    if (expected.isObject()) {
      Map<?, ?> m = (Map<?, ?>) actual;
      assertEquals(expected.size(), m.size(), at);
      expected.fields().forEachRemaining(f -> same(f.getValue(), m.get(f.getKey()), tolerance, at + "/" + f.getKey()));
      return;
    }
    if (actual instanceof List<?> list) {
      assertEquals(expected.size(), list.size(), at);
      for (int i = 0; i < list.size(); i++) {
        same(expected.get(i), list.get(i), tolerance, at + "/" + i);
      }
      return;
    }
    List<JsonNode> flat = new java.util.ArrayList<>();
    flatten(expected, flat);
    if (!actual.getClass().isArray()) {
      assertEquals(1, flat.size(), at);
      assertEquals(flat.get(0).asLong(), ((Number) actual).longValue(), at);
      return;
    }
    assertEquals(flat.size(), Array.getLength(actual), at + " element count");
    int worst = 0;
    for (int i = 0; i < flat.size(); i++) {
      JsonNode x = flat.get(i);
      if (actual instanceof float[] f) {
        assertEquals((float) x.asDouble(), f[i], at + "[" + i + "]");
      } else if (actual instanceof double[] d) {
        assertEquals(x.asDouble(), d[i], at + "[" + i + "]");
      } else if (actual instanceof byte[] b) {
        worst = Math.max(worst, Math.abs(x.asInt() - (b[i] & 0xFF)));
      } else {
        assertEquals(new BigInteger(x.asText()).longValue(), ((Number) Array.get(actual, i)).longValue(), at + "[" + i + "]");
      }
    }
    assertTrue(worst <= tolerance, at + ": a pixel differs by " + worst + " > " + tolerance);
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      n.forEach(c -> flatten(c, out));
    } else {
      out.add(n);
    }
  }
}
