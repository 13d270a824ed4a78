package dev.rld.format;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The hostile-input battery shared by {@link ReaderFuzzTest} and the bench's ReaderFuzzBench:
 * reads a mutated file completely (open, every value of every episode, {@code rld verify}) and
 * says how the reader took it, compared with what the intact file holds.
 */
public final class ReaderFuzz {
  /** How the reader took a mutated file. */
  public enum Outcome {
    /** Refused with an {@link InvalidRolloutException} naming the file. */
    REFUSED,
    /** Read, every value as in the intact file. */
    IDENTICAL,
    /** Read fewer episodes (or a cut-off last one), each as in the intact file, and reported it. */
    RECOVERED,
    /** Read, and some value differs from the intact file's without any error: silent corruption. */
    CHANGED,
    /** Any other exception, a leak, or a refusal whose message does not name the file: a bug. */
    OTHER
  }

  /** An outcome and, for OTHER, what went wrong. */
  public record Result(Outcome outcome, String detail) {}

  private ReaderFuzz() {}

  /** A small LineWalk recording with every agent column: {@code episodes} of at most {@code maxSteps}. */
  public static void record(Path file, int episodes, int maxSteps, int flushEvery) throws Exception {
    RoundTripTest.recordLineWalk(file, episodes, maxSteps, flushEvery);
  }

  /** The bytes a recorder killed after its last flush leaves of {@code closed}: no end marker, no footer. */
  public static byte[] unclosed(Path closed) throws Exception {
    try (org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        RolloutFile f = RolloutFile.open(closed, allocator)) {
      long[] ends = f.batchEndOffsets();
      return Arrays.copyOf(java.nio.file.Files.readAllBytes(closed), (int) ends[ends.length - 1]);
    }
  }

  /** Reads {@code f} the way users do and classifies it against {@code original} ({@link #dump}). */
  public static Result classify(Path f, List<String> original, BufferAllocator allocator) {
    try {
      RolloutVerifier.Result verified = RolloutVerifier.verify(f, allocator, (done, total) -> {});
      if (allocator.getAllocatedMemory() != 0) {
        return new Result(Outcome.OTHER, "verify leaked " + allocator.getAllocatedMemory() + " bytes");
      }
      if (!verified.ok() && !verified.problem().startsWith(f.toString())) {
        return new Result(Outcome.OTHER, "verify's problem does not name the file: " + verified.problem());
      }
      List<String> read;
      boolean recovered;
      try (Rollout r = Rollout.open(f, allocator)) {
        read = dump(r);
        recovered = !r.recoveries().isEmpty();
      }
      if (read.equals(original)) {
        return new Result(Outcome.IDENTICAL, null);
      }
      return new Result(recovered && isRecoveredPrefix(read, original) ? Outcome.RECOVERED : Outcome.CHANGED, null);
    } catch (InvalidRolloutException e) {
      return e.getMessage().startsWith(f.toString()) ? new Result(Outcome.REFUSED, e.getMessage())
          : new Result(Outcome.OTHER, "message does not name the file: " + e.getMessage());
    } catch (Throwable e) {
      return new Result(Outcome.OTHER, e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(),
          Math.min(6, e.getStackTrace().length))));
    } finally {
      if (allocator.getAllocatedMemory() != 0) {
        return new Result(Outcome.OTHER, "leaked " + allocator.getAllocatedMemory() + " bytes");
      }
    }
  }

  /** Every summary and value of every episode, one line per episode and per row. */
  public static List<String> dump(Rollout r) throws Exception {
    List<String> out = new ArrayList<>();
    for (EpisodeSummary e : r.episodes()) {
      out.add("episode " + e);
      try (Steps s = r.read(e.index(), 0, e.observations())) {
        for (int i = 0; i < s.size(); i++) {
          out.add(" " + string(s.observation(i)) + " a=" + s.action(i) + " r=" + s.reward(i) + " "
              + s.terminated(i) + s.truncated(i) + " info=" + s.info(i) + " p=" + Arrays.toString(s.probabilities(i))
              + " l=" + Arrays.toString(s.logits(i)) + " v=" + s.value(i) + " " + s.scalars(i));
        }
      }
    }
    return out;
  }

  private static String string(Object value) {
    return value instanceof float[] f ? Arrays.toString(f) : String.valueOf(value);
  }

  /** Each episode read equals the intact one, but the last, which may be its beginning only. */
  static boolean isRecoveredPrefix(List<String> read, List<String> original) {
    List<List<String>> a = episodes(read);
    List<List<String>> b = episodes(original);
    for (int i = 0; i < a.size(); i++) {
      if (i >= b.size()) {
        return false;
      }
      List<String> rows = a.get(i).subList(1, a.get(i).size());
      List<String> whole = b.get(i).subList(1, b.get(i).size());
      boolean same = a.get(i).equals(b.get(i));
      boolean partialLast = i == a.size() - 1 && rows.size() <= whole.size() && whole.subList(0, rows.size()).equals(rows);
      if (!same && !partialLast) {
        return false;
      }
    }
    return true;
  }

  private static List<List<String>> episodes(List<String> lines) {
    List<List<String>> out = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("episode ")) {
        out.add(new ArrayList<>());
      }
      out.get(out.size() - 1).add(line);
    }
    return out;
  }
}
