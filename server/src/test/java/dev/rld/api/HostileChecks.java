package dev.rld.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The checks every reply to a hostile request must pass, and their tally: counts by status and
 * by check, and the violations (each naming the request, the check and what was seen).
 * Thread-safe: the bench checks replies from many threads.
 */
public final class HostileChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What must never reach a client: stack frames, exception names, Jetty's internals. */
  private static final Pattern LEAK = Pattern.compile(
      "Exception|\\bat (dev|java|javax|jdk|org|io|com|sun)\\.|org\\.eclipse\\.jetty|\\bio\\.javalin\\."
          + "|\\b(java|javax|jdk|sun)\\.[a-z]+\\.[A-Za-z]|\\bdev\\.rld\\.[a-z]+\\.[A-Z]|com\\.fasterxml\\.");
  private static final int KEPT_VIOLATIONS = 500;

  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> passed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final LongAdder violationCount = new LongAdder();

  /** Checks one reply; returns its violations (also tallied). */
  public List<String> check(HostileRequest r, HostileClient.Reply reply) {
    List<String> out = new ArrayList<>();
    byStatus.computeIfAbsent(reply.status(), k -> new LongAdder()).increment();
    byKind.computeIfAbsent(r.kind(), k -> new LongAdder()).increment();
    if (!record(out, r, "answered", reply.status() > 0, reply.failure())) {
      return out;
    }
    int status = reply.status();
    record(out, r, "no-5xx", status < 500 || r.expect().statuses() != null && r.expect().statuses().contains(status),
        "status " + status + ": " + reply.shortText());
    record(out, r, r.expect().name(), r.expect().allows(status), "status " + status + ": " + reply.shortText());
    boolean head = r.method().equals("HEAD");
    if (head) {
      record(out, r, "head-no-body", reply.body().length == 0, reply.body().length + " bytes after a HEAD reply");
    }
    // 403s are JSON on every path (static files too); other refusals on /api.
    boolean mustBeJson = status >= 400 && (r.expect().jsonError() && r.api() || status == 403);
    if (mustBeJson && !head) {
      record(out, r, "json-error", isJsonError(reply), "status " + status + " "
          + reply.header("Content-Type") + ": " + reply.shortText());
    }
    if (status != 200 || r.api()) {
      var m = LEAK.matcher(reply.text());
      boolean leak = m.find();
      record(out, r, "no-leak", !leak, leak ? "'" + around(reply.text(), m) + "'" : "");
    }
    if (status == 405) {
      record(out, r, "allow-header", reply.header("Allow") != null, "405 without Allow");
    }
    if (status == 429) {
      record(out, r, "retry-after", reply.header("Retry-After") != null, "429 without Retry-After");
    }
    String text = reply.text();
    record(out, r, "no-file-outside", !text.contains("root:x:0:0") && !text.contains("[core]"),
        "served a file from outside the viewer");
    return out;
  }

  private static String around(String text, java.util.regex.Matcher m) {
    int from = Math.max(0, m.start() - 40);
    return text.substring(from, Math.min(text.length(), m.end() + 40)).replace('\n', ' ');
  }

  /** A JSON object with one member, a non-empty string "error". */
  static boolean isJsonError(HostileClient.Reply reply) {
    String ct = reply.header("Content-Type");
    if (ct == null || !ct.startsWith("application/json")) {
      return false;
    }
    try {
      JsonNode n = JSON.readTree(reply.body());
      if (n == null || !n.isObject() || !n.path("error").isTextual() || n.get("error").asText().isEmpty()) {
        return false;
      }
      // Besides the message, only the documented details of a refusal over a limit (docs/api.md).
      java.util.Set<String> allowed = java.util.Set.of("error", "cost", "limit", "unit", "maxSteps");
      for (var names = n.fieldNames(); names.hasNext(); ) {
        if (!allowed.contains(names.next())) {
          return false;
        }
      }
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private boolean record(List<String> out, HostileRequest r, String check, boolean ok, String detail) {
    (ok ? passed : failed).computeIfAbsent(check, k -> new LongAdder()).increment();
    if (!ok) {
      String v = check + ": " + r + " -> " + detail;
      out.add(v);
      violationCount.increment();
      synchronized (violations) {
        if (violations.size() < KEPT_VIOLATIONS) {
          violations.add(v);
        }
      }
    }
    return ok;
  }

  public long violationCount() {
    return violationCount.sum();
  }

  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /** Counts by status, by request kind and by check (passed / failed), one line each. */
  public String report() {
    StringBuilder s = new StringBuilder();
    s.append("by status: ").append(sums(byStatus)).append('\n');
    s.append("by kind:   ").append(sums(byKind)).append('\n');
    Map<String, String> checks = new TreeMap<>();
    passed.forEach((k, v) -> checks.merge(k, v.sum() + " passed", (a, b) -> a + ", " + b));
    failed.forEach((k, v) -> checks.merge(k, v.sum() + " FAILED", (a, b) -> a + ", " + b));
    checks.forEach((k, v) -> s.append("check ").append(k).append(": ").append(v).append('\n'));
    return s.toString();
  }

  private static <K> Map<K, Long> sums(Map<K, LongAdder> m) {
    Map<K, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
