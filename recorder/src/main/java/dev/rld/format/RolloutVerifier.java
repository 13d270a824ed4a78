package dev.rld.format;

import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Checks a rollout file completely, as {@code rld verify} does: every record batch is read and
 * its CRC32C checked (format 1.1), every value decoded and checked against its space, the null
 * pattern of final rows checked, and the episode index rebuilt from the rows and compared with
 * the footer's. Opening a {@link Rollout} checks structure only; this reads everything.
 */
public final class RolloutVerifier {
  private RolloutVerifier() {}

  /**
   * What verifying one file found.
   *
   * @param problem the first problem (naming the batch or row and byte offset), or null when
   *     the file is good
   * @param checksummed whether the file carries checksums (format 1.1), so that every byte of
   *     its batches was checked
   */
  public record Result(Path file, int batches, int episodes, long steps, boolean checksummed, String problem) {
    public boolean ok() {
      return problem == null;
    }

    /** One line for users. */
    public String describe() {
      if (!ok()) {
        return "BAD " + problem;
      }
      return "OK " + file + ": " + batches + " batches, " + episodes + " episodes, " + steps + " steps checked"
          + (checksummed ? "" : " (no checksums: written before format 1.1, so bytes that still decode "
              + "to valid values cannot be checked)");
    }
  }

  /** The files {@code path} stands for: itself, or a directory's rollout files (as {@link Rollout#open}). */
  public static List<Path> files(Path path) throws IOException {
    return RolloutFiles.filesOf(path);
  }

  /** Told how far verifying a file has come. */
  @FunctionalInterface
  public interface Progress {
    void batches(int done, int total);
  }

  /** Verifies one file; a file that cannot be read at all is a bad result too, not an exception. */
  public static Result verify(Path file, BufferAllocator allocator, Progress progress) throws IOException {
    try (RolloutFile f = RolloutFile.open(file, allocator)) {
      int batches = f.batchCount();
      EpisodeIndex rebuilt = new EpisodeIndex();
      EpisodeScanner scanner = new EpisodeScanner(rebuilt, file);
      SpaceCodec obs = SpaceCodec.of(f.header.observationSpace());
      SpaceCodec act = SpaceCodec.of(f.header.actionSpace());
      for (int b = 0; b < batches; b++) {
        try (VectorSchemaRoot batch = f.loadBatch(b)) {
          String problem = rows(batch, f.header, obs, act);
          if (problem != null) {
            throw new InvalidRolloutException(file, "record batch " + b + " at byte " + f.batchOffset(b)
                + ", " + problem);
          }
          rebuilt.addBatch(batch.getRowCount());
          scanner.accept(batch);
        }
        progress.batches(b + 1, batches);
      }
      scanner.finish();
      compare(file, f.index.episodes(), rebuilt.episodes());
      long steps = rebuilt.episodes().stream().mapToLong(EpisodeIndex.Entry::steps).sum();
      return new Result(file, batches, rebuilt.episodes().size(), steps, f.index.hasCrcs() || batches == 0
          && RolloutSchema.hasChecksums(f.header.formatVersion()), null);
    } catch (InvalidRolloutException e) {
      return new Result(file, 0, 0, 0, false, e.getMessage());
    }
  }

  /** The first row whose values break the format, or null. */
  private static String rows(VectorSchemaRoot batch, RolloutHeader header, SpaceCodec obs, SpaceCodec act) {
    Space obsSpace = header.observationSpace();
    Space actSpace = header.actionSpace();
    FieldVector observations = batch.getVector(RolloutSchema.OBSERVATIONS);
    FieldVector actions = batch.getVector(RolloutSchema.ACTIONS);
    Float8Vector rewards = (Float8Vector) batch.getVector(RolloutSchema.REWARDS);
    for (int r = 0; r < batch.getRowCount(); r++) {
      String why = obsSpace.mismatch(obs.read(observations, r));
      if (why != null) {
        return "row " + r + ": observation " + why;
      }
      Object action = act.read(actions, r);
      if (action != null && (why = actSpace.mismatch(action)) != null) {
        return "row " + r + ": action " + why;
      }
      boolean finalRow = action == null;
      for (String column : List.of(RolloutSchema.REWARDS, RolloutSchema.TERMINATIONS, RolloutSchema.TRUNCATIONS)) {
        if (batch.getVector(column).isNull(r) != finalRow) {
          return "row " + r + ": '" + column + "' is " + (finalRow ? "set on a final row (null action)"
              : "null on a row with an action");
        }
      }
      if (!finalRow && Double.isNaN(rewards.get(r))) {
        return "row " + r + ": the reward is NaN";
      }
      for (String column : List.of(RolloutSchema.PROBABILITIES, RolloutSchema.LOGITS, RolloutSchema.VALUE,
          RolloutSchema.SCALARS)) {
        FieldVector v = batch.getVector(column);
        if (finalRow && v != null && !v.isNull(r)) {
          return "row " + r + ": '" + column + "' is set on a final row";
        }
      }
    }
    return null;
  }

  private static void compare(Path file, List<EpisodeIndex.Entry> index, List<EpisodeIndex.Entry> rows)
      throws InvalidRolloutException {
    for (int i = 0; i < Math.max(index.size(), rows.size()); i++) {
      EpisodeIndex.Entry a = i < index.size() ? index.get(i) : null;
      EpisodeIndex.Entry b = i < rows.size() ? rows.get(i) : null;
      if (a == null || !a.equals(b)) {
        throw new InvalidRolloutException(file, "the footer's index disagrees with the rows at episode " + i
            + ": index " + a + ", rows " + b);
      }
    }
  }
}
