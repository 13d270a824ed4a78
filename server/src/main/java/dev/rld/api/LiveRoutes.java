package dev.rld.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/rollouts/{id}/live}: server-sent events as a recording being written grows.
 * On connect the current state ({@code state}), then {@code grew} whenever new complete batches
 * were taken in, {@code finished} (and the stream ends) once its files have their footers; a
 * comment line every few seconds keeps idle connections open. Each event's data is
 * {@code {"episodes", "totalSteps", "lastEpisodeRows", "finished"}}.
 */
final class LiveRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveRoutes() {}

  static void install(io.javalin.config.RoutesConfig r, List<Routes.Route> table, Map<String, ServedRollout> rollouts) {
    SseHandler sse = new SseHandler(client -> follow(client, Routes.rollout(rollouts, client.ctx())));
    // The recording is looked up first, so an unknown one is a JSON 404, not an empty stream.
    Routes.route(r, table, HandlerType.GET, "/api/rollouts/{id}/live", ctx -> {
      Routes.rollout(rollouts, ctx);
      String accept = ctx.header("Accept");
      if (accept == null || !accept.contains("text/event-stream")) {
        throw new ApiException(406, "this route is a stream of server-sent events: ask with "
            + "'Accept: text/event-stream' (an EventSource does)", Map.of(), Map.of());
      }
      sse.handle(ctx);
    });
  }

  private static void follow(SseClient client, ServedRollout s) {
    client.keepAlive();
    Object lock = new Object();
    boolean[] first = {true};
    java.util.function.Consumer<Map<String, Object>> send = state -> {
      synchronized (lock) {
        if (client.terminated()) {
          return;
        }
        if (state == null) {
          client.sendComment("alive");
          return;
        }
        boolean finished = Boolean.TRUE.equals(state.get("finished"));
        client.sendEvent(first[0] ? "state" : finished ? "finished" : "grew", json(state));
        first[0] = false;
        if (finished) {
          client.close();
        }
      }
    };
    Runnable unsubscribe = s.live.subscribe(send);
    client.onClose(unsubscribe);
    send.accept(s.live.state());
  }

  private static String json(Map<String, Object> state) {
    try {
      return JSON.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of numbers and booleans is JSON", e);
    }
  }
}
