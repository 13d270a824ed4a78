package dev.rld.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.annotation.Annotation;
import dev.rld.annotation.AnnotationRefused;
import dev.rld.annotation.AnnotationStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotation routes (docs/api.md, "Annotations"): list, add, change and remove a
 * recording's annotations, kept in its sidecar by an {@link AnnotationStore}.
 */
final class AnnotationRoutes {
  /** Largest body: a note of 10 000 characters, even escaped, and the rest fit. */
  static final int MAX_BODY_BYTES = 64 << 10;
  static final int MAX_TITLE = 200;
  static final int MAX_NOTE = 10_000;
  /** An annotation's own members, echoed back by clients that send a stored one: ignored. */
  private static final Set<String> IGNORED = Set.of("id", "created", "updated");
  private static final List<String> FIELDS = List.of("episode", "from", "to", "title", "note");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnnotationRoutes() {}

  static void register(RoutesConfig r, List<Routes.Route> table, Map<String, ServedRollout> rollouts,
      Map<String, AnnotationStore> stores) {
    String list = "/api/rollouts/{id}/annotations";
    String one = "/api/rollouts/{id}/annotations/{aid}";
    Routes.get(r, table, list, ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      Integer episode = Routes.intQuery(ctx, "episode");
      if (episode != null) {
        s.episode(episode);
      }
      AnnotationStore store = stores.get(s.id);
      AnnotationStore.Snapshot now = store.read();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("annotations", now.annotations().stream()
          .filter(a -> episode == null || a.episode() == episode).toList());
      m.put("writable", now.error() == null && store.writable());
      m.put("version", now.version());
      if (now.error() != null) {
        m.put("error", now.error());
      }
      ctx.json(m);
    });
    Routes.route(r, table, HandlerType.POST, list, ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      Annotation.Fields fields = fields(ctx, s);
      ctx.status(201).json(refusals(() -> stores.get(s.id).create(fields)));
    });
    Routes.route(r, table, HandlerType.PUT, one, ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      RequestGuard.requireJson(ctx);
      Annotation.Fields fields = fields(ctx, s);
      ctx.json(refusals(() -> stores.get(s.id).update(ctx.pathParam("aid"), fields)));
    });
    Routes.route(r, table, HandlerType.DELETE, one, ctx -> {
      ServedRollout s = Routes.rollout(rollouts, ctx);
      refusals(() -> {
        stores.get(s.id).delete(ctx.pathParam("aid"));
        return null;
      });
      ctx.status(204);
    });
  }

  /** Runs a store change, answering its refusals with the status that fits. */
  private static <T> T refusals(java.util.function.Supplier<T> change) {
    try {
      return change.get();
    } catch (AnnotationRefused e) {
      int status = switch (e.reason()) {
        case UNKNOWN -> 404;
        case FAILED -> 500;
        case READ_ONLY, CORRUPT, FULL -> 409;
      };
      throw new ApiException(status, e.getMessage());
    }
  }

  /** The body's fields, checked against the recording; a 400 names the first field that is wrong. */
  static Annotation.Fields fields(Context ctx, ServedRollout s) {
    byte[] bytes = Routes.bodyBytes(ctx);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "the body is " + bytes.length + " bytes; an annotation may take at most "
          + MAX_BODY_BYTES);
    }
    JsonNode body;
    try {
      body = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON; send {\"episode\": 0, \"from\": 0, \"to\": 5, "
          + "\"title\": \"...\", \"note\": \"...\"}");
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object with episode, from, to, title and note");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name) && !IGNORED.contains(name)) {
        throw ApiException.badRequest("unknown field '" + Routes.shorten(name) + "' " + FIELDS);
      }
    });
    int episode = integer(body, "episode");
    if (episode < 0 || episode >= s.rollout.episodes().size()) {
      throw ApiException.badRequest("episode " + episode + " does not exist; recording '" + s.id + "' has "
          + s.rollout.episodes().size() + " episodes");
    }
    int from = integer(body, "from");
    int to = integer(body, "to");
    int last = s.episode(episode).observations() - 1;
    if (from < 0 || from > to || to > last) {
      throw ApiException.badRequest("from and to must satisfy 0 <= from <= to <= " + last + " (the last row of "
          + "episode " + episode + "), got from=" + from + ", to=" + to);
    }
    String title = text(body, "title", true);
    int titleLength = title.codePointCount(0, title.length());
    if (title.isBlank()) {
      throw ApiException.badRequest("title must not be blank (1 to " + MAX_TITLE + " characters)");
    }
    if (titleLength > MAX_TITLE) {
      throw ApiException.badRequest("title must be at most " + MAX_TITLE + " characters, got " + titleLength);
    }
    String note = text(body, "note", false);
    int noteLength = note.codePointCount(0, note.length());
    if (noteLength > MAX_NOTE) {
      throw ApiException.badRequest("note must be at most " + MAX_NOTE + " characters, got " + noteLength);
    }
    return new Annotation.Fields(episode, from, to, title, note);
  }

  private static int integer(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ApiException.badRequest(name + " must be an integer, got " + (v == null ? "nothing"
          : Routes.shorten(v.toString())));
    }
    return v.intValue();
  }

  private static String text(JsonNode body, String name, boolean required) {
    JsonNode v = body.get(name);
    if ((v == null || v.isNull()) && !required) {
      return "";
    }
    if (v == null || !v.isTextual()) {
      throw ApiException.badRequest(name + " must be a string, got " + (v == null ? "nothing"
          : Routes.shorten(v.toString())));
    }
    return v.asText();
  }
}
