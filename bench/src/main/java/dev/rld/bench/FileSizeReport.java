package dev.rld.bench;

import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes on disk per CartPole step against the raw payload of a step, for both agents (target:
 * at most 1.2 times the raw payload). Not a timing, so a plain program:
 * {@code java -cp bench/target/rld-bench.jar dev.rld.bench.FileSizeReport}.
 *
 * <p>The raw payload of a step is what Gymnasium hands the caller, at NumPy's widths: the
 * observation (4 x float32 = 16 B), the action (int64, 8 B), the reward (float64, 8 B), and
 * terminated and truncated (1 B each): 34 B.
 */
public final class FileSizeReport {
  static final int RAW_BYTES_PER_STEP = 16 + 8 + 8 + 1 + 1;

  public static void main(String[] args) throws IOException {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    System.out.printf("%-9s %-13s %10s %9s %12s %11s %6s%n", "agent", "batching", "steps", "episodes",
        "bytes", "bytes/step", "ratio");
    for (CartPoleAgents agent : CartPoleAgents.values()) {
      for (int minBatchRows : new int[] {1, 0}) { // 0: the writer's default
        report(agent, steps, minBatchRows);
      }
    }
    System.out.println("raw payload: " + RAW_BYTES_PER_STEP + " B/step (obs 16, action 8, reward 8, flags 2)");
  }

  private static void report(CartPoleAgents agent, long target, int minBatchRows) throws IOException {
    Path file = Files.createTempFile("rld-size-", ".arrow");
    try {
      RolloutWriter.Builder options = RolloutWriter.builder(file);
      agent.record(minBatchRows == 0 ? options : options.minBatchRows(minBatchRows), target);
      long bytes = Files.size(file);
      try (Rollout r = Rollout.open(file)) {
        double perStep = (double) bytes / r.totalSteps();
        System.out.printf("%-9s %-13s %10d %9d %12d %11.2f %6.3f%n", agent,
            minBatchRows == 1 ? "every episode" : "default", r.totalSteps(),
            r.episodes().size(), bytes, perStep, perStep / RAW_BYTES_PER_STEP);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
