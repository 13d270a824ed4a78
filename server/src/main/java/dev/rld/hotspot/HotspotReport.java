package dev.rld.hotspot;

import java.util.List;

/**
 * The hotspots of one episode, strongest first (ties by first row), at most
 * {@link HotspotFinder#MAX_HOTSPOTS}, and what every detector did.
 */
public record HotspotReport(int episode, List<Hotspot> hotspots, List<DetectorRun> detectors) {

  /** Heap bytes this report holds, roughly: what a cache bounded in bytes weighs it by. */
  public long bytes() {
    long b = 64;
    for (Hotspot h : hotspots) {
      b += 64 + 2L * h.reason().length();
    }
    for (DetectorRun d : detectors) {
      b += 48 + (d.why() == null ? 0 : 2L * d.why().length());
    }
    return b;
  }
}
