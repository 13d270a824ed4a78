package dev.rld.format;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The background half of a {@link RolloutWriter}: one thread that copies filled
 * {@link BatchColumns} into Arrow vectors, writes them as record batches and records them in the
 * index, so that the agent's thread only appends to plain arrays. Batches travel through a
 * bounded queue: when the writer falls {@value #QUEUE_BATCHES} batches behind, {@link #submit}
 * blocks (back-pressure). The thread also raises {@link #flushDue} every flush interval, which
 * the agent's thread reads at each step to hand over a batch even when no row threshold is met.
 */
final class BatchSink {
  static final int QUEUE_BATCHES = 4;
  private static final Batch END = new Batch(null, 0);

  private record Batch(BatchColumns columns, int rows) {}

  private final String file;
  private final VectorSchemaRoot root;
  private final ArrowFileWriter arrow;
  private final BufferedFileChannel out;
  private final EpisodeIndex index;
  private final long intervalNanos;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
  private final ConcurrentLinkedQueue<BatchColumns> free = new ConcurrentLinkedQueue<>();
  private final Supplier<BatchColumns> fresh;
  private final Thread thread;
  /** Set by the writer thread once per flush interval; cleared by the agent's thread. */
  volatile boolean flushDue;
  private volatile Throwable failure;
  /** Set by {@link #close} before it interrupts the thread: any other interrupt is a failure. */
  private volatile boolean givingUp;

  /** Writes the schema on the calling thread, then starts the writer thread. */
  BatchSink(String file, Schema schema, BufferAllocator allocator, BufferedFileChannel out,
      java.util.Map<String, String> footer, EpisodeIndex index, long intervalNanos,
      Supplier<BatchColumns> fresh) throws IOException {
    this.file = file;
    this.out = out;
    this.index = index;
    this.intervalNanos = intervalNanos;
    this.fresh = fresh;
    this.root = VectorSchemaRoot.create(schema, allocator);
    // The footer map is read when the file ends; the index is put into it then.
    this.arrow = new ArrowFileWriter(root, null, out, footer);
    try {
      out.restartCrcAt(8); // the schema message, after the magic and its padding
      arrow.start();
      index.schemaCrc = out.crc();
      out.flush();
    } catch (IOException | RuntimeException e) {
      arrow.close();
      root.close();
      throw e;
    }
    thread = new Thread(this::run, "rld-writer " + file);
    thread.setDaemon(true); // an unclosed writer must not keep the JVM alive
    thread.start();
  }

  /** Empty columns for the agent's next batch: recycled from a written batch when one is free. */
  BatchColumns columns() {
    BatchColumns c = free.poll();
    return c != null ? c : fresh.get();
  }

  /**
   * Hands {@code rows} filled rows to the writer thread; blocks while the queue is full. An
   * interrupt does not drop the batch (the episode index already counts its rows): the hand-over
   * completes and the thread's interrupt flag is set again.
   */
  void submit(BatchColumns columns, int rows) throws IOException {
    checkFailure();
    flushDue = false;
    Batch batch = new Batch(columns, rows);
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(batch);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Throws what the writer thread failed with, if it failed. */
  void checkFailure() throws IOException {
    Throwable t = failure;
    if (t != null) {
      throw new IOException("the background writer of " + file + " failed, the batches after the "
          + "last one it wrote are lost: " + t, t);
    }
  }

  /** Waits until every submitted batch is written and the index holds them; throws if one failed. */
  void drain() throws IOException {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(END);
        LockSupport.unpark(thread); // not the idle back-off: close at once
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the batches already recorded are still written
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    checkFailure();
  }

  /** Writes the footer, with the footer map as it is now; after {@link #drain}. */
  void end() throws IOException {
    arrow.end();
  }

  /** Releases the Arrow writer and vectors; after {@link #finish} or when giving up. */
  void close() {
    givingUp = true;
    if (thread.isAlive()) {
      thread.interrupt();
    }
    try {
      arrow.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      // The channel already failed (closed by an interrupt, say): that failure is the one the
      // caller hears; closing the Arrow writer over it has nothing left to write.
    } finally {
      root.close();
    }
  }

  /**
   * The writer thread looks for batches by parking briefly rather than waiting on the queue: a
   * waiting consumer makes every hand-over a futex wake-up on the agent's thread, which costs
   * more than the agent's share of a whole batch. It parks 100 µs after a batch, backing off to
   * 10 ms when idle.
   */
  private static final long MIN_PARK_NANOS = 100_000;
  private static final long MAX_PARK_NANOS = 10_000_000;

  private void run() {
    long next = System.nanoTime() + intervalNanos;
    long park = MIN_PARK_NANOS;
    while (true) {
      Batch b;
      try {
        long now = System.nanoTime();
        if (next - now <= 0) {
          flushDue = true;
          next = now + intervalNanos;
        }
        b = queue.poll();
        if (b == null) {
          LockSupport.parkNanos(this, Math.min(park, Math.max(1, next - now)));
          park = Math.min(MAX_PARK_NANOS, park * 2);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          continue;
        }
        park = MIN_PARK_NANOS;
      } catch (InterruptedException e) {
        if (givingUp) {
          return; // close() without drain()
        }
        // Someone else's interrupt: the batches still to come cannot be trusted to reach the
        // file, so the agent is told at its next call, and the thread keeps taking batches so
        // that the agent never blocks on a full queue.
        if (failure == null) {
          failure = new IOException("its thread was interrupted");
        }
        continue;
      }
      if (b == END) {
        return;
      }
      if (b != null && failure == null) {
        try {
          write(b);
        } catch (Throwable t) {
          failure = t; // later batches are taken and dropped so that the agent never blocks
        }
      }
    }
  }

  private void write(Batch b) throws IOException {
    b.columns().flushTo(root);
    root.setRowCount(b.rows());
    out.restartCrc();
    arrow.writeBatch();
    long crc = out.crc();
    out.flush();
    index.addBatch(b.rows(), crc);
    free.offer(b.columns());
  }
}
