package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.ReaderFuzz.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bytes: a small recording cut at every offset, and with single bytes flipped, closed
 * (footer and checksums) and unclosed (as a killed recorder leaves it). Opening, reading every
 * value and verifying may only fail with an {@link InvalidRolloutException} naming the file;
 * memory stays under a few MB (a child allocator refuses more) and is all returned; in a closed
 * file no flipped byte changes a value unnoticed.
 */
class ReaderFuzzTest {
  /**
   * Offsets tried per test: every third, and a seeded sample of flips; the bench's
   * ReaderFuzzBench runs every offset with more values (docs/PERFORMANCE.md).
   */
  static final int STRIDE = 3;
  static final int FLIPS = 2000;

  /** Far above what these small files need; a file that claims more must be refused before allocating. */
  static final long MEMORY_LIMIT = 8 << 20;

  @TempDir Path dir;
  final RootAllocator root = new RootAllocator();
  BufferAllocator allocator;
  Path closed;
  byte[] bytes;
  List<String> original;

  @BeforeEach
  void record() throws Exception {
    allocator = root.newChildAllocator("fuzz", 0, MEMORY_LIMIT);
    closed = dir.resolve("walk.arrow");
    ReaderFuzz.record(closed, 2, 10, 4);
    bytes = Files.readAllBytes(closed);
    try (Rollout r = Rollout.open(closed, allocator)) {
      original = ReaderFuzz.dump(r);
    }
  }

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
    root.close();
  }

  @Test
  void aClosedFileCutAnywhereOpensWhatIsLeftOrIsRefused() throws Exception {
    Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
    for (int cut = 0; cut < bytes.length; cut += STRIDE) {
      Outcome o = check(Arrays.copyOf(bytes, cut), "cut at " + cut, Outcome.REFUSED, Outcome.RECOVERED,
          Outcome.IDENTICAL);
      seen.merge(o, 1, Integer::sum);
    }
    assertTrue(seen.getOrDefault(Outcome.RECOVERED, 0) > 0 && seen.getOrDefault(Outcome.REFUSED, 0) > 0, seen.toString());
  }

  @Test
  void everyFlippedByteOfAClosedFileIsRefusedOrChangesNothing() throws Exception {
    int refused = 0;
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < FLIPS; i++) {
      int offset = random.nextInt(bytes.length);
      int mask = new int[] {0x01, 0x80, 0xFF}[i % 3];
      byte[] b = bytes.clone();
      b[offset] ^= (byte) mask;
      refused += check(b, "byte " + offset + " ^ " + mask, Outcome.REFUSED, Outcome.IDENTICAL) == Outcome.REFUSED ? 1 : 0;
    }
    assertTrue(refused > FLIPS * 9 / 10, "most flips are refused: " + refused + " of " + FLIPS);
  }

  @Test
  void anUnclosedFileCutOrFlippedAnywhereIsReadOrRefused() throws Exception {
    byte[] unclosed = ReaderFuzz.unclosed(closed);
    assertEquals(Outcome.IDENTICAL, check(unclosed, "unclosed", Outcome.IDENTICAL));
    for (int cut = 0; cut < unclosed.length; cut += STRIDE) {
      check(Arrays.copyOf(unclosed, cut), "cut at " + cut, Outcome.REFUSED, Outcome.RECOVERED, Outcome.IDENTICAL);
    }
    // Without a footer there are no checksums: a flipped value may pass, but nothing may crash or leak.
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < FLIPS; i++) {
      int offset = random.nextInt(unclosed.length);
      byte[] b = unclosed.clone();
      b[offset] ^= (byte) (1 + random.nextInt(255));
      check(b, "byte " + offset, Outcome.REFUSED, Outcome.IDENTICAL, Outcome.RECOVERED, Outcome.CHANGED);
    }
  }

  private Outcome check(byte[] content, String what, Outcome... allowed) throws Exception {
    Path f = Files.write(dir.resolve("mutated.arrow"), content);
    ReaderFuzz.Result r = ReaderFuzz.classify(f, original, allocator);
    assertNotEquals(Outcome.OTHER, r.outcome(), what + ": " + r.detail());
    assertTrue(List.of(allowed).contains(r.outcome()), what + ": " + r.outcome() + " " + r.detail());
    return r.outcome();
  }
}
