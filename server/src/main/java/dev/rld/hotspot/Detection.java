package dev.rld.hotspot;

import java.util.List;

/** What one detector found in an episode, or why it could not look (then {@code found} is empty). */
record Detection(String kind, List<Hotspot> found, String why) {

  static Detection of(String kind, List<Hotspot> found) {
    return new Detection(kind, found, null);
  }

  static Detection skipped(String kind, String why) {
    return new Detection(kind, List.of(), why);
  }

  DetectorRun run() {
    return why == null ? DetectorRun.ran(kind, found.size()) : DetectorRun.skipped(kind, why);
  }
}
