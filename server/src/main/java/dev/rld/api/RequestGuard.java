package dev.rld.api;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the server (README, "Security"). Every request must name this server in its
 * {@code Host} header, so a web page whose name was rebound to 127.0.0.1 gets nothing; API
 * requests from another site's page (by {@code Origin} or {@code Sec-Fetch-Site}) are refused;
 * POST bodies must be JSON, which no form or plain cross-site request can send without a
 * preflight. When the server listens beyond this machine, a token is also required.
 */
final class RequestGuard {
  static final String TOKEN_COOKIE = "rld-token";

  private final Set<String> hosts;
  private final String token;

  /**
   * @param boundHost the address the server binds
   * @param allowedHosts further names users reach it by (--allow-host)
   * @param token the access token, or null when none is required
   */
  RequestGuard(String boundHost, Set<String> allowedHosts, String token) {
    Set<String> h = new HashSet<>();
    h.add("localhost");
    h.add("127.0.0.1");
    h.add("[::1]");
    h.add(bracketed(boundHost.toLowerCase(Locale.ROOT)));
    if (isWildcard(boundHost)) {
      h.addAll(interfaceAddresses());
    }
    allowedHosts.forEach(a -> h.add(bracketed(a.toLowerCase(Locale.ROOT))));
    this.hosts = Set.copyOf(h);
    this.token = token;
  }

  /** Refuses (403, 401, 415) a request that may not be answered; returns normally otherwise. */
  void check(Context ctx) {
    String host = ctx.header("Host");
    if (host != null && !hosts.contains(hostName(host))) {
      throw new ApiException(403, "this server does not answer to the host name '" + printable(hostName(host))
          + "' (start it with --allow-host NAME to allow a name)");
    }
    if (token != null) {
      checkToken(ctx);
    }
    if (!ctx.path().startsWith("/api/")) {
      return;
    }
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      throw new ApiException(403, "cross-site requests are refused: the API answers pages of this server only");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !sameOrigin(origin, ctx.port())) {
      throw new ApiException(403, "requests from the origin '" + printable(origin)
          + "' are refused: the API answers pages of this server only");
    }
    if (ctx.method().name().equals("POST")) {
      requireJson(ctx);
    }
  }

  /**
   * Refuses (415) a body not sent as {@code application/json}. POST is checked for every path;
   * a route taking PUT checks it itself, so that PUT on a path without it stays a 405.
   */
  static void requireJson(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
      throw new ApiException(415, "the body must be JSON, sent with Content-Type: application/json");
    }
  }

  private void checkToken(Context ctx) {
    String given = ctx.queryParam("token");
    if (given != null && matches(given)) {
      // Opening the printed URL once is enough: the browser keeps the token for this server only.
      ctx.cookie(new Cookie(TOKEN_COOKIE, token, "/", -1, false, true, null, SameSite.STRICT));
      return;
    }
    String auth = ctx.header("Authorization");
    if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).trim())) {
      return;
    }
    String cookie = ctx.cookie(TOKEN_COOKIE);
    if (cookie != null && matches(cookie)) {
      return;
    }
    throw new ApiException(401, "this server needs its access token: open the URL it printed at start "
        + "(…/?token=…), or send Authorization: Bearer TOKEN");
  }

  private boolean matches(String given) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private boolean sameOrigin(String origin, int port) {
    String prefix = "http://";
    if (!origin.toLowerCase(Locale.ROOT).startsWith(prefix)) {
      return false;
    }
    String hostPort = origin.substring(prefix.length());
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0 || colon < hostPort.lastIndexOf(']')) {
      return false; // our port is never http's default 80 in practice; require it explicitly
    }
    return hosts.contains(hostName(hostPort)) && hostPort.substring(colon + 1).equals(Integer.toString(port));
  }

  /** The host name of a Host header or origin authority, lower case, without the port. */
  static String hostName(String authority) {
    String a = authority.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(0, end + 1);
    }
    int colon = a.indexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** True when {@code host} reaches this machine only. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static Set<String> interfaceAddresses() {
    Set<String> out = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          String s = a.getHostAddress();
          int zone = s.indexOf('%');
          out.add(bracketed((zone < 0 ? s : s.substring(0, zone)).toLowerCase(Locale.ROOT)));
        }
      }
    } catch (SocketException e) {
      // No interfaces to list: only the names given stay allowed.
    }
    return out;
  }

  /** At most 100 printable ASCII characters of a header value, for messages. */
  private static String printable(String s) {
    String t = s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() > 100 ? t.substring(0, 100) + "…" : t;
  }
}
