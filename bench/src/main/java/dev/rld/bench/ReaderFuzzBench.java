package dev.rld.bench;

import dev.rld.format.ReaderFuzz;
import dev.rld.format.ReaderFuzz.Outcome;
import dev.rld.format.Rollout;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Steps;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The reader's hostile-input battery in full: a small recording (with every agent column), closed
 * and unclosed, cut at every offset and with every byte flipped by several masks; each mutated
 * file is opened, read completely and verified within an 8 MB allocator. Prints the outcomes
 * (docs/PERFORMANCE.md, "Reader robustness"), then what checksums cost on the read path.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.ReaderFuzzBench}
 */
public final class ReaderFuzzBench {
  static final int[] MASKS = {0x01, 0x10, 0x80, 0xFF};

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("rld-fuzz");
    Path closed = dir.resolve("walk.arrow");
    ReaderFuzz.record(closed, 3, 12, 5);
    List<String> original;
    try (Rollout r = Rollout.open(closed)) {
      original = ReaderFuzz.dump(r);
    }
    System.out.printf("%-22s %7s %8s %9s %9s %8s %7s %6s%n", "mutation", "files", "refused", "identical",
        "recovered", "changed", "other", "s");
    List<String> others = new ArrayList<>();
    for (boolean unclosed : new boolean[] {false, true}) {
      byte[] bytes = unclosed ? ReaderFuzz.unclosed(closed) : Files.readAllBytes(closed);
      String kind = unclosed ? "unclosed" : "closed";
      List<byte[]> cuts = new ArrayList<>();
      for (int cut = 0; cut < bytes.length; cut++) {
        cuts.add(Arrays.copyOf(bytes, cut));
      }
      run(kind + " " + bytes.length + " B, cut", cuts, dir, original, others);
      List<byte[]> flips = new ArrayList<>();
      for (int offset = 0; offset < bytes.length; offset++) {
        for (int mask : MASKS) {
          byte[] b = bytes.clone();
          b[offset] ^= (byte) mask;
          flips.add(b);
        }
      }
      run(kind + ", flipped", flips, dir, original, others);
    }
    others.stream().limit(10).forEach(o -> System.out.println("  other: " + o));
    checksumCost(dir);
  }

  private static void run(String name, List<byte[]> files, Path dir, List<String> original, List<String> others)
      throws Exception {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    Path f = dir.resolve("mutated.arrow");
    long t0 = System.nanoTime();
    try (RootAllocator root = new RootAllocator(); BufferAllocator allocator = root.newChildAllocator("fuzz", 0, 8 << 20)) {
      for (byte[] content : files) {
        Files.write(f, content);
        ReaderFuzz.Result r = ReaderFuzz.classify(f, original, allocator);
        counts.merge(r.outcome(), 1, Integer::sum);
        if (r.outcome() == Outcome.OTHER) {
          others.add(name + ": " + r.detail());
        }
      }
    }
    System.out.printf("%-22s %7d %8d %9d %9d %8d %7d %6.0f%n", name, files.size(), counts.getOrDefault(Outcome.REFUSED, 0),
        counts.getOrDefault(Outcome.IDENTICAL, 0), counts.getOrDefault(Outcome.RECOVERED, 0),
        counts.getOrDefault(Outcome.CHANGED, 0), counts.getOrDefault(Outcome.OTHER, 0), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Reading every row of a larger recording, against computing the CRC32C of all its bytes once
   * (what verification adds to that read).
   */
  private static void checksumCost(Path dir) throws Exception {
    Path big = dir.resolve("big.arrow");
    ReaderFuzz.record(big, 200, 1000, 1000);
    byte[] bytes = Files.readAllBytes(big);
    double read = Double.MAX_VALUE;
    double crc = Double.MAX_VALUE;
    long rows = 0;
    for (int rep = 0; rep < 7; rep++) {
      long t0 = System.nanoTime();
      rows = 0;
      try (Rollout r = Rollout.open(big)) {
        for (EpisodeSummary e : r.episodes()) {
          try (Steps s = r.read(e.index(), 0, e.observations())) {
            rows += s.size();
          }
        }
      }
      read = Math.min(read, (System.nanoTime() - t0) / 1e6);
      t0 = System.nanoTime();
      CRC32C c = new CRC32C();
      c.update(ByteBuffer.wrap(bytes));
      crc = Math.min(crc, (System.nanoTime() - t0) / 1e6);
    }
    System.out.printf("read path: %d rows (%.1f MB) read in %.1f ms (best of 7); CRC32C of every byte %.2f ms = %.1f %%%n",
        rows, bytes.length / 1e6, read, crc, 100 * crc / read);
  }
}
