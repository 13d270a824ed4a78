package dev.rld.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The scan of a file without footer, kept so that it can go on where it stopped when the file
 * grows (a recorder still writing it). Only messages whose every byte lies within the file's size
 * are taken; a batch being written is left for a later {@link #advance}. Snapshots are
 * independent of later advances, so readers of one never see it change.
 */
final class GrowingScan {
  final Path path;
  final FileChannel channel;
  final BufferAllocator allocator;
  final Schema schema;
  final RolloutHeader header;
  final boolean unclosedFile;
  /** The file's identity when opened: a file renamed over it (a repair) is another. */
  private final Object fileKey;
  private final EpisodeIndex index = new EpisodeIndex();
  private final EpisodeScanner scanner;
  private final List<ArrowBlock> blocks = new ArrayList<>();
  /** Where the next message starts. */
  private long offset;
  /** Bytes after {@link #offset} when the last advance stopped. */
  private long dropped;
  private boolean endMarker;

  GrowingScan(Path path, FileChannel channel, BufferAllocator allocator, Schema schema, RolloutHeader header,
      long offset, boolean unclosedFile) {
    this.path = path;
    this.channel = channel;
    this.allocator = allocator;
    this.schema = schema;
    this.header = header;
    this.offset = offset;
    this.unclosedFile = unclosedFile;
    this.scanner = new EpisodeScanner(index, path);
    this.fileKey = fileKey(path);
  }

  private static Object fileKey(Path path) {
    try {
      return java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether another file now lies at the path (renamed over the one this scan reads). */
  boolean replaced() {
    Object now = fileKey(path);
    return fileKey != null && now != null && !fileKey.equals(now);
  }

  /** Reads the complete messages that follow; true when at least one batch was added. */
  synchronized boolean advance() throws IOException {
    long size = channel.size();
    int before = blocks.size();
    while (!endMarker) {
      IpcMessages.Header m = IpcMessages.readOrNull(path, channel, offset, size);
      if (m == null || m.message() == null) {
        // The end marker, or a message not (yet) complete: a torn or ongoing write.
        endMarker = m != null;
        if (endMarker) {
          offset = m.end();
        }
        break;
      }
      if (!m.isRecordBatch()) {
        throw new InvalidRolloutException(path, "unexpected IPC message type " + m.message().headerType()
            + " at byte " + offset + " (the rollout format has record batches only)");
      }
      ArrowBlock block = m.block();
      try (VectorSchemaRoot batch = RolloutFile.load(path, channel, allocator, schema, header, block,
          blocks.size(), null)) {
        index.addBatch(batch.getRowCount());
        scanner.accept(batch);
      }
      blocks.add(block);
      offset = m.end();
    }
    dropped = size - offset;
    return blocks.size() > before;
  }

  /** Whether the stream's end marker was read (its writer finished, a footer may follow). */
  synchronized boolean ended() {
    return endMarker;
  }

  /** The file as scanned so far: the last episode is partial unless its final row was read. */
  synchronized RolloutFile snapshot() {
    EpisodeIndex copy = index.copy();
    scanner.copyInto(copy).finish();
    RecoveryReport report = null;
    // A file without footer, or a stream cut off (no end marker, or a torn last message).
    if (unclosedFile || !endMarker || dropped > 0) {
      long complete = copy.episodes().stream().filter(EpisodeIndex.Entry::complete).count();
      long steps = copy.episodes().stream().mapToLong(EpisodeIndex.Entry::steps).sum();
      report = new RecoveryReport(path, blocks.size(), (int) complete,
          copy.episodes().size() - (int) complete, steps, dropped);
    }
    return new RolloutFile(path, schema, header, List.copyOf(blocks), copy, report, channel, allocator,
        unclosedFile ? this : null);
  }
}
