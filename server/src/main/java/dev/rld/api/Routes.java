package dev.rld.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.annotation.AnnotationStore;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Normalization;
import dev.rld.attribution.OverBudgetException;
import dev.rld.attribution.Targets;
import dev.rld.format.InvalidRolloutException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The HTTP routes (docs/api.md): short handlers that call into {@link ServedRollout}. */
final class Routes {
  static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What a message must not show: Java class names, stack frames, Jetty internals. */
  private static final Pattern UNSAFE = Pattern.compile(
      "Exception|Error\\b|\\bat [a-z]+\\.|\\b(java|javax|jakarta|org|io|dev|com|kotlin)\\.[a-z]+\\.[A-Za-z]");

  /** Which scene the viewer shows, when the user chose one. */
  record ViewerConfig(String viewer, Path viewerFile) {}

  /** What protects the server: who may ask, and what one request may cost. */
  record Protection(RequestGuard guard, Limits limits, AttributionWork work) {}

  /** The API's routes by method, for 405 answers with the methods a path does have. */
  record Route(HandlerType method, String path, Pattern pattern) {}

  private Routes() {}

  static Javalin create(Map<String, ServedRollout> rollouts, ViewerConfig viewer, Protection protection,
      Map<String, AnnotationStore> annotations) {
    List<Route> table = new ArrayList<>();
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      // Blocking reads of slow bodies then hold cheap virtual threads, not the worker pool.
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = protection.limits().maxBodyBytes();
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setIdleTimeout(protection.limits().idleTimeout().toMillis());
        http.setMinRequestDataRate(protection.limits().minRequestDataRate());
      });
      if (Routes.class.getResource("/rld/web/index.html") != null) {
        config.staticFiles.add(files -> {
          files.hostedPath = "/";
          files.directory = "/rld/web";
          files.location = Location.CLASSPATH;
        });
      }
      var r = config.routes;
      r.before(ctx -> protection.guard().check(ctx));
      Limits limits = protection.limits();
      get(r, table, "/api/config", ctx -> ctx.json(Map.of("viewer", viewer.viewer() == null ? "" : viewer.viewer(),
          "viewerFile", viewer.viewerFile() == null ? "" : "/api/viewer-file")));
      get(r, table, "/api/viewer-file", ctx -> {
        if (viewer.viewerFile() == null) {
          throw ApiException.notFound("no viewer file was given (rld serve --viewer-file my-scene.js)");
        }
        ctx.contentType("text/javascript").result(java.nio.file.Files.readAllBytes(viewer.viewerFile()));
      });
      get(r, table, "/api/rollouts", ctx -> ctx.json(rollouts.values().stream().map(ServedRollout::summary).toList()));
      get(r, table, "/api/rollouts/{id}", ctx -> ctx.json(rollout(rollouts, ctx).metadata()));
      LiveRoutes.install(r, table, rollouts);
      get(r, table, "/api/rollouts/{id}/episodes", ctx -> ctx.json(rollout(rollouts, ctx).views.episodes(
          new EpisodeIndex.Query(intQuery(ctx, "offset", 0), intQuery(ctx, "limit", EpisodeIndex.DEFAULT_LIMIT),
              EpisodeIndex.SortKey.parse(query(ctx, "sort", "index")), descending(query(ctx, "order", "asc")),
              ctx.queryParam("outcome"), finiteQuery(ctx, "minReturn"), finiteQuery(ctx, "maxReturn")))));
      get(r, table, "/api/rollouts/{id}/episodes/{e}", ctx ->
          ctx.json(rollout(rollouts, ctx).views.episodeEntry(intPath(ctx, "e", "episode"))));
      get(r, table, "/api/rollouts/{id}/episodes/{e}/series", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        int buckets = intQuery(ctx, "buckets", StepSeries.DEFAULT_BUCKETS);
        s.episode(e);
        // A long read: on the bounded workers, stopped when the client leaves.
        ctx.json(protection.work().run(ctx, () -> s.views.series(e, buckets)));
      });
      get(r, table, "/api/rollouts/{id}/overview", ctx ->
          ctx.json(rollout(rollouts, ctx).views.overview(intQuery(ctx, "buckets", EpisodeOverview.DEFAULT_BUCKETS))));
      get(r, table, "/api/rollouts/{id}/episodes/{e}/steps", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        String format = query(ctx, "format", "json");
        Integer from = intQuery(ctx, "from");
        Integer to = intQuery(ctx, "to");
        switch (format) {
          case "json" -> ctx.json(s.stepsJson(e, from, to, limits.maxResponseBytes()));
          case "arrow" -> {
            // Checked before the headers go out, so a refusal is still a JSON error.
            int[] range = s.stepsRange(e, from, to, s.arrowBytesPerRow(), limits.maxResponseBytes());
            ctx.contentType(ARROW_STREAM);
            s.writeArrow(range, e, ctx.outputStream());
          }
          default -> throw ApiException.badRequest("unknown format '" + format + "' (json, arrow)");
        }
      });
      get(r, table, "/api/rollouts/{id}/episodes/{e}/attributions", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        s.episode(e);
        RolloutAttributions.Job job = s.attributions(ctx.queryParam("policy")).prepare(e, attributionRequest(ctx, s), attributionView(ctx),
            intQuery(ctx, "from"), intQuery(ctx, "to"), limits);
        AttributionAnswer answer = protection.work().run(ctx, job::run);
        ctx.contentType("application/json");
        answer.writeTo(ctx.outputStream());
      });
      get(r, table, "/api/rollouts/{id}/episodes/{e}/disagreement", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        Integer from = intQuery(ctx, "from");
        Integer to = intQuery(ctx, "to");
        s.episode(e);
        Disagreement d = s.policies().disagreement();
        int[] range = d.prepare(e, from, to, limits);
        // Evaluations of two models: on the bounded workers, stopped when the client leaves.
        ctx.json(protection.work().run(ctx, () -> d.answer(e, range)));
      });
      route(r, table, HandlerType.POST, "/api/rollouts/{id}/attributions", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        JsonNode body = jsonBody(ctx);
        if (body == null || !body.isObject() || !body.has("observation")) {
          throw ApiException.badRequest("the body must be a JSON object with an \"observation\" (and optionally "
              + "an \"action\" and a \"step\")");
        }
        JsonNode step = body.get("step");
        if (step != null && !(step.isIntegralNumber() && step.canConvertToInt() && step.intValue() >= 0)) {
          throw ApiException.badRequest("step must be a non-negative integer, got " + step);
        }
        AttributionRequest request = attributionRequest(ctx, s);
        RolloutAttributions.View view = attributionView(ctx);
        RolloutAttributions attributions = s.attributions(ctx.queryParam("policy"));
        AttributionAnswer answer = protection.work().run(ctx, () -> attributions.explain(body.get("observation"),
            body.get("action"), step == null ? 0 : step.intValue(), request, view, limits));
        ctx.contentType("application/json");
        answer.writeTo(ctx.outputStream());
      });
      route(r, table, HandlerType.POST, "/api/rollouts/{id}/landscape", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        LandscapeBody body = LandscapeBody.parse(jsonBody(ctx), s);
        ctx.json(protection.work().run(ctx, () -> body.sweep(s)));
      });
      route(r, table, HandlerType.POST, "/api/rollouts/{id}/evaluate", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        JsonNode body = jsonBody(ctx);
        if (body == null || !body.isObject() || !body.has("observation")) {
          throw ApiException.badRequest("the body must be a JSON object with an \"observation\"");
        }
        ctx.json(s.evaluate(body.get("observation")));
      });
      HotspotRoutes.register(r, table, rollouts, protection);
      AnnotationRoutes.register(r, table, rollouts, annotations);

      r.exception(ApiException.class, (e, ctx) -> {
        e.headers().forEach(ctx::header);
        error(ctx, e.status(), e.getMessage(), e.details());
      });
      r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage(), Map.of()));
      r.exception(OverBudgetException.class, (e, ctx) -> error(ctx, 413, e.getMessage(), Map.of()));
      r.exception(InvalidRolloutException.class, (e, ctx) -> error(ctx, 422,
          "the recording cannot be read here: " + e.getMessage(), Map.of()));
      // Javalin's own refusals keep their status: an unknown route (404), a body over its size
      // limit (413). Without this they would reach the Exception handler below as 500s.
      r.exception(HttpResponseException.class, (e, ctx) -> notFoundOrOther(ctx, table, e.getStatus(), e.getMessage()));
      r.exception(Exception.class, (e, ctx) -> {
        // A real bug: the log gets the trace, the client a message without internals.
        System.err.println("rld: internal error on " + ctx.method() + " " + ctx.path());
        e.printStackTrace();
        error(ctx, 500, "internal error while answering " + ctx.method() + " " + ctx.path()
            + " (the server log has the details)", Map.of());
      });
      r.error(404, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          notFoundOrOther(ctx, table, 404, null);
        }
      });
    });
  }

  /** The computation an attributions request asks for, from its query (docs/api.md). */
  private static AttributionRequest attributionRequest(Context ctx, ServedRollout s) throws java.io.IOException {
    return new AttributionRequest(
        AttributionRequest.Method.parse(query(ctx, "method", "ablation")),
        s.attributions().baseline(query(ctx, "baseline", "zero")),
        AttributionRequest.OutputKind.parse(query(ctx, "output", "probability")),
        intQuery(ctx, "permutations", 25), longQuery(ctx, "seed", 0),
        pair(ctx, "window", "8,8"), pair(ctx, "stride", "4,4"),
        AttributionRequest.Estimator.of(ctx.queryParam("exact"), ctx.queryParam("sampling"),
            intQuery(ctx, "permutations") != null));
  }

  /** How an attributions answer is shown, from its query. */
  private static RolloutAttributions.View attributionView(Context ctx) {
    return new RolloutAttributions.View(Targets.parse(query(ctx, "target", "picked")),
        Normalization.Mode.parse(query(ctx, "normalize", "all")),
        doubleQuery(ctx, "outlier", Normalization.DEFAULT_OUTLIER_PERCENTILE), query(ctx, "groups", "features"));
  }

  /** A GET route, answered for HEAD too (Jetty sends the headers only). */
  static void get(io.javalin.config.RoutesConfig r, List<Route> table, String path, Handler handler) {
    route(r, table, HandlerType.GET, path, handler);
    route(r, table, HandlerType.HEAD, path, handler);
  }

  static void route(io.javalin.config.RoutesConfig r, List<Route> table, HandlerType method, String path,
      Handler handler) {
    r.addHttpHandler(method, path, handler);
    table.add(new Route(method, path, Pattern.compile(path.replaceAll("\\{[^}]+}", "[^/]+"))));
  }

  /** 404 for a path no route has; 405 with {@code Allow} for a path that has other methods. */
  private static void notFoundOrOther(Context ctx, List<Route> table, int status, String message) {
    if (status != 404) {
      error(ctx, status, message, Map.of());
      return;
    }
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : table) {
      if (route.pattern().matcher(ctx.path()).matches()) {
        allowed.add(route.method().name());
      }
    }
    if (allowed.isEmpty() || allowed.contains(ctx.method().name())) {
      error(ctx, 404, "no such route: " + ctx.method() + " " + shorten(ctx.path()), Map.of());
    } else {
      ctx.header("Allow", String.join(", ", allowed));
      error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + String.join(", ", allowed),
          Map.of());
    }
  }

  /** An error response: {"error": message, ...details}; never an internal class name. */
  private static void error(Context ctx, int status, String message, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    String text = message == null || message.isEmpty() ? "HTTP " + status : message;
    body.put("error", isSafeMessage(text) ? text : JsonErrorHandler.describe(status, null));
    body.putAll(details);
    ctx.status(status).json(body);
  }

  /** Whether {@code message} is free of Java class names and stack frames. */
  static boolean isSafeMessage(String message) {
    return !UNSAFE.matcher(message).find();
  }

  /** The request body as JSON; a body that cannot be read or parsed is a 400 naming why. */
  private static JsonNode jsonBody(Context ctx) {
    byte[] bytes = bodyBytes(ctx);
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON; send {\"observation\": ...}");
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("the request body could not be read");
    }
  }

  /** The request body; one that cannot be read is a 400, one over the size limit a 413. */
  static byte[] bodyBytes(Context ctx) {
    try {
      return ctx.bodyAsBytes();
    } catch (HttpResponseException e) {
      throw e; // over the size limit: 413
    } catch (Exception e) {
      // Jetty's early EOF of a malformed chunked body comes through here, undeclared.
      throw ApiException.badRequest("the request body could not be read (malformed or cut off)");
    }
  }

  static ServedRollout rollout(Map<String, ServedRollout> rollouts, Context ctx) {
    String id = ctx.pathParam("id");
    ServedRollout s = rollouts.get(id);
    if (s == null) {
      throw ApiException.notFound("unknown recording '" + (id.length() > 100 ? id.substring(0, 100) + "…" : id)
          + "' (served: " + rollouts.keySet() + ")");
    }
    return s;
  }

  private static String query(Context ctx, String name, String fallback) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  /** The path parameter {@code name} as an integer; errors call it {@code label}. */
  static int intPath(Context ctx, String name, String label) {
    return parseInt(ctx.pathParam(name), label);
  }

  static Integer intQuery(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : parseInt(v, name);
  }

  static int intQuery(Context ctx, String name, int fallback) {
    Integer v = intQuery(ctx, name);
    return v == null ? fallback : v;
  }

  private static long longQuery(Context ctx, String name, long fallback) {
    String v = ctx.queryParam(name);
    try {
      return v == null || v.isEmpty() ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got '" + shorten(v) + "'");
    }
  }

  private static double doubleQuery(Context ctx, String name, double fallback) {
    String v = ctx.queryParam(name);
    try {
      double d = v == null || v.isEmpty() ? fallback : Double.parseDouble(v);
      if (!(d >= 0 && d < 100)) {
        throw ApiException.badRequest(name + " must be a percentile in [0, 100), got '" + shorten(v) + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a number, got '" + shorten(v) + "'");
    }
  }

  private static boolean descending(String order) {
    return switch (order) {
      case "asc" -> false;
      case "desc" -> true;
      default -> throw ApiException.badRequest("unknown order '" + shorten(order) + "' (asc, desc)");
    };
  }

  /** A finite number, or null when absent. */
  private static Double finiteQuery(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // refused below, as a non-finite value is
    }
    throw ApiException.badRequest(name + " must be a finite number, got '" + shorten(v) + "'");
  }

  private static int parseInt(String v, String name) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got '" + shorten(v) + "'");
    }
  }

  static String shorten(String v) {
    return v.length() > 100 ? v.substring(0, 100) + "…" : v;
  }

  private static int[] pair(Context ctx, String name, String fallback) {
    String[] parts = query(ctx, name, fallback).split(",");
    if (parts.length != 2) {
      throw ApiException.badRequest(name + " must be two integers h,w; got '" + shorten(query(ctx, name, fallback))
          + "'");
    }
    return new int[] {parseInt(parts[0].trim(), name), parseInt(parts[1].trim(), name)};
  }
}
