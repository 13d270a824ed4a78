package dev.rld.hotspot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one detector did for an episode: it ran and found {@code found} hotspots, or it did not
 * run and {@code why} says what it lacked (e.g. "the recording has no value column").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectorRun(String kind, boolean ran, Integer found, String why) {

  static DetectorRun ran(String kind, int found) {
    return new DetectorRun(kind, true, found, null);
  }

  static DetectorRun skipped(String kind, String why) {
    return new DetectorRun(kind, false, null, why);
  }
}
