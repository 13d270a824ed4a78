package dev.rld.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A read-only {@link FileChannel} over a file of any Hadoop file system (local, HDFS, S3A), so
 * that the recorder's reader, which reads positionally, reads it as it reads local files. Only
 * positional reads, {@code size()} and {@code close()} are supported.
 */
final class HadoopChannel extends FileChannel {
  private final FSDataInputStream in;
  private final long size;
  private long position;

  private HadoopChannel(FSDataInputStream in, long size) {
    this.in = in;
    this.size = size;
  }

  static HadoopChannel open(FileSystem fs, Path file) throws IOException {
    long size = fs.getFileStatus(file).getLen();
    return new HadoopChannel(fs.open(file), size);
  }

  @Override
  public int read(ByteBuffer dst, long at) throws IOException {
    if (at >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - at);
    if (n == 0) {
      return 0;
    }
    byte[] bytes = new byte[Math.min(n, 1 << 20)];
    int done = 0;
    // PositionedReadable reads without moving the stream, so concurrent batch reads are safe.
    synchronized (in) {
      while (done < n) {
        int chunk = Math.min(bytes.length, n - done);
        in.readFully(at + done, bytes, 0, chunk);
        dst.put(bytes, 0, chunk);
        done += chunk;
      }
    }
    return done;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
    }
    return total;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public FileChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  protected void implCloseChannel() throws IOException {
    in.close();
  }

  @Override
  public int write(ByteBuffer src) {
    throw readOnly();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw readOnly();
  }

  @Override
  public int write(ByteBuffer src, long at) {
    throw readOnly();
  }

  @Override
  public FileChannel truncate(long newSize) {
    throw readOnly();
  }

  @Override
  public void force(boolean metaData) {
    // Nothing is ever written.
  }

  @Override
  public long transferTo(long at, long count, WritableByteChannel target) {
    throw readOnly();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long at, long count) {
    throw readOnly();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long length) {
    throw readOnly();
  }

  @Override
  public FileLock lock(long at, long length, boolean shared) {
    throw readOnly();
  }

  @Override
  public FileLock tryLock(long at, long length, boolean shared) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("a read-only view of a Hadoop file");
  }
}
