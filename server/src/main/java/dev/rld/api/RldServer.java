package dev.rld.api;

import dev.rld.annotation.AnnotationStore;
import dev.rld.attribution.AttributionCache;
import dev.rld.attribution.Sidecar;
import dev.rld.policy.Policy;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rld HTTP server: serves recordings (and the viewer) and, for recordings with a policy,
 * evaluation and attributions. Binds 127.0.0.1 unless told otherwise, and serves only the
 * recordings it was given.
 *
 * <pre>{@code
 * try (RldServer server = RldServer.builder()
 *     .recording(Path.of("cartpole.arrow"), myJavaPolicy)
 *     .port(8080).start()) {
 *   System.out.println("open " + server.url());
 *   server.join();
 * }
 * }</pre>
 */
public final class RldServer implements AutoCloseable {
  private final Javalin app;
  private final Map<String, ServedRollout> rollouts;
  private final String host;
  private final List<String> notes;
  private final String token;
  private final AttributionWork work;
  private final AttributionCache cache;
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

  private RldServer(Javalin app, Map<String, ServedRollout> rollouts, String host, List<String> notes, String token,
      AttributionWork work, AttributionCache cache) {
    this.app = app;
    this.cache = cache;
    this.rollouts = rollouts;
    this.host = host;
    this.notes = notes;
    this.token = token;
    this.work = work;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to serve and where. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private final List<Path> paths = new ArrayList<>();
    private final List<Policy> policies = new ArrayList<>();
    private final List<Policy> comparePolicies = new ArrayList<>();
    private String viewer;
    private Path viewerFile;
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private String token;
    private boolean noToken;
    private Limits limits = Limits.defaults();
    private boolean readOnlyAnnotations;

    /** The address to bind (default 127.0.0.1: this machine only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The port (default 8080; 0 picks a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Serves a recording (a file or a directory of files) without a policy. */
    public Builder recording(Path path) {
      return recording(path, null);
    }

    /** Serves a recording with a policy for evaluation and attributions (may be null). */
    public Builder recording(Path path, Policy policy) {
      return recording(path, policy, null);
    }

    /**
     * Serves a recording with two policies to compare (what training changed): {@code a}, the
     * policy (evaluation, landscape, attributions by default), and {@code b} (may be null), both
     * evaluated on every recorded observation for the disagreement route, and either attributed
     * ({@code policy=a|b}). Their {@link Policy#name()}s say which is which in answers.
     */
    public Builder recording(Path path, Policy a, Policy b) {
      if (b != null && a == null) {
        throw new IllegalArgumentException(path + ": a compare policy needs a policy A to compare it with");
      }
      paths.add(Objects.requireNonNull(path));
      policies.add(a);
      comparePolicies.add(b);
      return this;
    }

    /** The viewer scene to use for every recording instead of choosing by env id. */
    public Builder viewer(String name) {
      this.viewer = name;
      return this;
    }

    /** A user's scene module (ES module) the viewer loads at run time. */
    public Builder viewerFile(Path file) {
      this.viewerFile = file;
      return this;
    }

    /**
     * A further host name the server answers to (besides its address, localhost, 127.0.0.1 and
     * [::1]), e.g. the name of a machine it is reached by through a tunnel.
     */
    public Builder allowHost(String name) {
      allowedHosts.add(Objects.requireNonNull(name));
      return this;
    }

    /**
     * The access token to require (default: a random one when the server listens beyond this
     * machine, none on loopback).
     */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token);
      return this;
    }

    /** Requires no token even when the server listens beyond this machine (--no-token). */
    public Builder noToken() {
      this.noToken = true;
      return this;
    }

    /**
     * Never writes annotation sidecars: the annotations routes list what the sidecars hold and
     * refuse changes (409), as for a recording in a read-only folder.
     */
    public Builder readOnlyAnnotations() {
      this.readOnlyAnnotations = true;
      return this;
    }

    /** What one request may cost, the cache size and the connection limits (docs/api.md). */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /**
     * Opens the recordings and starts serving; fails naming a recording it cannot open, or with
     * a {@link BindException} when the port is taken.
     */
    public RldServer start() throws IOException {
      if (viewerFile != null && !Files.isRegularFile(viewerFile)) {
        // Checked now: otherwise the server starts and every viewer load answers 500.
        throw new java.nio.file.NoSuchFileException(viewerFile.toString(), null, "no such viewer file");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port " + port + " is not a TCP port (0..65535; 0 picks a free one)");
      }
      try {
        InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new BindException("cannot listen on " + host + ": no such address or host name");
      }
      Map<String, ServedRollout> served = new LinkedHashMap<>();
      Map<String, AnnotationStore> annotations = new LinkedHashMap<>();
      List<String> notes = new ArrayList<>();
      String required = noToken ? null : token != null ? token
          : RequestGuard.isLoopback(host) ? null : newToken();
      AttributionCache cache = new AttributionCache(limits.cacheBytes());
      AttributionWork work = new AttributionWork(limits.attributionWorkers(), limits.attributionQueue(),
          limits.attributionTimeout());
      try {
        for (int i = 0; i < paths.size(); i++) {
          String id = uniqueId(paths.get(i), served);
          ServedRollout s;
          try {
            s = ServedRollout.open(id, paths.get(i), policies.get(i), comparePolicies.get(i), cache);
          } catch (ServedRollout.PolicyDoesNotFit e) {
            throw new IllegalArgumentException(paths.get(i) + ": " + e.role() + " does not fit: " + e.getMessage(), e);
          }
          if (comparePolicies.get(i) != null) {
            notes.add(id + ": comparing policy A (" + policies.get(i).name() + ") with policy B ("
                + comparePolicies.get(i).name() + ")");
          }
          served.put(id, s);
          annotations.put(id, new AnnotationStore(paths.get(i), !readOnlyAnnotations));
          s.rollout().recoveries().forEach(r -> notes.add(r.describe()));
          s.rollout().skipped().forEach(r -> notes.add(r.describe()));
          notes.addAll(loadSidecar(s, paths.get(i), policies.get(i)));
        }
        Javalin app = Routes.create(served, new Routes.ViewerConfig(viewer, viewerFile),
            new Routes.Protection(new RequestGuard(host, allowedHosts, required), limits, work), annotations);
        try {
          app.start(host, port);
        } catch (JavalinBindException e) {
          app.stop();
          // An I/O problem of the user's to fix (another server on the port), not a bug.
          throw new BindException("cannot listen on " + host + ":" + port + ": " + bindProblem(e));
        } catch (RuntimeException e) {
          app.stop();
          throw new BindException("cannot listen on " + host + ":" + port + ": " + bindProblem(e));
        }
        for (Connector c : app.jettyServer().server().getConnectors()) {
          if (c instanceof AbstractConnector connector) {
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
          }
        }
        return new RldServer(app, served, host, notes, required, work, cache);
      } catch (IOException | RuntimeException e) {
        work.close();
        for (ServedRollout r : served.values()) {
          r.close();
        }
        throw e;
      }
    }

    /** Precomputed attributions beside the recording, when there are any for this policy. */
    private static List<String> loadSidecar(ServedRollout s, Path path, Policy policy) {
      Path sidecar = Sidecar.pathFor(path);
      if (policy == null || !Files.isRegularFile(sidecar)) {
        return List.of();
      }
      try {
        Sidecar.Contents contents = Sidecar.read(sidecar);
        if (!s.rollout().fingerprint().equals(contents.recordingFingerprint())) {
          // Keyed by content: a re-recorded file must not be explained by another file's attributions.
          return List.of("ignored " + sidecar + (contents.recordingFingerprint() == null
              ? ": it does not say which data it was computed for (an older rld wrote it); run rld attribute again"
              : ": it was computed for different data (the recording changed since)"));
        }
        int n = s.attributions().loadSidecar(contents);
        return List.of(n < 0 ? "ignored " + sidecar + ": it was computed with another policy"
            : "using " + n + " precomputed attribution steps from " + sidecar);
      } catch (IOException e) {
        return List.of("ignored " + sidecar + ": " + e.getMessage());
      }
    }

    /** What the operating system said, e.g. the address is not this machine's, or the port is taken. */
    private static String bindProblem(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.SocketException && t.getMessage() != null) {
          return t.getMessage().contains("assign") ? "the address is not one of this machine's" : t.getMessage();
        }
      }
      return e instanceof JavalinBindException ? e.getMessage() : "the server could not start";
    }

    private static String newToken() {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return HexFormat.of().formatHex(b);
    }

    private static String uniqueId(Path path, Map<String, ServedRollout> taken) {
      String name = path.toAbsolutePath().normalize().getFileName().toString();
      String base = name.endsWith(".arrow") ? name.substring(0, name.length() - ".arrow".length()) : name;
      base = base.replaceAll("[^A-Za-z0-9._-]", "-");
      String id = base;
      for (int n = 2; taken.containsKey(id); n++) {
        id = base + "-" + n;
      }
      return id;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The viewer's address, e.g. http://127.0.0.1:8080/, with {@code ?token=…} when one is required. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port() + "/" + (token == null ? "" : "?token=" + token);
  }

  /** The attributions cache shared by every recording served. */
  AttributionCache attributionCache() {
    return cache;
  }

  /** The access token requests must carry, or null when none is required (loopback). */
  public String token() {
    return token;
  }

  /** The ids the recordings are served under, in the order given. */
  public List<String> ids() {
    return List.copyOf(rollouts.keySet());
  }

  /** What the user should know about what is served: recoveries, sidecars used or ignored. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Blocks until the server is closed (from another thread) or the calling thread is
   * interrupted, or the JVM exits.
   */
  public void join() throws InterruptedException {
    // Not Jetty's join: that one does not answer an interrupt, which callers use to stop.
    stopped.await();
  }

  @Override
  public void close() throws IOException {
    app.stop();
    work.close();
    stopped.countDown();
    for (ServedRollout r : rollouts.values()) {
      r.close();
    }
  }
}
