package dev.rld.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.space.MinariSpaces;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a recording as a Minari dataset in Minari 0.5's Arrow store, which Minari's
 * {@code load_dataset} opens: {@code DIR/data/metadata.json} and, per episode,
 * {@code DIR/data/<id>/part-0.arrow} (an Arrow IPC file of one record batch: the N + 1
 * observations, and actions, rewards and flags padded to N + 1 rows) with its
 * {@code metadata.json} (id, total_steps, seed). Episodes cut off by a crash (no final
 * observation) cannot be stored this way and are left out, counted in the result.
 *
 * <pre>{@code
 * try (Rollout r = Rollout.open(Path.of("run.arrow"))) {
 *   MinariExport.Result result = MinariExport.write(r, Path.of("cartpole/expert-v0"), "cartpole/expert-v0", (d, n) -> {});
 * }
 * }</pre>
 */
public final class MinariExport {
  /** The Minari version the dataset claims: the first whose reader takes JPEG image columns. */
  public static final String MINARI_VERSION = "0.5.3";
  /** Minari's dataset ids: an optional namespace path, a name, and a version suffix. */
  private static final Pattern DATASET_ID = Pattern.compile("([\\w-]+/)*[\\w-]+?-v\\d+");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was written: episodes and steps stored, and episodes left out (incomplete). */
  public record Result(Path dataset, int episodes, long steps, int incompleteSkipped) {}

  /** Told after each episode: (episodes done, episodes to do). */
  @FunctionalInterface
  public interface Progress {
    void episodeDone(int done, int total);
  }

  private MinariExport() {}

  /** Whether {@code id} is a dataset id Minari accepts ({@code [namespace/]name-vN}). */
  public static boolean validDatasetId(String id) {
    return id != null && DATASET_ID.matcher(id).matches();
  }

  /**
   * Writes {@code rollout} as the dataset {@code datasetId} into {@code dir}, which must not hold a
   * {@code data} folder yet. The data are written beside and moved in place at the end, so a
   * failed export leaves no half dataset.
   */
  public static Result write(Rollout rollout, Path dir, String datasetId, Progress progress) throws IOException {
    if (!validDatasetId(datasetId)) {
      throw new IllegalArgumentException("'" + datasetId + "' is not a Minari dataset id: it must look like"
          + " name-v0 or namespace/name-v0 (letters, digits, '-' and '_', ending in -v and a number)");
    }
    Path data = dir.resolve("data");
    if (Files.exists(data)) {
      throw new IllegalArgumentException(data + " already exists; export into a new folder (nothing was written)");
    }
    Files.createDirectories(dir);
    Path partial = Files.createTempDirectory(dir, ".data-partial-");
    try {
      Result result = writeData(rollout, partial, datasetId, dir, progress);
      Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
      return result;
    } finally {
      deleteTree(partial);
    }
  }

  private static Result writeData(Rollout rollout, Path data, String datasetId, Path dir, Progress progress)
      throws IOException {
    RolloutHeader header = rollout.header();
    Space obsSpace = header.observationSpace();
    Space actSpace = header.actionSpace();
    Schema schema = new Schema(List.of(MinariColumns.field("observations", obsSpace),
        MinariColumns.field("actions", actSpace),
        Field.nullable("rewards", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        Field.nullable("terminations", ArrowType.Bool.INSTANCE),
        Field.nullable("truncations", ArrowType.Bool.INSTANCE)));
    List<EpisodeSummary> episodes = rollout.episodes();
    int written = 0;
    long steps = 0;
    int skipped = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (EpisodeSummary e : episodes) {
        if (!e.complete()) {
          skipped++;
        } else {
          Path folder = Files.createDirectory(data.resolve(String.valueOf(written)));
          writeEpisode(rollout, e, schema, obsSpace, actSpace, folder.resolve("part-0.arrow"), allocator);
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("id", written);
          meta.put("total_steps", e.length());
          if (e.seed() != null) {
            meta.put("seed", e.seed());
          }
          JSON.writeValue(folder.resolve("metadata.json").toFile(), meta);
          written++;
          steps += e.length();
        }
        progress.episodeDone(e.index() + 1, episodes.size());
      }
    }
    JSON.writeValue(data.resolve("metadata.json").toFile(), datasetMetadata(header, datasetId, written, steps, data));
    return new Result(dir, written, steps, skipped);
  }

  private static void writeEpisode(Rollout rollout, EpisodeSummary e, Schema schema, Space obsSpace, Space actSpace,
      Path file, BufferAllocator allocator) throws IOException {
    int rows = e.observations();
    try (Steps steps = rollout.read(e.index(), 0, rows);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      FieldVector obs = root.getVector("observations");
      FieldVector act = root.getVector("actions");
      Float8Vector rewards = (Float8Vector) root.getVector("rewards");
      BitVector terminations = (BitVector) root.getVector("terminations");
      BitVector truncations = (BitVector) root.getVector("truncations");
      for (int t = 0; t < rows; t++) {
        MinariColumns.set(obs, obsSpace, t, steps.observation(t));
        boolean last = t == rows - 1; // Minari pads the last row with zeros and false
        MinariColumns.set(act, actSpace, t, last ? null : steps.action(t));
        rewards.setSafe(t, last ? 0 : steps.reward(t));
        terminations.setSafe(t, !last && steps.terminated(t) ? 1 : 0);
        truncations.setSafe(t, !last && steps.truncated(t) ? 1 : 0);
      }
      root.setRowCount(rows);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    }
  }

  private static Map<String, Object> datasetMetadata(RolloutHeader h, String datasetId, int episodes, long steps,
      Path data) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset_id", datasetId);
    m.put("total_episodes", episodes);
    m.put("total_steps", steps);
    m.put("data_format", "arrow");
    m.put("observation_space", MinariSpaces.toMinariJson(h.observationSpace()));
    m.put("action_space", MinariSpaces.toMinariJson(h.actionSpace()));
    m.put("minari_version", MINARI_VERSION);
    m.put("author", List.of());
    m.put("author_email", List.of());
    m.put("algorithm_name", h.metadata().agent());
    m.put("code_permalink", "");
    m.put("description", h.metadata().description().isEmpty() ? h.metadata().title() : h.metadata().description());
    m.put("dataset_size", Math.round(treeBytes(data) / 1e5) / 10.0);
    // Minari keeps keys it does not know: where the episodes came from, for the next reader
    m.put("rld_env_id", h.envId());
    m.put("rld_recorder_version", h.recorderVersion());
    return m;
  }

  private static long treeBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
