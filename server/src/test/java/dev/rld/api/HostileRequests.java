package dev.rld.api;

import static dev.rld.api.HostileRequest.Expect.any;
import static dev.rld.api.HostileRequest.Expect.forbidden;
import static dev.rld.api.HostileRequest.Expect.may200;
import static dev.rld.api.HostileRequest.Expect.refusal;
import static dev.rld.api.HostileRequest.Expect.status;
import static dev.rld.api.HostileServer.DOTS;
import static dev.rld.api.HostileServer.LINE_WALK;

import dev.rld.api.HostileRequest.Expect;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of hostile requests over every route of docs/api.md against a
 * {@link HostileServer}: bad ids and episodes, absurd parameters, bad bodies and content
 * types, wrong methods, traversal, foreign Host and Origin headers, and requests Jetty itself
 * must refuse. Each knows what the server must answer. The same seed gives the same requests.
 */
public final class HostileRequests {
  static final String LW = "/api/rollouts/" + LINE_WALK;
  static final String DT = "/api/rollouts/" + DOTS;
  /** Over Jetty's default 8 KiB for a request head. */
  static final int HUGE = 20_000;

  private final SplittableRandom rng;
  private final int port;

  public HostileRequests(long seed, int port) {
    this.rng = new SplittableRandom(seed);
    this.port = port;
  }

  /** {@code n} requests. */
  public List<HostileRequest> take(int n) {
    List<HostileRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  public HostileRequest next() {
    return switch (rng.nextInt(15)) {
      case 0 -> badId();
      case 1 -> badEpisode();
      case 2 -> HostileParams.steps(rng);
      case 3, 4 -> HostileParams.attributions(rng);
      case 5, 6 -> HostileBodies.evaluate(rng);
      case 7 -> wrongMethod();
      case 8 -> traversal();
      case 9 -> host();
      case 10 -> origin();
      case 11 -> HostileWire.next(rng, port);
      case 12 -> unknownRoute();
      case 13 -> moments();
      default -> valid();
    };
  }

  <T> T pick(List<T> options) {
    return options.get(rng.nextInt(options.size()));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A GET route of a recording, with {@code id} and episode {@code e} put in. */
  private String route(String id, String e) {
    return switch (rng.nextInt(8)) {
      case 5 -> "/api/rollouts/" + id + "/episodes/" + e + "/hotspots";
      case 6 -> "/api/rollouts/" + id + "/episodes/" + e + "/disagreement";
      case 7 -> "/api/rollouts/" + id + "/annotations?episode=" + e;
      case 0 -> "/api/rollouts/" + id;
      case 1 -> "/api/rollouts/" + id + "/episodes";
      case 2 -> "/api/rollouts/" + id + "/episodes/" + e + "/steps?from=0&to=5";
      case 3 -> "/api/rollouts/" + id + "/episodes/" + e + "/attributions?from=0&to=3";
      default -> "/api/rollouts/" + id + "/episodes/" + e + "/steps?format=arrow&from=1&to=4";
    };
  }

  private HostileRequest badId() {
    String id = pick(List.of("nope", "LINE-WALK", "line-walk%00", "..%2f..%2fetc%2fpasswd", "%2e%2e", "line-walk%2f..",
        "r%C3%A9", "%F0%9F%92%A9", "a".repeat(300), "%", "%zz", "line-walk%3F", "%20", "line walk", "dots.arrow",
        "line-walk%0d%0aX-Injected:%201", "..", "."));
    if (rng.nextInt(4) == 0) {
      return HostileBodies.post("bad-id", "/api/rollouts/" + id + "/evaluate", "{\"observation\": [0, 0]}", refusal());
    }
    return HostileRequest.get("bad-id", route(id, "0"), refusal());
  }

  private HostileRequest badEpisode() {
    String e = pick(List.of("-1", "3", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "abc", "1.0",
        "0x1", "%20", "%D9%A3", "1e3", "NaN", "..%2f..%2f", "%2e%2e", "0%00", "-0x1", "1_0", "∞"));
    String id = rng.nextBoolean() ? LINE_WALK : DOTS;
    return HostileRequest.get("bad-episode", "/api/rollouts/" + id + "/episodes/" + e
        + pick(List.of("/steps?from=0&to=3", "/attributions?from=0&to=2", "/hotspots", "/disagreement")), refusal());
  }

  /**
   * The routes that find moments (docs/api.md "Hotspots", "Annotations", disagreement) with bad
   * parameters and bodies: a limit that is no count, annotations that do not fit the episode or
   * are not JSON objects, a disagreement without a compare policy, unknown annotations.
   */
  private HostileRequest moments() {
    return switch (rng.nextInt(4)) {
      case 0 -> HostileRequest.get("hotspot-limit", LW + "/hotspots?limit=" + pick(List.of("0", "-1", "1001", "abc",
          "1e9", "99999999999999999999", "%00")), refusal());
      case 1 -> HostileBodies.post("annotation-body", LW + "/annotations", pick(List.of("[]", "null", "\"x\"", "{",
          "{\"episode\": 0, \"from\": 3, \"to\": 1, \"title\": \"t\"}",
          "{\"episode\": 9, \"from\": 0, \"to\": 0, \"title\": \"t\"}",
          "{\"episode\": 0, \"from\": 0, \"to\": 0, \"title\": \" \"}",
          "{\"episode\": 0, \"from\": 0, \"to\": 0, \"title\": \"t\", \"colour\": 1}",
          "{\"episode\": 0, \"from\": 0, \"to\": 0, \"title\": \"" + "x".repeat(300) + "\"}",
          "{\"episode\": \"0\", \"from\": 0, \"to\": 0, \"title\": \"t\"}")), refusal());
      case 2 -> HostileRequest.get("no-compare-policy", LW + "/episodes/0/disagreement?from=" + pick(List.of("0", "-1", "x")),
          refusal());
      default -> new HostileRequest("unknown-annotation", "DELETE", LW + "/annotations/" + pick(List.of("nope", "..",
          "%00", "a".repeat(300))), List.of(), new byte[0], false, null, refusal());
    };
  }

  private HostileRequest wrongMethod() {
    String path = pick(List.of("/api/rollouts", LW, LW + "/episodes", LW + "/episodes/0/steps?from=0&to=2",
        LW + "/episodes/0/attributions?from=0&to=2", "/api/config", DT + "/episodes/1/steps"));
    return switch (rng.nextInt(8)) {
      case 0 -> new HostileRequest("wrong-method", "GET", LW + "/evaluate", List.of(), new byte[0], false, null,
          status("must-be-405", 405));
      case 1 -> new HostileRequest("wrong-method", "DELETE", DT + "/evaluate", List.of(), new byte[0], false, null,
          status("must-be-405", 405));
      case 2 -> new HostileRequest("head", "HEAD", path, List.of(), new byte[0], true, null,
          status("head-of-get", 200));
      case 3 -> new HostileRequest("head", "HEAD", "/api/rollouts/nope/episodes", List.of(), new byte[0], true, null,
          status("head-unknown-404", 404));
      case 4 -> new HostileRequest("options", "OPTIONS", path, List.of(), new byte[0], false, null,
          status("options", 200, 204, 405));
      default -> new HostileRequest("wrong-method", pick(List.of("PUT", "DELETE", "PATCH", "POST", "TRACE")), path,
          List.of(java.util.Map.entry("Content-Type", "application/json")), "{}".getBytes(StandardCharsets.UTF_8),
          false, null, status("must-be-405", 405));
    };
  }

  private HostileRequest traversal() {
    String t = pick(List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
        "/assets/../../../../etc/passwd", "/%252e%252e/%252e%252e/etc/passwd", "/index.html%00.js", "//etc/passwd",
        "/rld/web/../../../../etc/passwd", "/WEB-INF/web.xml", "/.git/config", "/..\\..\\etc\\passwd",
        "/%c0%ae%c0%ae/etc/passwd", "/api/../../etc/passwd", "/api/%2e%2e/%2e%2e/etc/passwd",
        "/" + "..%2f".repeat(30) + "etc/passwd", "/dev/rld/api/Routes.class", "/META-INF/MANIFEST.MF"));
    HostileRequest r = HostileRequest.get("traversal", t, any()).asRaw();
    if (rng.nextInt(4) != 0) {
      return r;
    }
    // Jetty may refuse a malformed target (400) before any Host check runs; either refusal will do.
    HostileRequest f = foreignHost(r);
    return new HostileRequest(f.kind(), f.method(), f.target(), f.headers(), f.body(), true, null,
        status("must-be-403-or-400", 403, 400));
  }

  private HostileRequest foreignHost(HostileRequest r) {
    String h = pick(List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "localhost.evil.example",
        "127.0.0.2", "0.0.0.0:" + port, "[::2]:" + port, "evil.example:80", "10.0.0.1:" + port, "localhostx",
        "127.0.0.1@evil.example", "xn--80ak6aa92e.example", "192.168.1.1", "2130706433"));
    // A Host Jetty cannot parse as host[:port] may be refused as a bad request (400) first.
    Expect expect = h.contains("@") ? status("must-be-403-or-400", 403, 400) : forbidden();
    return new HostileRequest("foreign-host", r.method(), r.target(), r.headers(), r.body(), true, null, expect)
        .withHeader("Host", h);
  }

  private HostileRequest host() {
    HostileRequest base = rng.nextInt(5) == 0
        ? HostileBodies.post("host", LW + "/evaluate", "{\"observation\": [0.1, 0.2]}", may200())
        : HostileRequest.get("host", pick(List.of("/", "/index.html", "/api/rollouts", LW, LW + "/episodes/0/steps?to=2",
            "/api/config", "/api/nothing", "/favicon.ico")), may200());
    return switch (rng.nextInt(6)) {
      case 0 -> new HostileRequest("allowed-host", base.method(), base.target(), base.headers(), base.body(), true,
          null, base.target().equals("/api/nothing") || base.target().equals("/favicon.ico") ? refusal() : may200())
          .withHeader("Host", pick(List.of("localhost", "localhost:1", "127.0.0.1", "[::1]:" + port, "localhost:" + port)));
      case 1 -> {
        // A DNS-rebinding page: the browser sends the attacker's name as Host and Origin.
        HostileRequest r = foreignHost(base);
        String host = r.headers().get(r.headers().size() - 1).getValue();
        yield r.withHeader("Origin", "http://" + host);
      }
      case 2 -> HostileRequest.rawHead("empty-host", "GET /api/rollouts HTTP/1.1\r\nHost: \r\nConnection: close",
          new byte[0], refusal());
      case 3 -> HostileRequest.rawHead("no-host", "GET " + LW + " HTTP/1.1\r\nConnection: close", new byte[0], refusal());
      default -> foreignHost(base);
    };
  }

  private HostileRequest origin() {
    boolean post = rng.nextInt(3) == 0;
    HostileRequest base = post ? HostileBodies.post("origin", LW + "/evaluate", "{\"observation\": [0.1, 0.2]}", may200())
        : HostileRequest.get("origin", route(rng.nextBoolean() ? LINE_WALK : DOTS, "1"), may200());
    if (rng.nextInt(5) == 0) {
      String site = pick(List.of("cross-site", "same-site", "same-origin", "none"));
      boolean bad = site.endsWith("-site");
      return new HostileRequest(bad ? "cross-site" : "same-origin", base.method(), base.target(), base.headers(),
          base.body(), false, null, bad ? forbidden() : may200()).withHeader("Sec-Fetch-Site", site);
    }
    if (rng.nextInt(5) == 0) {
      String good = pick(List.of("http://127.0.0.1:" + port, "http://localhost:" + port));
      return new HostileRequest("allowed-origin", base.method(), base.target(), base.headers(), base.body(), false, null,
          may200()).withHeader("Origin", good);
    }
    String o = pick(List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:" + port,
        "http://127.0.0.1:" + port + ".evil.example", "http://localhost.evil.example:" + port, "file://",
        "http://127.0.0.1", "http://[::1]:" + (port + 1), "HTTP://EVIL.EXAMPLE", "http://evil.example:" + port));
    if (post && rng.nextBoolean()) {
      // The classic CSRF: a cross-site form posting text/plain.
      return HostileBodies.post("cross-site-form", LW + "/evaluate", "text/plain", "{\"observation\": [0.1, 0.2]}",
          status("must-be-403-or-415", 403, 415)).withHeader("Origin", o);
    }
    return new HostileRequest("foreign-origin", base.method(), base.target(), base.headers(), base.body(), false, null,
        forbidden()).withHeader("Origin", o);
  }

  /** A browser's cross-site form POST to /evaluate: text/plain from a foreign page. */
  public static HostileRequest crossSiteForm(int i) {
    return HostileBodies.post("cross-site-form", LW + "/evaluate", "text/plain", "{\"observation\": [0.1, 0." + (i % 10)
        + "]}", status("must-be-403-or-415", 403, 415)).withHeader("Origin", "http://evil.example")
        .withHeader("Sec-Fetch-Site", "cross-site");
  }

  private HostileRequest unknownRoute() {
    String t = pick(List.of("/api", "/api/nothing", LW + "/nothing", LW + "/episodes/0/nothing",
        LW + "/episodes/0/steps/extra",
        "/api/rollouts/line-walk/episodes/0/attributions/x", "/api/ROLLOUTS", "/api/rollouts/" + LINE_WALK + "/evaluate/x",
        "/api/" + "x/".repeat(500)));
    return HostileRequest.get("unknown-route", t, status("must-be-404", 404));
  }

  /** Requests that must succeed: interleaved, they show the server still serves. */
  private HostileRequest valid() {
    String t = pick(List.of("/api/rollouts", LW, DT + "/episodes", LW + "/episodes/1/steps?from=0&to=5",
        DT + "/episodes/0/steps?format=arrow&from=100&to=110", LW + "/episodes/2/attributions?from=0&to=4",
        DT + "/episodes/1/attributions?method=occlusion&from=0&to=2", "/api/config", "/", LW + "/episodes/0",
        DT + "/overview?buckets=3", DT + "/episodes?sort=return&order=desc&limit=3", LW + "/episodes/0/hotspots",
        DT + "/hotspots?limit=5", LW + "/annotations?episode=1"));
    return HostileRequest.get("valid", t, status("must-be-200", 200));
  }
}
