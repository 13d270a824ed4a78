package dev.rld.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Connections to 127.0.0.1 that trickle their request: half send a POST's headers then one body
 * byte per tick, half send one header byte per tick and never finish the head. One thread drives
 * them all. Counts the connections the server cut off (closed, or answered before the request
 * was complete). Public because bench/ runs it with 300 connections.
 */
public final class SlowClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  /** 1 where the server cut the connection off; read by other threads. */
  private final AtomicIntegerArray cut;
  private final Thread driver;
  private volatile boolean stop;
  private int opened;

  /**
   * Opens {@code count} connections and trickles one byte on each every {@code tickMillis}
   * until {@link #close()} or {@code maxMillis} have passed.
   */
  public SlowClients(int port, int count, long tickMillis, long maxMillis) throws IOException {
    cut = new AtomicIntegerArray(count);
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    for (int i = 0; i < count; i++) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
      s.setSoTimeout(1);
      String head = i % 2 == 0
          ? "POST /api/rollouts/" + HostileServer.LINE_WALK + "/evaluate HTTP/1.1\r\n" + host
              + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"observation\": "
          : "GET /api/rollouts HTTP/1.1\r\n" + host + "X-Slow: ";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      sockets.add(s);
      opened++;
    }
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    driver = new Thread(() -> {
      while (!stop && System.nanoTime() < deadline) {
        tick();
        try {
          Thread.sleep(tickMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "slow-clients");
    driver.setDaemon(true);
    driver.start();
  }

  private void tick() {
    for (int i = 0; i < sockets.size(); i++) {
      if (cut.get(i) == 1) {
        continue;
      }
      Socket s = sockets.get(i);
      try {
        InputStream in = s.getInputStream();
        int b;
        try {
          b = in.read();
        } catch (SocketTimeoutException e) {
          b = -2; // nothing from the server yet: still waiting for our bytes
        }
        if (b != -2) {
          cut.set(i, 1); // closed (-1) or answered (408, 400) before the request was complete
          continue;
        }
        s.getOutputStream().write(i % 2 == 0 ? '[' : 'x');
        s.getOutputStream().flush();
      } catch (IOException e) {
        cut.set(i, 1); // reset or broken pipe: the server dropped it
      }
    }
  }

  public int opened() {
    return opened;
  }

  /** How many connections the server has cut off so far. */
  public int cutOff() {
    int n = 0;
    for (int i = 0; i < cut.length(); i++) {
      n += cut.get(i);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    stop = true;
    driver.interrupt();
    try {
      driver.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : sockets) {
      s.close();
    }
  }
}
