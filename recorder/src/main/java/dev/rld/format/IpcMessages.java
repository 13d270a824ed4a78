package dev.rld.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Encapsulated IPC messages (continuation marker, metadata length, flatbuffer, body), read with
 * every length checked against the file before anything is allocated. Arrow's own reader
 * allocates whatever a length field claims, so a flipped bit there costs gigabytes.
 */
final class IpcMessages {
  /**
   * Largest message metadata accepted. A record batch's metadata is 16 bytes per column and
   * buffer, so even thousands of columns stay far below; a schema with long space JSON too.
   */
  static final int MAX_METADATA = 16 << 20;

  /** A message's place in the file; {@code message} is null for the end-of-stream marker. */
  record Header(long offset, int metadataLength, long bodyLength, Message message) {
    long end() {
      return offset + metadataLength + bodyLength;
    }

    ArrowBlock block() {
      return new ArrowBlock(offset, metadataLength, bodyLength);
    }

    boolean isRecordBatch() {
      return message != null && message.headerType() == MessageHeader.RecordBatch;
    }
  }

  private IpcMessages() {}

  /**
   * The message at {@code offset}, or null when the data ends there without a complete message
   * (end of file, or a message whose metadata or body reaches past {@code limit}: a torn write).
   * A message that lies within the limit but does not parse is corrupt and throws.
   */
  static Header readOrNull(Path path, FileChannel channel, long offset, long limit) throws IOException {
    if (offset + 8 > limit) {
      if (offset + 4 <= limit && readInt(channel, offset) == 0) {
        return new Header(offset, 4, 0, null); // a legacy 4-byte end-of-stream marker
      }
      return null;
    }
    ByteBuffer prefix = read(channel, offset, 8);
    int first = prefix.getInt(0);
    int prefixLength = first == -1 ? 8 : 4;
    int length = first == -1 ? prefix.getInt(4) : first;
    if (length == 0) {
      return new Header(offset, prefixLength, 0, null);
    }
    if (length < 0 || offset + prefixLength + length > limit) {
      return null; // cut off (or a length no file this size can hold)
    }
    if (length > MAX_METADATA) {
      throw new InvalidRolloutException(path, "IPC message at byte " + offset + " claims " + length
          + " bytes of metadata (at most " + MAX_METADATA + " are accepted)");
    }
    ByteBuffer meta = read(channel, offset + prefixLength, length);
    Message message = parse(path, offset, meta);
    long body = message.bodyLength();
    if (body < 0) {
      throw new InvalidRolloutException(path, "IPC message at byte " + offset + " has a negative body length");
    }
    long end = offset + prefixLength + length + body;
    if (end > limit || end < 0) {
      return null;
    }
    return new Header(offset, prefixLength + length, body, message);
  }

  /**
   * The metadata of a block the footer lists (already checked to lie before the footer), read
   * in one go and checked against the block.
   */
  static Message atBlock(Path path, FileChannel channel, ArrowBlock block, int batch) throws IOException {
    int length = block.getMetadataLength();
    if (length > MAX_METADATA + 8) {
      throw new InvalidRolloutException(path, "record batch " + batch + " at byte " + block.getOffset()
          + ": the footer's block claims " + length + " bytes of metadata");
    }
    ByteBuffer meta = read(channel, block.getOffset(), length);
    int prefix = meta.getInt(0) == -1 ? 8 : 4;
    int flatbuffer = meta.getInt(prefix - 4);
    Message m = flatbuffer > 0 && prefix + flatbuffer <= length
        ? parse(path, block.getOffset(), meta.position(prefix).slice()) : null;
    if (m == null || m.headerType() != MessageHeader.RecordBatch || m.bodyLength() != block.getBodyLength()) {
      throw new InvalidRolloutException(path, "record batch " + batch + " at byte " + block.getOffset()
          + ": the footer's block (metadata " + length + " bytes, body " + block.getBodyLength()
          + " bytes) does not match the message there");
    }
    return m;
  }

  /** Parses flatbuffer metadata; corrupt bytes show up as exceptions on access, turned into ours. */
  static Message parse(Path path, long offset, ByteBuffer meta) throws InvalidRolloutException {
    try {
      meta.order(ByteOrder.LITTLE_ENDIAN);
      Message m = Message.getRootAsMessage(meta);
      m.version();
      m.bodyLength();
      if (m.headerType() == MessageHeader.RecordBatch) {
        RecordBatch b = recordBatch(m);
        b.length();
        b.nodesLength();
        b.buffersLength();
      }
      return m;
    } catch (RuntimeException e) {
      throw new InvalidRolloutException(path, "corrupt IPC message metadata at byte " + offset + ": " + e);
    }
  }

  static RecordBatch recordBatch(Message m) {
    RecordBatch b = (RecordBatch) m.header(new RecordBatch());
    if (b == null) {
      throw new IllegalStateException("a RecordBatch message without its header");
    }
    return b;
  }

  static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (channel.read(buf, offset + buf.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (offset + buf.position()));
      }
    }
    return buf.flip();
  }

  private static int readInt(FileChannel channel, long offset) throws IOException {
    return read(channel, offset, 4).getInt(0);
  }
}
