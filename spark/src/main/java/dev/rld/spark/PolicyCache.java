package dev.rld.spark;

import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy of each executor: the model's bytes arrive once per executor (a broadcast), are
 * written to a local file and loaded once, and every task of that executor shares the session
 * (ONNX Runtime sessions are thread-safe). One intra-op thread per call: Spark already runs one
 * task per core, and more threads per call would only contend with the other tasks.
 */
final class PolicyCache {
  private static final Map<String, Policy> POLICIES = new ConcurrentHashMap<>();

  private PolicyCache() {}

  static Policy get(byte[] model, String policyOutput, Space actions) {
    String key = sha256(model) + ";" + policyOutput + ";" + (actions instanceof Box);
    return POLICIES.computeIfAbsent(key, k -> load(model, policyOutput, actions));
  }

  /** As {@code rld attribute} loads it: Box actions are the output; else logits or probabilities. */
  static Policy load(byte[] model, String policyOutput, Space actions) {
    try {
      Path file = Files.createTempFile("rld-policy-", ".onnx");
      file.toFile().deleteOnExit();
      Files.write(file, model);
      return OnnxPolicy.load(file, kind(policyOutput, actions), 1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Policy.Output kind(String policyOutput, Space actions) {
    if (actions instanceof Box) {
      return Policy.Output.ACTIONS;
    }
    return switch (policyOutput) {
      case "logits" -> Policy.Output.LOGITS;
      case "probabilities" -> Policy.Output.PROBABILITIES;
      default -> throw new IllegalArgumentException("--policy-output must be logits or probabilities, got '"
          + policyOutput + "'");
    };
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
