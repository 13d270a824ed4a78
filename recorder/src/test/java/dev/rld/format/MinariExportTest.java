package dev.rld.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MinariSpaces;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import dev.rld.testing.ArrowJs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MinariExport} against an independent reader: each exported dataset is read back with
 * Apache Arrow JS following Minari's Arrow-store layout (read_minari.mjs), and every observation,
 * action, reward, flag, seed and count must equal what was recorded; image observations come back
 * as JPEGs that decode to the recorded pixels within JPEG's loss.
 */
class MinariExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  /** What was recorded of one episode: its seed, N + 1 observations, N actions, rewards and flags. */
  private record Episode(Long seed, List<Object> observations, List<Object> actions, List<Double> rewards,
      boolean terminated) {}

  private List<Episode> record(Path file, Space obs, Space act, int[] lengths) throws Exception {
    SplittableRandom rng = new SplittableRandom(11);
    List<Episode> episodes = new ArrayList<>();
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(obs, act).envId("Test-v0").open()) {
      for (int e = 0; e < lengths.length; e++) {
        Long seed = e == 1 ? null : 100L + e;
        Object o = obs.sample(rng);
        Episode ep = new Episode(seed, new ArrayList<>(List.of(o)), new ArrayList<>(), new ArrayList<>(), e % 2 == 0);
        w.beginEpisode(seed, null, o, Map.of());
        for (int t = 0; t < lengths[e]; t++) {
          Object a = act.sample(rng);
          o = obs.sample(rng);
          double reward = rng.nextInt(-5, 6) / 2.0;
          boolean last = t == lengths[e] - 1;
          w.step(a, reward, last && ep.terminated(), last && !ep.terminated(), o, Map.of(), null);
          ep.observations().add(o);
          ep.actions().add(a);
          ep.rewards().add(reward);
        }
        episodes.add(ep);
      }
    }
    return episodes;
  }

  private JsonNode export(Path file, String id) throws Exception {
    Path out = dir.resolve("datasets").resolve(id);
    List<String> progress = new ArrayList<>();
    try (Rollout r = Rollout.open(file, allocator)) {
      MinariExport.Result result = MinariExport.write(r, out, id, (d, n) -> progress.add(d + "/" + n));
      assertEquals(r.episodes().size(), result.episodes());
      assertEquals(r.totalSteps(), result.steps());
      assertEquals(r.episodes().size(), progress.size());
      assertEquals(r.episodes().size() + "/" + r.episodes().size(), progress.get(progress.size() - 1));
    }
    try (var s = Files.list(out)) {
      assertEquals(List.of(out.resolve("data")), s.toList(), "nothing but data/ is left in the dataset folder");
    }
    assertReopensTheSame(file, out);
    return JSON.readTree(ArrowJs.node(dir, "read_minari.mjs", out.toString()));
  }

  /** The exported dataset, opened as a recording, holds the recording's values (images: within JPEG's loss). */
  private void assertReopensTheSame(Path file, Path dataset) throws Exception {
    try (Rollout a = Rollout.open(file, allocator); Rollout b = Rollout.open(dataset, allocator)) {
      assertEquals(a.observationSpace(), b.observationSpace());
      assertEquals(a.actionSpace(), b.actionSpace());
      assertEquals(a.episodes().size(), b.episodes().size());
      boolean image = MinariColumns.isImage(a.observationSpace());
      for (int e = 0; e < a.episodes().size(); e++) {
        EpisodeSummary x = a.episodes().get(e);
        EpisodeSummary y = b.episodes().get(e);
        assertEquals(x.length(), y.length());
        assertEquals(x.seed(), y.seed());
        assertEquals(x.totalReturn(), y.totalReturn(), 1e-9);
        assertEquals(x.terminated(), y.terminated());
        assertEquals(x.truncated(), y.truncated());
        try (Steps s = a.read(e, 0, x.observations()); Steps t = b.read(e, 0, y.observations())) {
          for (int i = 0; i < x.observations(); i++) {
            double[] u = a.observationSpace().flatten(s.observation(i));
            double[] v = a.observationSpace().flatten(t.observation(i));
            assertArrayEquals(u, v, image ? 40 : 0, "episode " + e + " observation " + i);
            if (i < x.length()) {
              assertArrayEquals(a.actionSpace().flatten(s.action(i)), a.actionSpace().flatten(t.action(i)));
              assertEquals(s.reward(i), t.reward(i));
            }
          }
        }
      }
    }
  }

  private static void checkEpisodes(JsonNode js, List<Episode> recorded, Space obs, Space act) {
    JsonNode meta = js.get("metadata");
    assertEquals(recorded.size(), meta.get("total_episodes").asInt());
    assertEquals(recorded.stream().mapToInt(e -> e.actions().size()).sum(), meta.get("total_steps").asInt());
    assertEquals("arrow", meta.get("data_format").asText());
    assertEquals(MinariExport.MINARI_VERSION, meta.get("minari_version").asText());
    for (int e = 0; e < recorded.size(); e++) {
      Episode want = recorded.get(e);
      JsonNode got = js.get("episodes").get(e);
      int n = want.actions().size();
      assertTrue(got.get("ipcFile").asBoolean(), "an Arrow IPC file, not a stream");
      assertEquals("part-0.arrow", got.get("file").asText());
      assertEquals(1, got.get("batches").asInt(), "one record batch per episode, as Minari reads it");
      assertEquals(n + 1, got.get("rows").asInt());
      assertEquals(e, got.get("metadata").get("id").asInt());
      assertEquals(n, got.get("metadata").get("total_steps").asInt());
      if (want.seed() == null) {
        assertFalse(got.get("metadata").has("seed"));
      } else {
        assertEquals(want.seed().longValue(), got.get("metadata").get("seed").asLong());
      }
      for (int t = 0; t <= n; t++) {
        assertArrayEquals(obs.flatten(want.observations().get(t)), obs.flatten(fromJs(obs, got.get("observations").get(t))),
            "episode " + e + " observation " + t);
      }
      for (int t = 0; t < n; t++) {
        assertArrayEquals(act.flatten(want.actions().get(t)), act.flatten(fromJs(act, got.get("actions").get(t))));
        assertEquals(want.rewards().get(t), got.get("rewards").get(t).asDouble());
        boolean last = t == n - 1;
        assertEquals(last && want.terminated(), got.get("terminations").get(t).asBoolean());
        assertEquals(last && !want.terminated(), got.get("truncations").get(t).asBoolean());
      }
      assertEquals(0.0, got.get("padding").get("reward").asDouble());
      assertFalse(got.get("padding").get("termination").asBoolean());
      assertFalse(got.get("padding").get("truncation").asBoolean());
    }
  }

  /** A value of {@code space} from Arrow JS's JSON of a Minari cell (flat lists, structs as objects). */
  private static Object fromJs(Space space, JsonNode v) {
    if (space instanceof Dict d) {
      Map<String, Object> m = new LinkedHashMap<>();
      d.spaces().forEach((k, s) -> m.put(k, fromJs(s, v.get(k))));
      return m;
    }
    if (space instanceof Tuple t) {
      List<Object> l = new ArrayList<>();
      for (int i = 0; i < t.spaces().size(); i++) {
        l.add(fromJs(t.spaces().get(i), v.get(String.valueOf(i))));
      }
      return l;
    }
    if (space instanceof Discrete) {
      return v.asInt();
    }
    int n = v.size();
    if (space instanceof MultiDiscrete) {
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = v.get(i).asLong();
      }
      return a;
    }
    if (space instanceof MultiBinary) {
      byte[] a = new byte[n];
      for (int i = 0; i < n; i++) {
        a[i] = (byte) v.get(i).asInt();
      }
      return a;
    }
    return switch (((Box) space).dtype()) {
      case FLOAT32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) v.get(i).asDouble();
        }
        yield a;
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = v.get(i).asDouble();
        }
        yield a;
      }
      case INT32 -> {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = v.get(i).asInt();
        }
        yield a;
      }
      case INT64 -> {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          a[i] = v.get(i).asLong();
        }
        yield a;
      }
      case UINT8 -> {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
          a[i] = (byte) v.get(i).asInt();
        }
        yield a;
      }
    };
  }

  @Test
  void cartPoleLikeEpisodesReadBackWithArrowJsAsMinariLaysThemOut() throws Exception {
    double inf = Double.POSITIVE_INFINITY;
    Box obs = Box.of(DType.FLOAT32, new double[] {-4.8, -inf, -0.418, -inf}, new double[] {4.8, inf, 0.418, inf});
    Discrete act = new Discrete(2);
    Path file = dir.resolve("cartpole.arrow");
    List<Episode> recorded = record(file, obs, act, new int[] {12, 7, 30});
    JsonNode js = export(file, "rld/cartpole/test-v0");
    checkEpisodes(js, recorded, obs, act);
    assertEquals("rld/cartpole/test-v0", js.get("metadata").get("dataset_id").asText());
    // the spaces as Minari's serialize_space writes them (bare Infinity tokens, which the reader quotes)
    assertEquals("-Infinity", js.get("metadata").get("observation_space").get("low").get(1).asText());
    assertEquals(obs, MinariSpaces.fromMinariJson(MinariSpaces.toMinariJson(obs)));
    assertEquals("Int64", js.get("episodes").get(0).get("fields").get(1).get("type").asText(), "Discrete as int64");
    assertEquals(0, js.get("episodes").get(0).get("padding").get("action").asInt());
  }

  @Test
  void dictAndTupleObservationsBecomeStructs() throws Exception {
    Dict obs = RoundTripTest.compositeObservation();
    Box act = Box.of(DType.FLOAT64, -1, 1, 2);
    Path file = dir.resolve("composite.arrow");
    List<Episode> recorded = record(file, obs, act, new int[] {5, 9});
    JsonNode js = export(file, "composite-v3");
    checkEpisodes(js, recorded, obs, act);
    assertTrue(js.get("episodes").get(0).get("fields").get(0).get("type").asText().startsWith("Struct"));
    assertEquals(2, js.get("episodes").get(0).get("padding").get("action").size(), "a Box action pads with zeros");
  }

  @Test
  void imageObservationsAreStoredAsJpegsThatDecodeToTheRecordedPixels() throws Exception {
    Box obs = Box.of(DType.UINT8, 0, 255, 40, 48, 3);
    Discrete act = new Discrete(3);
    Path file = dir.resolve("pixels.arrow");
    // smooth frames (JPEG's loss on random noise says nothing), different per step
    SplittableRandom rng = new SplittableRandom(3);
    List<byte[]> frames = new ArrayList<>();
    try (RolloutWriter w = RolloutWriter.builder(file).spaces(obs, act).open()) {
      for (int t = 0; t <= 6; t++) {
        byte[] f = new byte[40 * 48 * 3];
        int cx = rng.nextInt(48);
        for (int y = 0; y < 40; y++) {
          for (int x = 0; x < 48; x++) {
            for (int c = 0; c < 3; c++) {
              f[(y * 48 + x) * 3 + c] = (byte) Math.min(255, 40 + 60 * c + 2 * Math.abs(x - cx) + y);
            }
          }
        }
        frames.add(f);
        if (t == 0) {
          w.beginEpisode(1L, null, f, Map.of());
        } else {
          w.step(t % 3, 1, false, t == 6, f, Map.of(), null);
        }
      }
    }
    JsonNode js = export(file, "pixels-v0");
    JsonNode ep = js.get("episodes").get(0);
    assertEquals("Binary", ep.get("fields").get(0).get("type").asText());
    for (JsonNode cell : ep.get("observations")) {
      assertTrue(cell.get("jpeg").asBoolean(), "each observation a JPEG: " + cell);
    }
    Path part = dir.resolve("datasets/pixels-v0/data/0/part-0.arrow");
    try (var channel = Files.newByteChannel(part); ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      reader.loadNextBatch();
      VarBinaryVector images = (VarBinaryVector) reader.getVectorSchemaRoot().getVector("observations");
      for (int t = 0; t <= 6; t++) {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(images.get(t)));
        assertEquals(48, img.getWidth());
        assertEquals(40, img.getHeight());
        double diff = 0;
        byte[] f = frames.get(t);
        for (int y = 0; y < 40; y++) {
          for (int x = 0; x < 48; x++) {
            int rgb = img.getRGB(x, y);
            diff += Math.abs(((rgb >> 16) & 0xff) - (f[(y * 48 + x) * 3] & 0xff));
            diff += Math.abs(((rgb >> 8) & 0xff) - (f[(y * 48 + x) * 3 + 1] & 0xff));
            diff += Math.abs((rgb & 0xff) - (f[(y * 48 + x) * 3 + 2] & 0xff));
          }
        }
        assertTrue(diff / (40 * 48 * 3) < 3, "mean absolute error per channel of frame " + t + ": " + diff / (40 * 48 * 3));
      }
    }
  }

  @Test
  void anExistingDatasetOrABadIdIsRefusedAndNothingIsWritten() throws Exception {
    Path file = dir.resolve("small.arrow");
    record(file, new Discrete(4), new Discrete(2), new int[] {3});
    Path out = Files.createDirectories(dir.resolve("taken-v0/data"));
    Files.writeString(out.resolve("metadata.json"), "{}");
    try (Rollout r = Rollout.open(file, allocator)) {
      var taken = assertThrows(IllegalArgumentException.class,
          () -> MinariExport.write(r, dir.resolve("taken-v0"), "taken-v0", (d, n) -> {}));
      assertTrue(taken.getMessage().contains("already exists"), taken.getMessage());
      assertEquals("{}", Files.readString(out.resolve("metadata.json")));
      var badId = assertThrows(IllegalArgumentException.class,
          () -> MinariExport.write(r, dir.resolve("fresh"), "no version", (d, n) -> {}));
      assertTrue(badId.getMessage().contains("not a Minari dataset id"), badId.getMessage());
      assertFalse(Files.exists(dir.resolve("fresh")));
    }
  }
}
