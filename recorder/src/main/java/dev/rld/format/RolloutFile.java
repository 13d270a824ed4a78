package dev.rld.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.flatbuf.MessageHeader;

/**
 * One opened Arrow file: its header, where its record batches lie, and its episode index. Only
 * the footer (or, for a file without one, the small columns batch by batch) is read on open;
 * batches are read when asked for and never kept, so a file of any size costs little heap.
 * Safe for concurrent readers: all reads are positional.
 */
final class RolloutFile implements AutoCloseable {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  final Path path;
  /** The columns the reader knows (others are never loaded), as every loaded batch has them. */
  final Schema schema;
  /** All columns, as the file's schema lists them. */
  final Schema fileSchema;
  final RolloutHeader header;
  final EpisodeIndex index;
  final long[] batchStarts;
  /** Non-null when the file was not closed properly and had to be recovered. */
  final RecoveryReport recovery;
  final List<ArrowBlock> blocks;
  private final FileChannel channel;
  private final BufferAllocator allocator;
  /** The scan to go on with when this file (without footer) grows; null for a finished file. */
  private final GrowingScan growing;

  private RolloutFile(Path path, Schema schema, RolloutHeader header, List<ArrowBlock> blocks,
      EpisodeIndex index, RecoveryReport recovery, FileChannel channel, BufferAllocator allocator) {
    this(path, schema, header, blocks, index, recovery, channel, allocator, null);
  }

  RolloutFile(Path path, Schema schema, RolloutHeader header, List<ArrowBlock> blocks, EpisodeIndex index,
      RecoveryReport recovery, FileChannel channel, BufferAllocator allocator, GrowingScan growing) {
    this.path = path;
    this.fileSchema = schema;
    this.schema = BatchDecoder.known(schema);
    this.header = header;
    this.blocks = blocks;
    this.index = index;
    this.batchStarts = index.batchStarts();
    this.recovery = recovery;
    this.channel = channel;
    this.allocator = allocator;
    this.growing = growing;
  }

  /** Whether this file has no footer yet and may still grow. */
  boolean growing() {
    return growing != null;
  }

  /**
   * This file as it is now on disk, or null when nothing changed: new complete batches (a
   * snapshot sharing this file's channel), or the file reopened once it has its footer (the old
   * channel is then left open for readers of this snapshot; {@link #close} closes it).
   */
  RolloutFile refresh() throws IOException {
    if (growing == null) {
      return null;
    }
    long size = channel.size();
    if (hasFooter(channel, size) || growing.replaced()) {
      return open(path, allocator);
    }
    return growing.advance() ? growing.snapshot() : null;
  }

  FileChannel channel() {
    return channel;
  }

  static RolloutFile open(Path path, BufferAllocator allocator) throws IOException {
    return openOn(path, FileChannel.open(path, StandardOpenOption.READ), allocator);
  }

  /**
   * Opens the file that {@code channel} reads (positional reads and {@code size()} only), named
   * {@code path} in messages; takes the channel over and closes it when opening fails.
   */
  static RolloutFile openOn(Path path, FileChannel channel, BufferAllocator allocator) throws IOException {
    try {
      return open(path, channel, allocator);
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) {
      // Whatever a hostile file provokes in Arrow or Jackson, it is still a bad file.
      channel.close();
      throw new InvalidRolloutException(path, "unreadable: " + e);
    }
  }

  private static RolloutFile open(Path path, FileChannel channel, BufferAllocator allocator) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new InvalidRolloutException(path, "not an Arrow IPC file: only " + size + " bytes", size == 0);
    }
    ByteBuffer head = ByteBuffer.allocate(8);
    channel.read(head, 0);
    boolean fileFormat = startsWith(head.array(), MAGIC);
    boolean streamFormat = head.getInt(0) == -1; // IPC stream: continuation marker 0xFFFFFFFF
    if (!fileFormat && !streamFormat) {
      throw new InvalidRolloutException(path, "not an Arrow IPC file (it starts with neither the "
          + "'ARROW1' magic nor an IPC stream message)");
    }
    if (fileFormat && hasFooter(channel, size)) {
      return openWithFooter(path, channel, allocator);
    }
    // No footer: an IPC stream, or a file whose writer never closed it. Scan its batches.
    return scan(path, channel, allocator, fileFormat ? 8 : 0, fileFormat);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasFooter(FileChannel channel, long size) throws IOException {
    if (size < 8 + 10) {
      return false;
    }
    ByteBuffer tail = ByteBuffer.allocate(6);
    channel.read(tail, size - 6);
    return startsWith(tail.array(), MAGIC);
  }

  private static RolloutFile openWithFooter(Path path, FileChannel channel, BufferAllocator allocator)
      throws IOException {
    Schema schema;
    List<ArrowBlock> blocks;
    Map<String, String> footer;
    // ArrowFileReader closes the channel it is given: give it a view, keep ours open. It checks
    // the footer length against the file before reading it; it reads no batch here.
    try (ArrowFileReader reader = new ArrowFileReader(new PositionalChannel(channel, 0), allocator)) {
      schema = reader.getVectorSchemaRoot().getSchema();
      blocks = new ArrayList<>(reader.getRecordBlocks());
      footer = reader.getMetaData();
      if (!reader.getDictionaryBlocks().isEmpty()) {
        throw new InvalidRolloutException(path, "dictionary-encoded columns are not part of the rollout format");
      }
    } catch (InvalidRolloutException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidRolloutException(path, "corrupt Arrow footer: " + e.getMessage());
    }
    RolloutHeader header = RolloutSchema.parseHeader(schema, path);
    long footerStart = channel.size() - 10 - IpcMessages.read(channel, channel.size() - 10, 4).getInt(0);
    checkBlocks(path, blocks, footerStart);
    String indexJson = footer == null ? null : footer.get(RolloutSchema.KEY_INDEX);
    if (indexJson == null) {
      // Written by another Arrow writer from the spec: build the index from the data.
      EpisodeIndex index = new EpisodeIndex();
      EpisodeScanner scanner = new EpisodeScanner(index, path);
      for (int b = 0; b < blocks.size(); b++) {
        try (VectorSchemaRoot batch = load(path, channel, allocator, schema, header, blocks.get(b), b, null)) {
          index.addBatch(batch.getRowCount());
          scanner.accept(batch);
        }
      }
      scanner.finish();
      return new RolloutFile(path, schema, header, blocks, index, null, channel, allocator);
    }
    EpisodeIndex index = FooterIndexCheck.read(path, channel, footer, schema, header, blocks, footerStart);
    return new RolloutFile(path, schema, header, blocks, index, null, channel, allocator);
  }

  /** Every block the footer lists lies after the magic and before the footer, in order. */
  private static void checkBlocks(Path path, List<ArrowBlock> blocks, long footerStart)
      throws InvalidRolloutException {
    long previousEnd = 8;
    for (int b = 0; b < blocks.size(); b++) {
      ArrowBlock block = blocks.get(b);
      long end = block.getOffset() + block.getMetadataLength() + block.getBodyLength();
      if (block.getOffset() < previousEnd || block.getMetadataLength() < 8 || block.getBodyLength() < 0
          || end > footerStart || end < block.getOffset()) {
        throw new InvalidRolloutException(path, "the footer's block of record batch " + b + " (byte "
            + block.getOffset() + ", " + block.getMetadataLength() + " + " + block.getBodyLength()
            + " bytes) does not lie between the previous batch and the footer at byte " + footerStart);
      }
      previousEnd = end;
    }
  }

  /** Reads messages from {@code start} until the data ends, keeping every complete batch. */
  private static RolloutFile scan(Path path, FileChannel channel, BufferAllocator allocator, long start,
      boolean unclosedFile) throws IOException {
    long size = channel.size();
    IpcMessages.Header first = IpcMessages.readOrNull(path, channel, start, size);
    if (first == null || first.message() == null || first.message().headerType() != MessageHeader.Schema) {
      throw new InvalidRolloutException(path, "truncated: the file ends before its schema is complete", true);
    }
    Schema schema;
    try {
      schema = MessageSerializer.deserializeSchema(first.message());
    } catch (RuntimeException e) {
      throw new InvalidRolloutException(path, "corrupt schema message at byte " + start + ": " + e);
    }
    RolloutHeader header = RolloutSchema.parseHeader(schema, path);
    GrowingScan scan = new GrowingScan(path, channel, allocator, schema, header, first.end(), unclosedFile);
    scan.advance();
    return scan.snapshot();
  }

  /**
   * What identifies this file's content without reading its bodies: its size, schema metadata
   * and episode index (which, from format 1.1, holds every batch's CRC32C).
   */
  void fingerprintInto(java.security.MessageDigest digest) throws IOException {
    StringBuilder sb = new StringBuilder().append(channel.size()).append('\n');
    new java.util.TreeMap<>(fileSchema.getCustomMetadata() == null ? Map.of() : fileSchema.getCustomMetadata())
        .forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    sb.append(index.toJson()).append('\n');
    digest.update(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  int batchCount() {
    return blocks.size();
  }

  long batchOffset(int b) {
    return blocks.get(b).getOffset();
  }

  /** Byte offsets where the schema ends and where each record batch ends. */
  long[] batchEndOffsets() {
    long[] ends = new long[blocks.size() + 1];
    ends[0] = blocks.isEmpty() ? 0 : blocks.get(0).getOffset();
    for (int b = 0; b < blocks.size(); b++) {
      ArrowBlock block = blocks.get(b);
      ends[b + 1] = block.getOffset() + block.getMetadataLength() + block.getBodyLength();
    }
    return ends;
  }

  /** Reads batch {@code b} into a new root the caller closes, verifying its checksum when the file has one. */
  VectorSchemaRoot loadBatch(int b) throws IOException {
    VectorSchemaRoot root = load(path, channel, allocator, fileSchema, header, blocks.get(b), b, index.crc(b));
    if (root.getRowCount() != batchStarts[b + 1] - batchStarts[b]) {
      long rows = root.getRowCount();
      root.close();
      throw new InvalidRolloutException(path, "record batch " + b + " at byte " + blocks.get(b).getOffset()
          + " has " + rows + " rows but the episode index says " + (batchStarts[b + 1] - batchStarts[b]));
    }
    return root;
  }

  /**
   * Reads one block (metadata and body in one buffer), checks its CRC32C when {@code crc} is
   * given, then its layout (before Arrow allocates anything by it) and its values. Whatever
   * fails, every buffer is released and the error names the batch and its byte offset.
   */
  static VectorSchemaRoot load(Path path, FileChannel channel, BufferAllocator allocator,
      Schema schema, RolloutHeader header, ArrowBlock block, int b, Long crc) throws IOException {
    String where = "record batch " + b + " at byte " + block.getOffset() + ": ";
    long total = block.getMetadataLength() + block.getBodyLength();
    if (total > Integer.MAX_VALUE || block.getOffset() + total > channel.size()) {
      throw new InvalidRolloutException(path, where + total + " bytes reach past the end of the file");
    }
    VectorSchemaRoot root = null;
    try (ArrowBuf bytes = allocator.buffer(total)) {
      readFully(channel, bytes, block.getOffset(), (int) total);
      if (crc != null) {
        long actual = Crc.of(bytes.nioBuffer(0, (int) total));
        if (actual != crc) {
          throw new InvalidRolloutException(path, where + "checksum mismatch (CRC32C " + Long.toHexString(actual)
              + ", the footer's index says " + Long.toHexString(crc) + "): the file is corrupt");
        }
      }
      ByteBuffer meta = bytes.nioBuffer(0, block.getMetadataLength());
      meta.position(meta.order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0) == -1 ? 8 : 4);
      org.apache.arrow.flatbuf.Message message = IpcMessages.parse(path, block.getOffset(), meta.slice());
      if (message.headerType() != MessageHeader.RecordBatch || message.bodyLength() != block.getBodyLength()) {
        throw new InvalidRolloutException(path, where + "it is not the record batch its block describes");
      }
      ArrowBuf body = bytes.slice(block.getMetadataLength(), block.getBodyLength());
      root = VectorSchemaRoot.create(BatchDecoder.known(schema), allocator);
      try (ArrowRecordBatch batch = BatchDecoder.decode(schema, IpcMessages.recordBatch(message), body)) {
        new VectorLoader(root).load(batch);
      }
      String problem = BatchValues.problem(root, header.actionSpace());
      if (problem != null) {
        throw new InvalidRolloutException(path, where + problem);
      }
      return root;
    } catch (InvalidRolloutException e) {
      close(root);
      throw e;
    } catch (BatchDecoder.BadBatch e) {
      close(root);
      throw new InvalidRolloutException(path, where + e.getMessage());
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      close(root);
      throw e; // sizes were checked against the file: this is the machine's limit, not the file's fault
    } catch (IOException | RuntimeException e) {
      close(root);
      throw new InvalidRolloutException(path, where + "corrupt: " + e);
    }
  }

  private static void close(VectorSchemaRoot root) {
    if (root != null) {
      root.close();
    }
  }

  private static void readFully(FileChannel channel, ArrowBuf into, long offset, int length) throws IOException {
    ByteBuffer dst = into.nioBuffer(0, length);
    while (dst.hasRemaining()) {
      if (channel.read(dst, offset + dst.position()) < 0) {
        throw new IOException("the file ended at byte " + (offset + dst.position()) + " (did it shrink?)");
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** A read-only channel at its own position over a shared FileChannel. */
  private static final class PositionalChannel implements ReadableByteChannel, java.nio.channels.SeekableByteChannel {
    private final FileChannel channel;
    long position;

    PositionalChannel(FileChannel channel, long position) {
      this.channel = channel;
      this.position = position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = channel.read(dst, position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public PositionalChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public PositionalChannel truncate(long size) {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() {
      // The shared channel belongs to the RolloutFile.
    }
  }
}
