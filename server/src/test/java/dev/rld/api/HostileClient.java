package dev.rld.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends {@link HostileRequest}s to 127.0.0.1 (never another address): through java.net.http
 * when it can express the request, over a plain socket otherwise. Thread-safe.
 */
public final class HostileClient {
  static final int TIMEOUT_SECONDS = 30;
  /** Headers java.net.http will not send as given. */
  private static final java.util.Set<String> RESTRICTED =
      java.util.Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");
  private final int port;
  private final HttpClient http;

  public HostileClient(int port) {
    this.port = port;
    // HTTP/1.1: the default (HTTP/2) adds an h2c Upgrade header the contract is not about.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A reply: status (-1 when the connection ended without one), lower-case headers, body. */
  public record Reply(int status, Map<String, List<String>> headers, byte[] body, String failure) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String shortText() {
      String t = text();
      return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
  }

  public Reply send(HostileRequest r) {
    try {
      // HEAD goes raw: java.net.http would drop a body wrongly sent with the answer.
      return r.raw() || r.method().equals("HEAD") ? sendRaw(r) : sendHttp(r);
    } catch (IOException e) {
      return new Reply(-1, Map.of(), new byte[0], e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, Map.of(), new byte[0], "interrupted");
    }
  }

  private Reply sendHttp(HostileRequest r) throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create("http://127.0.0.1:" + port + r.target());
    } catch (IllegalArgumentException e) {
      return sendRaw(r); // a target java.net.URI refuses (a bare %, raw unicode)
    }
    for (Map.Entry<String, String> h : r.headers()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        return sendRaw(r);
      }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
        .method(r.method(), r.body().length == 0 && !r.method().equals("POST") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    for (Map.Entry<String, String> h : r.headers()) {
      b.header(h.getKey(), h.getValue());
    }
    HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new TreeMap<>();
    res.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    return new Reply(res.statusCode(), headers, res.body(), null);
  }

  private Reply sendRaw(HostileRequest r) throws IOException {
    StringBuilder head = new StringBuilder();
    if (r.rawHead() != null) {
      head.append(r.rawHead()).append("\r\n\r\n");
    } else {
      head.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
      if (!r.hasHeader("Host")) {
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      for (Map.Entry<String, String> h : r.headers()) {
        head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      if (r.body().length > 0 && !r.hasHeader("Content-Length") && !r.hasHeader("Transfer-Encoding")) {
        head.append("Content-Length: ").append(r.body().length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(TIMEOUT_SECONDS * 1000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      try {
        out.write(r.body());
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before taking a body it refuses (413); read the answer.
      }
      return read(s.getInputStream(), r.method().equals("HEAD"));
    }
  }

  /**
   * Reads one response, the connection being closed after it (we sent Connection: close). A
   * HEAD reply keeps whatever followed its head, so that a body sent with it is seen.
   */
  static Reply read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (IOException e) {
      if (all.size() == 0) {
        throw e; // reset before any answer
      }
    }
    byte[] bytes = all.toByteArray();
    int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException("no response head in " + bytes.length + " bytes");
    }
    String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    Map<String, List<String>> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    List<String> te = headers.get("transfer-encoding");
    if (!head && te != null && te.get(0).equalsIgnoreCase("chunked")) {
      body = dechunk(body);
    }
    return new Reply(Integer.parseInt(status[1]), headers, body, null);
  }

  private static byte[] dechunk(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < b.length) {
      int eol = indexOf(java.util.Arrays.copyOfRange(b, i, b.length), new byte[] {'\r', '\n'});
      if (eol < 0) {
        break;
      }
      String size = new String(b, i, eol, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(b, i + eol + 2, Math.min(n, b.length - i - eol - 2));
      i += eol + 2 + n + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
