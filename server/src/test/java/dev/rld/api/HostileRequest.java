package dev.rld.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One hostile request and what the server must answer to it (issue 9's contract).
 *
 * @param kind what the request tries, for counting (e.g. {@code foreign-host})
 * @param method the HTTP method, sent verbatim
 * @param target the request target, sent verbatim (already percent-encoded where it should be)
 * @param headers extra headers, in order; a raw request without a {@code Host} gets a good one
 * @param body the body, or an empty array
 * @param raw whether it must go over a plain socket (java.net.http refuses bad Host headers,
 *     odd versions, huge targets and broken chunking); {@code rawHead} then replaces the whole
 *     request head when not null
 * @param expect the statuses allowed
 */
public record HostileRequest(String kind, String method, String target, List<Map.Entry<String, String>> headers,
    byte[] body, boolean raw, String rawHead, Expect expect) {

  /** What a reply must be. Every reply is also checked for leaks and 5xx by {@link HostileChecks}. */
  public record Expect(String name, Set<Integer> statuses, boolean jsonError) {
    /** Exactly one of these statuses; a JSON error when 4xx. */
    static Expect status(String name, Integer... statuses) {
      return new Expect(name, Set.of(statuses), true);
    }

    /** Any 4xx, as a JSON error. */
    static Expect refusal() {
      return new Expect("must-be-4xx-json", null, true);
    }

    /** Any 4xx, not necessarily JSON (static files outside /api). */
    static Expect anyRefusal() {
      return new Expect("must-be-4xx", null, false);
    }

    /** A 200, or a JSON refusal: values the server may take or refuse. */
    static Expect may200() {
      return new Expect("may-be-200", Set.of(200), true);
    }

    /** Anything but a 5xx (the global checks still apply: no leak, no file from outside). */
    static Expect any() {
      return new Expect("any-but-5xx", null, false);
    }

    static Expect forbidden() {
      return status("must-be-403", 403);
    }

    boolean allows(int status) {
      if (name.equals("any-but-5xx")) {
        return status < 500;
      }
      if (statuses == null) {
        return status >= 400 && status < 500;
      }
      if (name.equals("may-be-200")) {
        return status == 200 || status >= 400 && status < 500;
      }
      return statuses.contains(status);
    }
  }

  static HostileRequest get(String kind, String target, Expect expect) {
    return new HostileRequest(kind, "GET", target, List.of(), new byte[0], false, null, expect);
  }

  static HostileRequest post(String kind, String target, String contentType, byte[] body, Expect expect) {
    List<Map.Entry<String, String>> h = contentType == null ? List.of() : List.of(Map.entry("Content-Type", contentType));
    return new HostileRequest(kind, "POST", target, h, body, false, null, expect);
  }

  static HostileRequest postJson(String kind, String target, String json, Expect expect) {
    return post(kind, target, "application/json", json.getBytes(StandardCharsets.UTF_8), expect);
  }

  /** A raw request whose head (request line and headers, without the final blank line) is given. */
  static HostileRequest rawHead(String kind, String head, byte[] body, Expect expect) {
    String target = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "";
    return new HostileRequest(kind, "RAW", target, List.of(), body, true, head, expect);
  }

  HostileRequest withHeader(String name, String value) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    return new HostileRequest(kind, method, target, h, body, raw || name.equalsIgnoreCase("Host"), rawHead, expect);
  }

  HostileRequest withMethod(String m) {
    return new HostileRequest(kind, m, target, headers, body, raw, rawHead, expect);
  }

  HostileRequest asRaw() {
    return new HostileRequest(kind, method, target, headers, body, true, rawHead, expect);
  }

  boolean hasHeader(String name) {
    return headers.stream().anyMatch(e -> e.getKey().equalsIgnoreCase(name));
  }

  /** Whether the target is under /api, where every refusal must be JSON. */
  boolean api() {
    return target.startsWith("/api/") || target.equals("/api");
  }

  @Override
  public String toString() {
    String t = target.length() > 120 ? target.substring(0, 120) + "...(" + target.length() + " chars)" : target;
    return kind + " " + (rawHead != null ? "[raw head] " : method + " ") + t
        + (headers.isEmpty() ? "" : " " + headers.stream().map(e -> e.getKey() + ": " + abbreviate(e.getValue())).toList())
        + (body.length > 0 ? " body " + body.length + " B " + abbreviate(bodyText()) : "");
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + ")" : s;
  }

  /** The body as text; a uint8 image body shows only what differs from its filler. */
  private String bodyText() {
    String t = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    return body.length < 1000 ? t : t.replace("7,", "").replace(",7]", "]");
  }
}
