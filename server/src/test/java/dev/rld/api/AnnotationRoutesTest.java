package dev.rld.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.format.AgentOutput;
import dev.rld.hotspot.Recordings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotation routes over HTTP on a real recording: edits land in {@code NAME.annotations.json}
 * beside it, survive restarts and concurrent writers, and never touch the recording.
 */
class AnnotationRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;
  private Path recording;
  private Path sidecar;
  private byte[] recordingHash;
  private RldServer server;

  /** Two episodes: 10 steps (11 rows) and 4 steps (5 rows). */
  @BeforeEach
  void record() throws Exception {
    Recordings.Step plain = new Recordings.Step(0, 1, AgentOutput.none());
    recording = Recordings.write(dir.resolve("run.arrow"), new Recordings.Episode(10, true, t -> plain),
        new Recordings.Episode(4, false, t -> plain));
    sidecar = dir.resolve("run.annotations.json");
    recordingHash = hash(recording);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    assertArrayEquals(recordingHash, hash(recording), "the recording itself is never written");
  }

  private static byte[] hash(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }

  private void start(RldServer.Builder builder) throws IOException {
    server = builder.recording(recording).port(0).start();
  }

  private HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "api/rollouts/run" + path));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, body == null ? null : "application/json");
  }

  private JsonNode expect(int status, HttpResponse<String> r) throws IOException {
    assertEquals(status, r.statusCode(), r.body());
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  private static String body(int episode, int from, int to, String title, String note) throws IOException {
    return JSON.writeValueAsString(java.util.Map.of("episode", episode, "from", from, "to", to, "title", title,
        "note", note));
  }

  @Test
  void createListUpdateDelete() throws Exception {
    start(RldServer.builder());
    JsonNode empty = expect(200, send("GET", "/annotations", null));
    assertEquals(JSON.readTree("{\"annotations\": [], \"writable\": true, \"version\": 0}"), empty);
    assertFalse(Files.exists(sidecar), "nothing written by a read");

    Instant before = Instant.now();
    JsonNode made = expect(201, send("POST", "/annotations", body(0, 2, 5, "pole starts to fall", "see step 4")));
    assertEquals(Set.of("id", "episode", "from", "to", "title", "note", "created", "updated"), keys(made));
    String id = made.get("id").asText();
    assertEquals(12, id.length());
    assertEquals(List.of(0, 2, 5), List.of(made.get("episode").asInt(), made.get("from").asInt(), made.get("to").asInt()));
    assertEquals("pole starts to fall", made.get("title").asText());
    assertEquals("see step 4", made.get("note").asText());
    Instant created = Instant.parse(made.get("created").asText());
    assertFalse(created.isBefore(before.minusSeconds(1)));
    assertEquals(made.get("created"), made.get("updated"));
    JsonNode other = expect(201, send("POST", "/annotations", body(1, 0, 4, "short one", "")));

    JsonNode all = expect(200, send("GET", "/annotations", null));
    assertEquals(2, all.get("version").asInt());
    assertEquals(List.of(made, other), list(all.get("annotations")));
    assertEquals(List.of(other), list(expect(200, send("GET", "/annotations?episode=1", null)).get("annotations")));

    Thread.sleep(5);
    JsonNode changed = expect(200, send("PUT", "/annotations/" + id, body(0, 3, 10, "falls", "the last row too")));
    assertEquals(id, changed.get("id").asText());
    assertEquals(List.of(3, 10, "falls", "the last row too"), List.of(changed.get("from").asInt(),
        changed.get("to").asInt(), changed.get("title").asText(), changed.get("note").asText()));
    assertEquals(made.get("created"), changed.get("created"));
    assertTrue(Instant.parse(changed.get("updated").asText()).isAfter(created));

    expect(204, send("DELETE", "/annotations/" + other.get("id").asText(), null));
    JsonNode left = expect(200, send("GET", "/annotations", null));
    assertEquals(List.of(changed), list(left.get("annotations")));
    assertEquals(4, left.get("version").asInt());
    JsonNode file = JSON.readTree(Files.readAllBytes(sidecar));
    assertEquals("rld.annotations", file.get("format").asText());
    assertEquals(List.of(changed), list(file.get("annotations")));

    assertEquals("no annotation has the id 'nope'",
        expect(404, send("PUT", "/annotations/nope", body(0, 0, 0, "x", ""))).get("error").asText());
    expect(404, send("DELETE", "/annotations/nope", null));
    expect(404, send("GET", "/annotations?episode=2", null));
    expect(400, send("GET", "/annotations?episode=x", null));
    expect(415, send("PUT", "/annotations/" + id, body(0, 0, 0, "x", ""), "text/plain"));
    expect(415, send("POST", "/annotations", body(0, 0, 0, "x", ""), "text/plain"));
    HttpResponse<String> patch = send("PATCH", "/annotations", "{}");
    expect(405, patch);
    assertEquals("GET, HEAD, POST", patch.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> postOne = send("POST", "/annotations/" + id, "{}");
    expect(405, postOne);
    assertEquals("DELETE, PUT", postOne.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void annotationsSurviveARestart() throws Exception {
    start(RldServer.builder());
    JsonNode made = expect(201, send("POST", "/annotations", body(1, 1, 1, "kept", "over restarts")));
    server.close();
    start(RldServer.builder());
    JsonNode after = expect(200, send("GET", "/annotations", null));
    assertEquals(List.of(made), list(after.get("annotations")));
    assertEquals(1, after.get("version").asInt());
  }

  @Test
  void concurrentEditsAreAllKept() throws Exception {
    start(RldServer.builder());
    // A second server on the same file: its edits share the sidecar through the file lock.
    RldServer second = RldServer.builder().recording(recording).port(0).start();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> done = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int writer = w;
        String url = (writer % 2 == 0 ? server : second).url() + "api/rollouts/run/annotations";
        done.add(pool.submit(() -> {
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(0, i, 10, "writer " + writer + " #" + i, "")))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            ids.add(JSON.readTree(r.body()).get("id").asText());
          }
          return ids;
        }));
      }
      Set<String> ids = new HashSet<>();
      for (Future<List<String>> f : done) {
        ids.addAll(f.get());
      }
      assertEquals(80, ids.size());
    } finally {
      pool.shutdownNow();
      second.close();
    }
    JsonNode file = JSON.readTree(Files.readAllBytes(sidecar));
    assertEquals(80, file.get("annotations").size());
    assertEquals(80, file.get("version").asInt(), "one version per edit");
    JsonNode listed = expect(200, send("GET", "/annotations", null));
    assertEquals(80, listed.get("annotations").size());
    Set<String> titles = new HashSet<>();
    listed.get("annotations").forEach(a -> titles.add(a.get("title").asText()));
    assertEquals(80, titles.size());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary file left");
    }
  }

  @Test
  void aServerStartedReadOnlyListsButRefusesChanges() throws Exception {
    Files.writeString(sidecar, "{\"format\": \"rld.annotations\", \"version\": 3, \"annotations\": [{\"id\": \"a1\", "
        + "\"episode\": 0, \"from\": 1, \"to\": 2, \"title\": \"t\", \"note\": \"\", \"created\": \"2026-01-01T00:00:00Z\", "
        + "\"updated\": \"2026-01-01T00:00:00Z\"}]}");
    byte[] before = Files.readAllBytes(sidecar);
    start(RldServer.builder().readOnlyAnnotations());
    JsonNode listed = expect(200, send("GET", "/annotations", null));
    assertFalse(listed.get("writable").asBoolean());
    assertEquals(3, listed.get("version").asInt());
    assertEquals("a1", listed.get("annotations").get(0).get("id").asText());
    String refusal = expect(409, send("POST", "/annotations", body(0, 0, 1, "no", ""))).get("error").asText();
    assertEquals("this server does not write annotations (it was started read-only)", refusal);
    expect(409, send("PUT", "/annotations/a1", body(0, 0, 1, "no", "")));
    expect(409, send("DELETE", "/annotations/a1", null));
    assertArrayEquals(before, Files.readAllBytes(sidecar));
  }

  @Test
  void aReadOnlyFolderListsButRefusesChanges() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // Root writes whatever the mode says: then the folder is writable after all, and must be used.
      boolean canWrite;
      try {
        Files.delete(Files.createFile(dir.resolve("probe")));
        canWrite = true;
      } catch (IOException e) {
        canWrite = false;
      }
      start(RldServer.builder());
      JsonNode listed = expect(200, send("GET", "/annotations", null));
      assertEquals(canWrite, listed.get("writable").asBoolean());
      assertEquals(List.of(), list(listed.get("annotations")));
      HttpResponse<String> post = send("POST", "/annotations", body(0, 0, 1, "here", ""));
      if (canWrite) {
        expect(201, post);
      } else {
        assertEquals("the folder " + dir.toAbsolutePath().normalize() + " is read-only, so run.annotations.json "
            + "cannot be written", expect(409, post).get("error").asText());
        assertFalse(Files.exists(sidecar));
      }
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aCorruptSidecarIsReportedAndNeverOverwritten() throws Exception {
    Files.writeString(sidecar, "{\"format\": \"rld.annotations\", \"annotations\": [1, 2");
    byte[] before = Files.readAllBytes(sidecar);
    start(RldServer.builder());
    JsonNode listed = expect(200, send("GET", "/annotations", null));
    assertEquals(List.of(), list(listed.get("annotations")));
    assertFalse(listed.get("writable").asBoolean());
    String error = listed.get("error").asText();
    assertEquals("run.annotations.json cannot be read as annotations: it is not valid JSON; it is left as it is "
        + "(fix or remove it to annotate this recording)", error);
    assertEquals(error, expect(409, send("POST", "/annotations", body(0, 0, 1, "lost?", ""))).get("error").asText());
    assertArrayEquals(before, Files.readAllBytes(sidecar));
    Files.writeString(sidecar, "{\"format\": \"rld.annotations\", \"version\": 1, \"annotations\": [{\"id\": 5}]}");
    assertEquals("run.annotations.json cannot be read as annotations: annotation 0 has no integer \"episode\"; it is "
        + "left as it is (fix or remove it to annotate this recording)",
        expect(200, send("GET", "/annotations", null)).get("error").asText());
  }

  @Test
  void badBodiesAreRefusedNamingTheField() throws Exception {
    start(RldServer.builder());
    String[][] cases = {
        {"not json", "the body is not valid JSON"},
        {"[1, 2]", "the body must be a JSON object"},
        {"{\"from\": 0, \"to\": 1, \"title\": \"t\"}", "episode must be an integer, got nothing"},
        {"{\"episode\": \"0\", \"from\": 0, \"to\": 1, \"title\": \"t\"}", "episode must be an integer, got \"0\""},
        {"{\"episode\": 2, \"from\": 0, \"to\": 1, \"title\": \"t\"}", "episode 2 does not exist; recording 'run' has 2 episodes"},
        {"{\"episode\": -1, \"from\": 0, \"to\": 1, \"title\": \"t\"}", "episode -1 does not exist"},
        {"{\"episode\": 0, \"from\": 1.5, \"to\": 1, \"title\": \"t\"}", "from must be an integer, got 1.5"},
        {"{\"episode\": 0, \"from\": 3, \"to\": 2, \"title\": \"t\"}",
            "from and to must satisfy 0 <= from <= to <= 10 (the last row of episode 0), got from=3, to=2"},
        {"{\"episode\": 1, \"from\": 0, \"to\": 5, \"title\": \"t\"}",
            "from and to must satisfy 0 <= from <= to <= 4 (the last row of episode 1), got from=0, to=5"},
        {"{\"episode\": 0, \"from\": -1, \"to\": 2, \"title\": \"t\"}", "from and to must satisfy"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1}", "title must be a string, got nothing"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"  \"}", "title must not be blank (1 to 200 characters)"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"" + "t".repeat(201) + "\"}",
            "title must be at most 200 characters, got 201"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"t\", \"note\": 5}", "note must be a string, got 5"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"t\", \"note\": \"" + "n".repeat(10_001) + "\"}",
            "note must be at most 10000 characters, got 10001"},
        {"{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"t\", \"colour\": \"red\"}",
            "unknown field 'colour' [episode, from, to, title, note]"},
    };
    for (String[] c : cases) {
      String error = expect(400, send("POST", "/annotations", c[0])).get("error").asText();
      assertTrue(error.startsWith(c[1]), c[0].substring(0, Math.min(80, c[0].length())) + " → " + error);
      assertTrue(Routes.isSafeMessage(error), error);
    }
    String huge = "{\"episode\": 0, \"from\": 0, \"to\": 1, \"title\": \"t\", \"note\": \"" + "n".repeat(70_000) + "\"}";
    assertTrue(expect(413, send("POST", "/annotations", huge)).get("error").asText().contains("at most 65536"));
    // An annotation as the GET answers it may be sent back: its own members are ignored.
    JsonNode echoed = expect(201, send("POST", "/annotations", "{\"id\": \"mine\", \"created\": \"x\", \"episode\": 0, "
        + "\"from\": 0, \"to\": 10, \"title\": \"ünïcødé ✓\"}"));
    assertNotEquals("mine", echoed.get("id").asText());
    assertEquals("", echoed.get("note").asText());
    assertEquals("ünïcødé ✓", echoed.get("title").asText());
    assertEquals(1, JSON.readTree(Files.readString(sidecar, StandardCharsets.UTF_8)).get("annotations").size());
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
