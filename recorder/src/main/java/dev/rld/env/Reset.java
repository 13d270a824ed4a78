package dev.rld.env;

import java.util.Map;

/** What {@link Env#reset} returns: the first observation of an episode and an info map. */
public record Reset<O>(O observation, Map<String, Object> info) {
  public Reset {
    info = info == null ? Map.of() : info;
  }

  public Reset(O observation) {
    this(observation, Map.of());
  }
}
