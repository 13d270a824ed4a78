package dev.rld.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Checks a footer's {@code rld.index} against the file before it is trusted: one entry per
 * block, each block's row count (from its message metadata: a few hundred bytes per batch, no
 * body is read) equal to the index's, and episodes that tile the rows. Opening stays lazy; the
 * values (returns, flags) are only checked by {@code rld verify}, which reads every row.
 */
final class FooterIndexCheck {
  private FooterIndexCheck() {}

  static void check(Path path, FileChannel channel, List<ArrowBlock> blocks, long footerStart,
      EpisodeIndex index) throws IOException {
    if (index.batches() != blocks.size()) {
      throw new InvalidRolloutException(path, "the footer's episode index lists " + index.batches()
          + " batches but the file has " + blocks.size());
    }
    for (int b = 0; b < blocks.size(); b++) {
      IpcMessages.Header h = IpcMessages.atBlock(path, channel, blocks.get(b), b, footerStart);
      long rows;
      try {
        rows = IpcMessages.recordBatch(h.message()).length();
      } catch (RuntimeException e) {
        throw new InvalidRolloutException(path, "record batch " + b + " at byte " + h.offset()
            + ": corrupt metadata: " + e);
      }
      if (rows != index.batchRows(b)) {
        throw new InvalidRolloutException(path, "the footer's episode index says record batch " + b
            + " has " + index.batchRows(b) + " rows but the batch at byte " + h.offset() + " has " + rows);
      }
    }
    String problem = index.inconsistency();
    if (problem != null) {
      throw new InvalidRolloutException(path, "the footer's episode index is inconsistent: " + problem);
    }
  }
}
