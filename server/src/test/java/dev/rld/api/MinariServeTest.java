package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.MinariFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server serves a Minari dataset (h5py-written HDF5 store) like one of our recordings. */
class MinariServeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path root;

  static JsonNode get(RldServer server, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void servesTheDatasetsMetadataEpisodesAndSteps() throws Exception {
    MinariFixtures.writeHdf5(root);
    Path dataset = root.resolve("cartpole/expert-v0");
    JsonNode truth = JSON.readTree(dataset.resolve("truth.json").toFile());
    try (RldServer server = RldServer.builder().recording(dataset).port(0).start()) {
      JsonNode info = get(server, "api/rollouts/expert-v0");
      String text = info.toString();
      assertTrue(text.contains("cartpole/expert-v0") && text.contains("CartPole-v1") && text.contains("PPO"), text);
      JsonNode steps = get(server, "api/rollouts/expert-v0/episodes/0/steps?from=1&to=4");
      String body = steps.toString();
      // The observation of step 2, as h5py wrote it (float32, printed as JSON).
      float x = (float) truth.at("/episodes/0/observations/2/0").asDouble();
      assertTrue(body.contains(Float.toString(x)) || body.contains(Double.toString(x)), body);
    }
  }
}
