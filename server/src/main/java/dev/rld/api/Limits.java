package dev.rld.api;

import java.time.Duration;

/**
 * What one request may cost the server (docs/api.md, "Limits"): checked from the request alone,
 * before any work starts, so that no request inside the limits takes minutes of both cores or
 * gigabytes of heap. Over a limit the answer is 413 with the cheaper request to make instead.
 *
 * @param maxPolicyRows policy evaluations (perturbed observations) one attributions request may need
 * @param maxPerturbedValues those rows times the flattened observation length
 * @param maxResultBytes heap held by one request's computed attributions (steps × targets × features × 8)
 * @param maxResponseBytes estimated size of one JSON or Arrow answer
 * @param attributionWorkers threads computing attributions, shared by all requests
 * @param attributionQueue requests waiting for a worker before new ones get 429
 * @param attributionTimeout wall time after which a computation is cancelled (503)
 * @param cacheBytes heap for cached attributions, shared by every recording served
 * @param maxBodyBytes largest request body
 * @param idleTimeout a connection idle this long is closed
 * @param minRequestDataRate bytes per second a request body must arrive at, at least
 */
public record Limits(long maxPolicyRows, long maxPerturbedValues, long maxResultBytes, long maxResponseBytes,
    int attributionWorkers, int attributionQueue, Duration attributionTimeout, long cacheBytes,
    long maxBodyBytes, Duration idleTimeout, long minRequestDataRate) {

  /** The defaults: sized for a laptop, a quarter of the heap for the cache. */
  public static Limits defaults() {
    long heap = Runtime.getRuntime().maxMemory();
    return new Limits(1L << 24, 1L << 30, 256L << 20, 64L << 20,
        Math.max(1, Runtime.getRuntime().availableProcessors()), 256, Duration.ofSeconds(120),
        Math.max(16L << 20, heap / 4), 1L << 20, Duration.ofSeconds(30), 1024);
  }

  public Limits withCacheBytes(long bytes) {
    return new Limits(maxPolicyRows, maxPerturbedValues, maxResultBytes, maxResponseBytes, attributionWorkers,
        attributionQueue, attributionTimeout, bytes, maxBodyBytes, idleTimeout, minRequestDataRate);
  }

  public Limits withAttributionWork(int workers, int queue, Duration timeout) {
    return new Limits(maxPolicyRows, maxPerturbedValues, maxResultBytes, maxResponseBytes, workers, queue,
        timeout, cacheBytes, maxBodyBytes, idleTimeout, minRequestDataRate);
  }

  public Limits withCost(long policyRows, long perturbedValues, long resultBytes, long responseBytes) {
    return new Limits(policyRows, perturbedValues, resultBytes, responseBytes, attributionWorkers,
        attributionQueue, attributionTimeout, cacheBytes, maxBodyBytes, idleTimeout, minRequestDataRate);
  }

  public Limits withConnections(Duration idle, long minDataRate) {
    return new Limits(maxPolicyRows, maxPerturbedValues, maxResultBytes, maxResponseBytes, attributionWorkers,
        attributionQueue, attributionTimeout, cacheBytes, maxBodyBytes, idle, minDataRate);
  }
}
