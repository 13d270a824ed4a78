package dev.rld.attribution;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Computed attributions by (recording, episode, computation, step), bounded in bytes: one cache
 * is shared by every recording a server serves, so no mix of requests can grow the heap past
 * its budget. Thread-safe.
 */
public final class AttributionCache {
  private final Cache<Key, StepAttribution> entries;
  private final long maxBytes;

  private record Key(String recording, int episode, String computation, int step) {}

  /** A cache holding at most {@code maxBytes} of attributions (by {@link #bytes}). */
  public AttributionCache(long maxBytes) {
    this.maxBytes = maxBytes;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, StepAttribution a) -> (int) Math.min(Integer.MAX_VALUE, bytes(a) + 64 + 2L * k.computation().length()))
        .executor(Runnable::run) // evict on the caller's thread: the bound holds at once
        .build();
  }

  /** Heap bytes of one step's attributions (arrays and their headers), as the weigher counts them. */
  public static long bytes(StepAttribution a) {
    long b = 48;
    if (a.probabilities() != null) {
      b += 16 + 8L * a.probabilities().length;
    }
    b += 16 + 8L * a.values().length;
    b += 16 + 8L * a.raw().length;
    for (double[] row : a.raw()) {
      b += 16 + 8L * row.length;
    }
    if (a.atBaseline() != null) {
      b += 16 + 8L * a.atBaseline().length;
    }
    if (a.stderr() != null) {
      b += 16 + 8L * a.stderr().length;
      for (double[] row : a.stderr()) {
        b += 16 + 8L * row.length;
      }
    }
    return b;
  }

  public StepAttribution get(String recording, int episode, String computation, int step) {
    return entries.getIfPresent(new Key(recording, episode, computation, step));
  }

  public void put(String recording, int episode, String computation, StepAttribution a) {
    entries.put(new Key(recording, episode, computation, a.step()), a);
  }

  /** The budget in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Bytes currently held, as the weigher counts them. */
  public long weightedBytes() {
    entries.cleanUp();
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }
}
