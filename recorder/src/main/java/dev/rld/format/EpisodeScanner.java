package dev.rld.format;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Builds episode entries from the small columns, batch after batch (docs/format.md section 8):
 * for files without an index, and for {@code rld verify} to check one.
 */
final class EpisodeScanner {
  private final EpisodeIndex index;
  private final Path path;
  private long row;
  private int id = Integer.MIN_VALUE;
  private long firstRow;
  private int rows;
  private int steps;
  private double ret;
  private boolean terminated;
  private boolean truncated;
  private boolean lastRowFinal;
  private Long seed;

  EpisodeScanner(EpisodeIndex index, Path path) {
    this.index = index;
    this.path = path;
  }

  /** This scanner's state, adding to {@code into} from now on (for a growing file's snapshots). */
  EpisodeScanner copyInto(EpisodeIndex into) {
    EpisodeScanner c = new EpisodeScanner(into, path);
    c.row = row;
    c.id = id;
    c.firstRow = firstRow;
    c.rows = rows;
    c.steps = steps;
    c.ret = ret;
    c.terminated = terminated;
    c.truncated = truncated;
    c.lastRowFinal = lastRowFinal;
    c.seed = seed;
    return c;
  }

  void accept(VectorSchemaRoot batch) throws InvalidRolloutException {
    IntVector ids = (IntVector) batch.getVector(RolloutSchema.EPISODE_ID);
    FieldVector actions = batch.getVector(RolloutSchema.ACTIONS);
    Float8Vector rewards = (Float8Vector) batch.getVector(RolloutSchema.REWARDS);
    BitVector term = (BitVector) batch.getVector(RolloutSchema.TERMINATIONS);
    BitVector trunc = (BitVector) batch.getVector(RolloutSchema.TRUNCATIONS);
    VarCharVector infos = (VarCharVector) batch.getVector(RolloutSchema.INFOS);
    for (int r = 0; r < batch.getRowCount(); r++, row++) {
      if (ids.isNull(r)) {
        throw new InvalidRolloutException(path, "row " + row + " has a null episode_id");
      }
      int rowId = ids.get(r);
      if (rowId != id || lastRowFinal) {
        finish();
        id = rowId;
        firstRow = row;
        seed = infos == null || infos.isNull(r) ? null : resetSeed(infos.get(r));
      }
      rows++;
      lastRowFinal = actions.isNull(r);
      if (!lastRowFinal) {
        steps++;
        ret += rewards.isNull(r) ? 0 : rewards.get(r);
        terminated = !term.isNull(r) && term.get(r) == 1;
        truncated = !trunc.isNull(r) && trunc.get(r) == 1;
      }
    }
  }

  void finish() {
    if (rows > 0) {
      index.addEpisode(new EpisodeIndex.Entry(id, firstRow, rows, steps, ret, seed, terminated,
          truncated, lastRowFinal));
    }
    rows = 0;
    steps = 0;
    ret = 0;
    terminated = false;
    truncated = false;
    lastRowFinal = false;
    seed = null;
  }

  private Long resetSeed(byte[] json) throws InvalidRolloutException {
    try {
      return RolloutSchema.resetSeed(json);
    } catch (IOException e) {
      throw new InvalidRolloutException(path, "row " + row + ": infos is not valid JSON");
    }
  }
}

