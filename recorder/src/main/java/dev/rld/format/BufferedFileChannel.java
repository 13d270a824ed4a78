package dev.rld.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Gathers Arrow's many small buffer writes of a record batch and hands them to the file in one
 * write per flush. (Channels.newChannel over a BufferedOutputStream copies every direct buffer
 * through a small heap array first, which shows up in the cost of each batch.)
 */
final class BufferedFileChannel implements WritableByteChannel {
  private final FileChannel file;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
  /** Of everything written since {@link #restartCrc()}: a record batch's bytes, as the reader checks them. */
  private final CRC32C crc = new CRC32C();
  private long written;
  private long crcFrom;

  BufferedFileChannel(FileChannel file) {
    this.file = file;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    int skip = (int) Math.max(0, Math.min(n, crcFrom - written));
    crc.update(src.duplicate().position(src.position() + skip));
    written += n;
    if (n > buffer.remaining()) {
      flush();
      if (n > buffer.capacity()) {
        while (src.hasRemaining()) {
          file.write(src);
        }
        return n;
      }
    }
    buffer.put(src);
    return n;
  }

  void restartCrc() {
    restartCrcAt(written);
  }

  /** Restarts the CRC so that it covers what is written from byte {@code position} of the file on. */
  void restartCrcAt(long position) {
    crc.reset();
    crcFrom = position;
  }

  /** The CRC32C of the bytes written since {@link #restartCrc()}. */
  long crc() {
    return crc.getValue();
  }

  /** Hands everything written so far to the operating system. */
  void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      file.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public boolean isOpen() {
    return file.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      file.close();
    }
  }
}
