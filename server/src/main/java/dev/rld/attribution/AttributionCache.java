package dev.rld.attribution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computed attributions by (episode, computation, step), least recently used evicted first.
 * Shared by all requests of one served recording; thread-safe.
 */
public final class AttributionCache {
  private final int capacity;
  private final Map<String, StepAttribution> entries;

  public AttributionCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StepAttribution> eldest) {
        return size() > AttributionCache.this.capacity;
      }
    };
  }

  private static String key(int episode, String computation, int step) {
    return episode + "|" + computation + "|" + step;
  }

  public synchronized StepAttribution get(int episode, String computation, int step) {
    return entries.get(key(episode, computation, step));
  }

  public synchronized void put(int episode, String computation, StepAttribution a) {
    entries.put(key(episode, computation, a.step()), a);
  }

  public synchronized int size() {
    return entries.size();
  }
}
