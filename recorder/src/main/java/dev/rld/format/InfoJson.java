package dev.rld.format;

import static dev.rld.format.RolloutSchema.INFOS;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The infos of a {@link RolloutWriter}'s rows as JSON, serialised on arrival so that a bad info fails the call that gave it. */
final class InfoJson {
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
      return ("{\"" + RolloutSchema.RESET_INFO_KEY + "\":{\"seed\":" + seed + "}}")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
}
