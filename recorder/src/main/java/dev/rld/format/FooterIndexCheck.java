package dev.rld.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Checks a footer's {@code rld.index} against the file before it is trusted: its checksums
 * (format 1.1), one entry per block, each block's row count equal to the index's (from the
 * block's message metadata, a few hundred bytes, or under the batch's checksum when it is read),
 * and episodes that tile the rows. Opening stays lazy: no body is read. The values (returns,
 * flags) are only checked by {@code rld verify}, which reads every row.
 */
final class FooterIndexCheck {
  private FooterIndexCheck() {}

  /**
   * The footer's index, checked: its own CRC and the schema message's (format 1.1), then
   * against the blocks. A 1.1 file must carry all three checksums, so that a flip that renames
   * a key cannot switch verification off.
   */
  static EpisodeIndex read(Path path, FileChannel channel, Map<String, String> footer, Schema schema,
      RolloutHeader header, List<ArrowBlock> blocks, long footerStart) throws IOException {
    String json = footer.get(RolloutSchema.KEY_INDEX);
    boolean checksummed = RolloutSchema.hasChecksums(header.formatVersion());
    String crcText = footer.get(RolloutSchema.KEY_INDEX_CRC);
    if (crcText != null || checksummed) {
      long actual = Crc.of(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
      if (!Long.toString(actual).equals(crcText)) {
        throw new InvalidRolloutException(path, "the footer's episode index is corrupt: its CRC32C is "
            + actual + " but '" + RolloutSchema.KEY_INDEX_CRC + "' says " + crcText);
      }
    }
    EpisodeIndex index;
    try {
      index = EpisodeIndex.fromJson(json);
    } catch (IOException | RuntimeException e) {
      throw new InvalidRolloutException(path, "the footer's episode index is corrupt: " + e.getMessage());
    }
    if (checksummed && (index.schemaCrc == null || (!index.hasCrcs() && index.batches() > 0))) {
      throw new InvalidRolloutException(path, "format " + header.formatVersion()
          + " but the footer's episode index lacks schema_crc32c or batch_crc32c");
    }
    if (index.schemaCrc != null) {
      checkSchemaMessage(path, channel, schema, index.schemaCrc, blocks.isEmpty() ? footerStart : blocks.get(0).getOffset());
    }
    // A checksummed index is what the writer wrote: each batch's row count is then checked when
    // the batch is read (under its own checksum), which keeps opening a file of 400 000 batches
    // from costing a read per batch. Without checksums, every block's metadata is read now.
    check(path, channel, blocks, index, crcText == null);
    return index;
  }

  /** The schema message at byte 8 has its CRC and says what the footer's copy says. */
  private static void checkSchemaMessage(Path path, FileChannel channel, Schema footerSchema, long crc, long limit)
      throws IOException {
    IpcMessages.Header h = IpcMessages.readOrNull(path, channel, 8, limit);
    if (h == null || h.message() == null || h.message().headerType() != MessageHeader.Schema) {
      throw new InvalidRolloutException(path, "no complete schema message at byte 8");
    }
    long actual = Crc.of(IpcMessages.read(channel, 8, h.metadataLength()));
    if (actual != crc) {
      throw new InvalidRolloutException(path, "the schema message at byte 8 is corrupt: its CRC32C is "
          + actual + " but the footer's index says " + crc);
    }
    Schema stream;
    try {
      stream = MessageSerializer.deserializeSchema(h.message());
    } catch (RuntimeException e) {
      throw new InvalidRolloutException(path, "corrupt schema message at byte 8: " + e);
    }
    if (!stream.equals(footerSchema)) {
      throw new InvalidRolloutException(path, "the footer's schema differs from the schema message at byte 8");
    }
  }

  private static void check(Path path, FileChannel channel, List<ArrowBlock> blocks, EpisodeIndex index,
      boolean readBlocks) throws IOException {
    if (index.batches() != blocks.size()) {
      throw new InvalidRolloutException(path, "the footer's episode index lists " + index.batches()
          + " batches but the file has " + blocks.size());
    }
    for (int b = 0; readBlocks && b < blocks.size(); b++) {
      long rows;
      try {
        rows = IpcMessages.recordBatch(IpcMessages.atBlock(path, channel, blocks.get(b), b)).length();
      } catch (RuntimeException e) {
        throw new InvalidRolloutException(path, "record batch " + b + " at byte " + blocks.get(b).getOffset()
            + ": corrupt metadata: " + e);
      }
      if (rows != index.batchRows(b)) {
        throw new InvalidRolloutException(path, "the footer's episode index says record batch " + b
            + " has " + index.batchRows(b) + " rows but the batch at byte " + blocks.get(b).getOffset()
            + " has " + rows);
      }
    }
    String problem = index.inconsistency();
    if (problem != null) {
      throw new InvalidRolloutException(path, "the footer's episode index is inconsistent: " + problem);
    }
  }
}
