package dev.rld.format;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rld.space.MinariSpaces;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Minari datasets (Farama's offline-RL format, 0.4–0.5.3) as recordings: a dataset directory
 * {@code …/name-v0} holding {@code data/metadata.json} (or that {@code data} directory) opens
 * through {@link Rollout#open(Path)} with both of Minari's stores, HDF5 and Arrow. Dataset ids
 * ({@code minari:ns/name-v0}) resolve under Minari's datasets root.
 */
public final class MinariDataset {
  /** Prefix of a dataset id where a path is expected: {@code minari:cartpole/expert-v0}. */
  public static final String ID_PREFIX = "minari:";
  /** The {@code minari_version}s whose layout this reader knows (Minari 0.5.3's own list). */
  static final Set<String> VERSIONS = Set.of("0.4.0", "0.4.1", "0.4.2", "0.4.3", "0.5.0", "0.5.1", "0.5.2", "0.5.3");
  // Python's json writes bare Infinity in space bounds and NaN in scores.
  static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private MinariDataset() {}

  /**
   * The path {@code pathOrId} names: a {@code minari:} id resolved under
   * {@code $MINARI_DATASETS_PATH} (default {@code ~/.minari/datasets}), or any other text as a path.
   */
  public static Path resolve(String pathOrId) {
    String env = System.getenv("MINARI_DATASETS_PATH");
    Path root = env != null && !env.isEmpty() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".minari", "datasets");
    return resolve(pathOrId, root);
  }

  /** As {@link #resolve(String)}, with Minari's datasets root given. */
  public static Path resolve(String pathOrId, Path datasetsRoot) {
    if (!pathOrId.startsWith(ID_PREFIX)) {
      return Path.of(pathOrId);
    }
    String id = pathOrId.substring(ID_PREFIX.length());
    if (id.isEmpty() || id.startsWith("/") || List.of(id.split("/")).contains("..")) {
      throw new IllegalArgumentException("'" + pathOrId + "' is not a Minari dataset id (ns/name-v0)");
    }
    // As Minari: the id's slashes are directories under the root.
    return datasetsRoot.resolve(id);
  }

  /** Whether {@code path} is a Minari dataset directory or its {@code data} directory. */
  public static boolean isDataset(Path path) {
    // Our recordings are files or directories of *.arrow files: never a data/ or metadata.json.
    return Files.isDirectory(path)
        && (Files.isDirectory(path.resolve("data")) || Files.isRegularFile(path.resolve("metadata.json")));
  }

  static Path dataDir(Path path) {
    return Files.isDirectory(path.resolve("data")) ? path.resolve("data") : path;
  }

  static EpisodeSource open(Path path, BufferAllocator allocator) throws IOException {
    Path data = dataDir(path);
    Path metaFile = data.resolve("metadata.json");
    if (!Files.isRegularFile(metaFile)) {
      throw new InvalidRolloutException(path, "Minari dataset has no data/metadata.json "
          + "(datasets written by Minari before 0.5 keep it in main_data.hdf5, which rld does not read)");
    }
    JsonNode meta;
    try {
      meta = JSON.readTree(metaFile.toFile());
    } catch (IOException e) {
      throw new InvalidRolloutException(path, "Minari dataset's metadata.json is not valid JSON: " + e.getMessage());
    }
    String name = meta.path("dataset_id").asText(path.toString());
    String where = "Minari dataset '" + name + "': ";
    String version = required(meta, "minari_version", path, where).asText();
    if (!VERSIONS.contains(version)) {
      throw new InvalidRolloutException(path, where + "minari_version '" + version
          + "' is not supported (rld reads " + VERSIONS.stream().sorted().toList() + ")");
    }
    String format = required(meta, "data_format", path, where).asText();
    int episodes = required(meta, "total_episodes", path, where).asInt();
    Space obs = space(meta, "observation_space", path, where);
    Space act = space(meta, "action_space", path, where);
    RolloutHeader header = new RolloutHeader("minari " + version, envId(meta), obs, act,
        metadata(meta), "minari " + version, "");
    MinariStore store = switch (format) {
      case "hdf5" -> MinariHdf5Store.open(data, name, episodes, obs, act);
      case "arrow" -> MinariArrowStore.open(data, name, episodes, obs, act, allocator);
      default -> throw new InvalidRolloutException(path, where + "data_format '" + format
          + "' is not supported (rld reads 'hdf5' and 'arrow')");
    };
    try {
      return new MinariSource(path, name, header, store);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static JsonNode required(JsonNode meta, String key, Path path, String where) throws InvalidRolloutException {
    JsonNode v = meta.get(key);
    if (v == null || v.isNull()) {
      throw new InvalidRolloutException(path, where + "metadata.json has no '" + key + "'");
    }
    return v;
  }

  private static Space space(JsonNode meta, String key, Path path, String where) throws InvalidRolloutException {
    JsonNode v = required(meta, key, path, where);
    try {
      return MinariSpaces.fromMinariJson(v.isTextual() ? v.asText() : v.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidRolloutException(path, where + key + ": " + e.getMessage());
    }
  }

  /** The env id of the dataset's {@code env_spec} (itself a JSON string), or "". */
  private static String envId(JsonNode meta) {
    JsonNode spec = meta.get("env_spec");
    if (spec == null || !spec.isTextual()) {
      return "";
    }
    try {
      return JSON.readTree(spec.asText()).path("id").asText("");
    } catch (IOException e) {
      return ""; // Minari would refuse it too, but the steps are still readable
    }
  }

  /** Title = dataset id, description, agent = algorithm; the other keys (not spaces) as extra. */
  private static RolloutMetadata metadata(JsonNode meta) {
    Map<String, Object> extra = new LinkedHashMap<>();
    meta.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (!k.equals("observation_space") && !k.equals("action_space") && !k.equals("description")
          && !k.equals("env_spec") && !k.equals("eval_env_spec")) {
        extra.put(k, JSON.convertValue(e.getValue(), Object.class));
      }
    });
    String envId = envId(meta);
    if (!envId.isEmpty()) {
      extra.put("env_id", envId);
    }
    return new RolloutMetadata(meta.path("dataset_id").asText(""), meta.path("description").asText(""),
        meta.path("algorithm_name").asText(""), extra);
  }
}
