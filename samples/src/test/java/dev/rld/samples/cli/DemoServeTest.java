package dev.rld.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo serves what it recorded, with the sample ONNX policy answering attributions. */
class DemoServeTest {
  @Test
  void theDemoServesItsRecordingWithThePolicyAttached(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new SamplesCli());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    String[] args = {"demo", "--out", dir.toString(), "--episodes", "3", "--port", String.valueOf(port)};
    Thread demo = new Thread(() -> cmd.execute(args));
    demo.start();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/api/rollouts";
    JsonNode list = null;
    for (int tries = 0; tries < 300 && list == null; tries++) {
      try {
        list = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    try {
      assertEquals("cartpole-random", list.get(0).get("id").asText());
      assertEquals(3, list.get(0).get("episodes").asInt());
      assertTrue(list.get(0).get("hasPolicy").asBoolean());
      HttpResponse<String> attr = http.send(HttpRequest.newBuilder(URI.create(base
          + "/cartpole-random/episodes/0/attributions?method=ablation&target=picked&from=0&to=5")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, attr.statusCode(), attr.body());
      JsonNode steps = new ObjectMapper().readTree(attr.body()).get("steps");
      assertEquals(5, steps.size());
      assertEquals(4, steps.get(0).get("targets").get(0).get("raw").size());
      assertTrue(out.toString().contains("Serving at http://127.0.0.1:" + port + "/"), out.toString());
    } finally {
      demo.interrupt();
      demo.join(10_000);
    }
    assertTrue(!demo.isAlive(), "Ctrl+C (an interrupt) stops the demo");
  }
}
