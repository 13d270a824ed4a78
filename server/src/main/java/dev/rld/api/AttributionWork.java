package dev.rld.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * The server's attribution workers: a fixed pool with a bounded queue, so a burst of costly
 * requests waits its turn or is told to come back (429) instead of taking every core at once.
 * A computation is cancelled when its client goes away or its time limit passes; the attributor
 * notices between policy batches.
 */
final class AttributionWork implements AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final Duration timeout;
  /** How often a waiting request looks whether its client is still there. */
  private static final long WATCH_MILLIS = 100;

  AttributionWork(int workers, int queue, Duration timeout) {
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, "rld-attribution-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.timeout = timeout;
  }

  /** Runs {@code work} on a worker and waits for it, on behalf of the request {@code ctx}. */
  <T> T run(Context ctx, Callable<T> work) throws Exception {
    Future<T> future;
    try {
      future = pool.submit(work);
    } catch (RejectedExecutionException e) {
      ctx.header("Retry-After", "2");
      throw new ApiException(429, "the server is busy computing other attributions (" + pool.getQueue().size()
          + " requests waiting); try again in a few seconds");
    }
    SocketChannel client = clientChannel(ctx);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          return future.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          if (client != null && hasLeft(client)) {
            future.cancel(true);
            throw new ApiException(499, "the client went away");
          }
        }
      }
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ApiException(503, "the computation took longer than the server's limit of " + timeout.toMillis()
          + " ms and was stopped; ask for fewer steps (from/to) or a cheaper method");
    } catch (CancellationException e) {
      throw new ApiException(503, "the computation was cancelled (the client went away)");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiException(503, "the server is stopping");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    }
  }

  /**
   * The client's socket, to notice that it went away: Jetty reads nothing from a connection
   * while its request is being answered, so it would not tell us.
   */
  private static SocketChannel clientChannel(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    if (request != null && request.getConnectionMetaData().getConnection().getEndPoint()
        instanceof SocketChannelEndPoint endPoint) {
      return endPoint.getChannel();
    }
    return null;
  }

  /**
   * Whether the client closed its connection. The request was read whole and HTTP/1.1 clients
   * do not pipeline, so the socket has nothing to read unless it was closed: a read of -1 (or
   * a reset) says so; 0 says it is still there.
   */
  private static boolean hasLeft(SocketChannel channel) {
    try {
      return channel.read(ByteBuffer.allocate(1)) != 0;
    } catch (IOException e) {
      return true;
    }
  }

  /** Requests waiting for a worker now. */
  int waiting() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
