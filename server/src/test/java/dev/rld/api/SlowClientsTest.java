package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients (issue 9): 50 connections trickling one byte every 2 s, half in the body and
 * half in the headers, must neither starve an ordinary client nor be kept forever (Jetty's idle
 * timeout and minimum request data rate). Bounded: the trickle stops after 14 s.
 */
class SlowClientsTest {
  static final int CONNECTIONS = 50;

  @TempDir Path dir;

  @Test
  void slowClientsNeitherStarveOthersNorStayForever() throws Exception {
    try (HostileServer fixture = HostileServer.start(dir);
        SlowClients slow = new SlowClients(fixture.port(), CONNECTIONS, 2_000, 14_000)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + fixture.port() + "/api/rollouts/" + HostileServer.LINE_WALK;
      int served = 0;
      StringBuilder failures = new StringBuilder();
      // Ordinary requests on fresh connections over ~12 s, each given 5 s: a status check, not a timing one.
      for (int i = 0; i < 12; i++) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/episodes/1/steps?from=0&to=5"))
            .timeout(Duration.ofSeconds(5)).build();
        try {
          int status = http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode();
          served += status == 200 ? 1 : 0;
          if (status != 200) {
            failures.append(" status ").append(status);
          }
        } catch (HttpTimeoutException e) {
          failures.append(" timeout");
        } catch (IOException e) {
          failures.append(' ').append(e.getClass().getSimpleName());
        }
        Thread.sleep(1_000);
      }
      int ok = served;
      int cut = slow.cutOff();
      assertAll(
          () -> assertEquals(12, ok, "ordinary requests while " + CONNECTIONS + " clients trickle:" + failures),
          // At 0.5 B/s every trickling connection is under any minimum data rate: by now (~12 s)
          // the server must have cut them off rather than hold a thread or a buffer for each.
          () -> assertTrue(cut >= CONNECTIONS / 2, cut + " of " + slow.opened()
              + " slow connections were cut off after ~12 s"));
    }
  }
}
