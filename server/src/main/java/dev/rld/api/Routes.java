package dev.rld.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Normalization;
import dev.rld.attribution.Targets;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Path;
import java.util.Map;

/** The HTTP routes (docs/api.md): short handlers that call into {@link ServedRollout}. */
final class Routes {
  static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which scene the viewer shows, when the user chose one. */
  record ViewerConfig(String viewer, Path viewerFile) {}

  private Routes() {}

  static Javalin create(Map<String, ServedRollout> rollouts, ViewerConfig viewer) {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      if (Routes.class.getResource("/rld/web/index.html") != null) {
        config.staticFiles.add(files -> {
          files.hostedPath = "/";
          files.directory = "/rld/web";
          files.location = Location.CLASSPATH;
        });
      }
      var r = config.routes;
      r.get("/api/config", ctx -> ctx.json(Map.of("viewer", viewer.viewer() == null ? "" : viewer.viewer(),
          "viewerFile", viewer.viewerFile() == null ? "" : "/api/viewer-file")));
      r.get("/api/viewer-file", ctx -> {
        if (viewer.viewerFile() == null) {
          throw ApiException.notFound("no viewer file was given (rld serve --viewer-file my-scene.js)");
        }
        ctx.contentType("text/javascript").result(java.nio.file.Files.readAllBytes(viewer.viewerFile()));
      });
      r.get("/api/rollouts", ctx -> ctx.json(rollouts.values().stream().map(ServedRollout::summary).toList()));
      r.get("/api/rollouts/{id}", ctx -> ctx.json(rollout(rollouts, ctx).metadata()));
      r.get("/api/rollouts/{id}/episodes", ctx -> ctx.json(rollout(rollouts, ctx).episodes()));
      r.get("/api/rollouts/{id}/episodes/{e}/steps", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        String format = query(ctx, "format", "json");
        Integer from = intQuery(ctx, "from");
        Integer to = intQuery(ctx, "to");
        switch (format) {
          case "json" -> ctx.json(s.stepsJson(e, from, to));
          case "arrow" -> {
            s.range(e, from, to, ServedRollout.MAX_STEPS_PER_REQUEST); // refuse before the headers go out
            ctx.contentType(ARROW_STREAM);
            s.writeArrow(e, from, to, ctx.outputStream());
          }
          default -> throw ApiException.badRequest("unknown format '" + format + "' (json, arrow)");
        }
      });
      r.get("/api/rollouts/{id}/episodes/{e}/attributions", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        int e = intPath(ctx, "e", "episode");
        s.episode(e);
        AttributionRequest request = new AttributionRequest(
            AttributionRequest.Method.parse(query(ctx, "method", "ablation")),
            s.attributions().baseline(query(ctx, "baseline", "zero")),
            AttributionRequest.OutputKind.parse(query(ctx, "output", "probability")),
            intQuery(ctx, "permutations", 25), longQuery(ctx, "seed", 0),
            pair(ctx, "window", "8,8"), pair(ctx, "stride", "4,4"));
        var view = new RolloutAttributions.View(Targets.parse(query(ctx, "target", "picked")),
            Normalization.Mode.parse(query(ctx, "normalize", "all")),
            doubleQuery(ctx, "outlier", Normalization.DEFAULT_OUTLIER_PERCENTILE), query(ctx, "groups", "features"));
        ctx.json(s.attributions().compute(e, request, view, intQuery(ctx, "from"), intQuery(ctx, "to"), n -> { }));
      });
      r.post("/api/rollouts/{id}/evaluate", ctx -> {
        ServedRollout s = rollout(rollouts, ctx);
        JsonNode body;
        try {
          body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
          throw ApiException.badRequest("the body is not valid JSON; send {\"observation\": ...}");
        }
        if (body == null || !body.has("observation")) {
          throw ApiException.badRequest("the body must be a JSON object with an \"observation\"");
        }
        ctx.json(s.evaluate(body.get("observation")));
      });

      r.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
      r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      // Javalin's own refusals keep their status: an unknown route (404), a body over its size
      // limit (413). Without this they would reach the Exception handler below as 500s.
      r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
          e.getStatus() == 404 ? "no such route: " + ctx.method() + " " + ctx.path() : e.getMessage()));
      r.exception(Exception.class, (e, ctx) -> error(ctx, 500,
          "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage()));
      r.error(404, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          ctx.json(Map.of("error", "no such route: " + ctx.method() + " " + ctx.path()));
        }
      });
    });
  }

  /** An error response: {"error": message}; a message is never null (Map.of would throw). */
  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(Map.of("error", message == null || message.isEmpty() ? "HTTP " + status : message));
  }

  private static ServedRollout rollout(Map<String, ServedRollout> rollouts, Context ctx) {
    String id = ctx.pathParam("id");
    ServedRollout s = rollouts.get(id);
    if (s == null) {
      throw ApiException.notFound("unknown recording '" + id + "' (served: " + rollouts.keySet() + ")");
    }
    return s;
  }

  private static String query(Context ctx, String name, String fallback) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  /** The path parameter {@code name} as an integer; errors call it {@code label}. */
  private static int intPath(Context ctx, String name, String label) {
    return parseInt(ctx.pathParam(name), label);
  }

  private static Integer intQuery(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : parseInt(v, name);
  }

  private static int intQuery(Context ctx, String name, int fallback) {
    Integer v = intQuery(ctx, name);
    return v == null ? fallback : v;
  }

  private static long longQuery(Context ctx, String name, long fallback) {
    String v = ctx.queryParam(name);
    try {
      return v == null || v.isEmpty() ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got '" + v + "'");
    }
  }

  private static double doubleQuery(Context ctx, String name, double fallback) {
    String v = ctx.queryParam(name);
    try {
      double d = v == null || v.isEmpty() ? fallback : Double.parseDouble(v);
      if (!(d >= 0 && d < 100)) {
        throw ApiException.badRequest(name + " must be a percentile in [0, 100), got '" + v + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a number, got '" + v + "'");
    }
  }

  private static int parseInt(String v, String name) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got '" + v + "'");
    }
  }

  private static int[] pair(Context ctx, String name, String fallback) {
    String[] parts = query(ctx, name, fallback).split(",");
    if (parts.length != 2) {
      throw ApiException.badRequest(name + " must be two integers h,w; got '" + query(ctx, name, fallback) + "'");
    }
    return new int[] {parseInt(parts[0].trim(), name), parseInt(parts[1].trim(), name)};
  }
}
