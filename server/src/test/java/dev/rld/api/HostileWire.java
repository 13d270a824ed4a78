package dev.rld.api;

import static dev.rld.api.HostileRequest.Expect.anyRefusal;
import static dev.rld.api.HostileRequest.Expect.refusal;
import static dev.rld.api.HostileRequest.Expect.status;
import static dev.rld.api.HostileRequests.HUGE;
import static dev.rld.api.HostileRequests.LW;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Requests that Jetty refuses before any route runs (bad versions, broken chunking, oversized
 * heads, conflicting lengths), written byte for byte over a socket. On /api their refusals too
 * must be JSON. None of them leaves the server waiting for bytes that never come (that is the
 * slow-client test's job), so each is answered at once.
 */
final class HostileWire {
  private HostileWire() {}

  static HostileRequest next(SplittableRandom rng, int port) {
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    String close = "Connection: close";
    String eval = "POST " + LW + "/evaluate HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n";
    byte[] none = new byte[0];
    return switch (rng.nextInt(16)) {
      case 0 -> HostileRequest.rawHead("bad-version", "GET /api/rollouts HTTP/9.9\r\n" + host + close, none,
          status("must-be-505", 505));
      case 1 -> HostileRequest.rawHead("bad-version", "GET /api/rollouts HTTP/1.1x\r\n" + host + close, none,
          status("must-be-400-or-505", 400, 505));
      // HTTP/2.0 on an HTTP/1 connection: Jetty says 426 Upgrade Required, which is fine as JSON.
      case 2 -> HostileRequest.rawHead("bad-version", "GET /api/rollouts HTTP/2.0\r\n" + host + close, none,
          status("must-be-400-426-or-505", 400, 426, 505));
      case 3 -> HostileRequest.rawHead("bad-chunked", eval + "Transfer-Encoding: chunked\r\n" + close,
          bytes("zz\r\n{}\r\n0\r\n\r\n"), status("must-be-400", 400));
      case 4 -> HostileRequest.rawHead("bad-chunked", eval + "Transfer-Encoding: chunked\r\n" + close,
          bytes("fffffffffffffffffff\r\n{}\r\n0\r\n\r\n"), status("must-be-400-or-413", 400, 413));
      case 5 -> HostileRequest.rawHead("bad-chunked", eval + "Transfer-Encoding: chunked\r\n" + close,
          bytes("2\r\n{}XX0\r\n\r\n"), status("must-be-400", 400));
      case 6 -> HostileRequest.rawHead("length-and-chunked", eval + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
          + close, bytes("2\r\n{}\r\n0\r\n\r\n"), status("must-be-400", 400));
      case 7 -> HostileRequest.rawHead("bad-length", eval + "Content-Length: -1\r\n" + close, none,
          status("must-be-400", 400));
      case 8 -> HostileRequest.rawHead("bad-length", eval + "Content-Length: 2\r\nContent-Length: 3\r\n" + close,
          bytes("{}x"), status("must-be-400", 400));
      case 9 -> HostileRequest.rawHead("bad-length", eval + "Content-Length: 99999999999999999999\r\n" + close, none,
          status("must-be-400-or-413", 400, 413));
      case 10 -> HostileRequest.rawHead("huge-header", "GET /api/rollouts HTTP/1.1\r\n" + host + "X-Pad: "
          + "a".repeat(HUGE) + "\r\n" + close, none, status("must-be-431", 431));
      case 11 -> HostileRequest.rawHead("many-headers", "GET /api/rollouts HTTP/1.1\r\n" + host
          + "X-H: v\r\n".repeat(3000) + close, none, status("must-be-431", 431));
      case 12 -> HostileRequest.rawHead("long-uri", "GET /api/rollouts/" + "a".repeat(HUGE) + " HTTP/1.1\r\n" + host
          + close, none, status("must-be-414", 414));
      case 13 -> HostileRequest.rawHead("long-uri", "GET " + LW + "/episodes/0/steps?from=" + "9".repeat(HUGE)
          + " HTTP/1.1\r\n" + host + close, none, status("must-be-414", 414));
      case 14 -> HostileRequest.rawHead("bad-header", "GET /api/rollouts HTTP/1.1\r\n" + host
          + (rng.nextBoolean() ? "NoColonHere\r\n" : "Bad Name: x\r\n") + close, none, status("must-be-400", 400));
      default -> rng.nextBoolean()
          ? HostileRequest.rawHead("bad-request-line", "GET\r\n" + host + close, none, anyRefusal())
          : HostileRequest.rawHead("bad-request-line", "GET /api/rollouts\u0000x HTTP/1.1\r\n" + host + close, none,
              refusal());
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
