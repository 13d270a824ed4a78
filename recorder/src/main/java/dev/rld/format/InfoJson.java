package dev.rld.format;

import static dev.rld.format.RolloutSchema.INFOS;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The infos of a {@link RolloutWriter}'s rows as JSON, serialised on arrival so that a bad info fails the call that gave it. */
final class InfoJson {
  private static final byte[] SEED_PREFIX = ("{\"" + RolloutSchema.RESET_INFO_KEY + "\":{\"seed\":")
      .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private InfoJson() {}

  /** Reset's info with the reserved {@code rld.reset} entry holding the seed and options. */
  static byte[] reset(Long seed, Map<String, Object> options, Map<String, Object> info,
      int episode) {
    boolean noOptions = options == null || options.isEmpty();
    if (info != null && info.containsKey(RolloutSchema.RESET_INFO_KEY)) {
      throw new IllegalArgumentException(RolloutWriter.where(episode, 0, INFOS) + "the info key '"
          + RolloutSchema.RESET_INFO_KEY + "' is reserved for the recorder");
    }
    if (seed == null && noOptions) {
      return of(info, episode, 0);
    }
    if (noOptions && (info == null || info.isEmpty())) {
      // The common case, once per episode: no need for a JSON library.
      return seedInfo(seed);
    }
    Map<String, Object> reset = new LinkedHashMap<>();
    if (seed != null) {
      reset.put("seed", seed);
    }
    if (!noOptions) {
      reset.put("options", options);
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    merged.put(RolloutSchema.RESET_INFO_KEY, reset);
    if (info != null) {
      merged.putAll(info);
    }
    return of(merged, episode, 0);
  }

  /** Serialised on arrival, so that a bad info fails the call that gave it. */
  static byte[] of(Map<String, Object> info, int episode, int step) {
    if (info == null || info.isEmpty()) {
      return null;
    }
    try {
      return RolloutSchema.JSON.writeValueAsBytes(info);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(RolloutWriter.where(episode, step, INFOS)
          + "info is not JSON-serialisable: " + e.getOriginalMessage());
    }
  }

  /**
   * {@code {"rld.reset":{"seed":N}}} as bytes, written directly: it comes with every episode of a
   * seeded loop, where string concatenation and encoding would be most of a short episode's
   * recording cost.
   */
  static byte[] seedInfo(long seed) {
    int digits = 1;
    for (long rest = Math.abs(seed / 10); rest > 0; rest /= 10) {
      digits++;
    }
    int sign = seed < 0 ? 1 : 0;
    byte[] out = new byte[SEED_PREFIX.length + sign + digits + 2];
    System.arraycopy(SEED_PREFIX, 0, out, 0, SEED_PREFIX.length);
    int end = SEED_PREFIX.length + sign + digits;
    if (sign == 1) {
      out[SEED_PREFIX.length] = '-';
    }
    long rest = seed;
    for (int i = end - 1; i >= SEED_PREFIX.length + sign; i--) {
      out[i] = (byte) ('0' + Math.abs(rest % 10));
      rest /= 10;
    }
    out[end] = '}';
    out[end + 1] = '}';
    return out;
  }

  /**
   * The seed of an info that is exactly what {@link #seedInfo} writes, or null for any other
   * info (which then needs a JSON parser). Readers meet this info at every episode's first row; a
   * live server scans hundreds of thousands of them a second.
   */
  static Long plainSeed(byte[] json) {
    int p = SEED_PREFIX.length;
    int end = json.length - 2;
    if (end <= p || json.length > p + 22 || json[end] != '}' || json[end + 1] != '}') {
      return null;
    }
    for (int i = 0; i < p; i++) {
      if (json[i] != SEED_PREFIX[i]) {
        return null;
      }
    }
    boolean negative = json[p] == '-';
    int i = negative ? p + 1 : p;
    if (i >= end || (json[i] == '0' && end - i > 1)) {
      return null; // no digits, or a leading zero (not JSON)
    }
    long v = 0; // accumulated negatively, so that Long.MIN_VALUE fits
    for (; i < end; i++) {
      int d = json[i] - '0';
      if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      v = v * 10 - d;
    }
    if (!negative && v == Long.MIN_VALUE) {
      return null;
    }
    return negative ? v : -v;
  }
}
