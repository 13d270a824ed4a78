package dev.rld.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.space.Box;
import dev.rld.space.Dict;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Minari's Arrow store: {@code data/<episode_id>/} per episode, holding one Arrow IPC file with
 * one record batch of N+1 rows (actions, rewards and flags padded by one row) and the episode's
 * {@code metadata.json} (id, seed, options). Box as a fixed-size list (or JPEG binary for
 * images), Discrete as integers, Dict and Tuple as structs, infos as a struct.
 *
 * <p>Opening reads each episode's rewards and flags (Arrow Java loads a batch whole, so this
 * reads the file but decodes no observation); a read loads that one episode's batch.
 */
final class MinariArrowStore implements MinariStore {
  private final String name;
  private final Space observationSpace;
  private final Space actionSpace;
  private final BufferAllocator allocator;
  private final List<Path> files = new ArrayList<>();
  private final List<Episode> episodes = new ArrayList<>();

  private MinariArrowStore(String name, Space obs, Space act, BufferAllocator allocator) {
    this.name = name;
    this.observationSpace = obs;
    this.actionSpace = act;
    this.allocator = allocator;
  }

  static MinariArrowStore open(Path data, String name, int total, Space obs, Space act, BufferAllocator allocator)
      throws IOException {
    MinariArrowStore store = new MinariArrowStore(name, obs, act, allocator);
    for (int i = 0; i < total; i++) {
      store.files.add(store.episodeFile(data, i));
      store.episodes.add(store.readEpisode(data, i));
    }
    return store;
  }

  private InvalidRolloutException bad(Path p, int episode, String problem) {
    return new InvalidRolloutException(p, "Minari dataset '" + name + "', episode " + episode + ": " + problem);
  }

  /** The episode's data file: as Minari's reader, any name not starting with '_' or '.' but metadata.json. */
  private Path episodeFile(Path data, int i) throws IOException {
    Path dir = data.resolve(Integer.toString(i));
    if (!Files.isDirectory(dir)) {
      throw bad(dir, i, "the dataset has no directory data/" + i);
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> parts = s.filter(p -> {
        String f = p.getFileName().toString();
        return !f.startsWith("_") && !f.startsWith(".") && !f.equals("metadata.json");
      }).sorted().toList();
      if (parts.size() != 1) {
        throw bad(dir, i, "expected one Arrow file in data/" + i + ", found " + parts.size());
      }
      return parts.get(0);
    }
  }

  private Episode readEpisode(Path data, int i) throws IOException {
    BigInteger seed = null;
    Map<String, Object> options = Map.of();
    Path meta = data.resolve(Integer.toString(i)).resolve("metadata.json");
    if (Files.isRegularFile(meta)) {
      JsonNode m = MinariDataset.JSON.readTree(meta.toFile());
      if (m.path("seed").isIntegralNumber()) {
        seed = m.get("seed").bigIntegerValue();
      }
      if (m.path("options").isObject()) {
        options = MinariDataset.JSON.convertValue(m.get("options"), Map.class);
      }
    }
    Path file = files.get(i);
    return withBatch(file, i, root -> {
      int n = root.getRowCount() - 1;
      double[] rewards = new double[n];
      boolean[] term = new boolean[n];
      boolean[] trunc = new boolean[n];
      FieldVector r = column(root, "rewards", file, i);
      FieldVector te = column(root, "terminations", file, i);
      FieldVector tr = column(root, "truncations", file, i);
      column(root, "observations", file, i);
      column(root, "actions", file, i);
      for (int t = 0; t < n; t++) {
        rewards[t] = MinariValues.number(r.getObject(t)).doubleValue();
        term[t] = MinariValues.bool(te.getObject(t));
        trunc[t] = MinariValues.bool(tr.getObject(t));
      }
      return new Episode(i, null, Map.of(), rewards, term, trunc);
    }).withSeed(seed, options);
  }

  private FieldVector column(VectorSchemaRoot root, String column, Path file, int episode) throws InvalidRolloutException {
    FieldVector v = root.getVector(column);
    if (v == null) {
      throw bad(file, episode, "it has no '" + column + "' column");
    }
    return v;
  }

  interface BatchReader<T> {
    T apply(VectorSchemaRoot root) throws IOException;
  }

  /** Runs {@code reader} on the episode file's one record batch; its buffers are released after. */
  private <T> T withBatch(Path file, int episode, BatchReader<T> reader) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader arrow = new ArrowFileReader(ch, allocator)) {
      if (arrow.getRecordBlocks().size() != 1) {
        throw bad(file, episode, "Minari writes one record batch per episode; the file has "
            + arrow.getRecordBlocks().size());
      }
      arrow.loadNextBatch();
      VectorSchemaRoot root = arrow.getVectorSchemaRoot();
      if (root.getRowCount() < 1) {
        throw bad(file, episode, "the record batch has no rows (an episode has N+1)");
      }
      return reader.apply(root);
    } catch (InvalidRolloutException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw bad(file, episode, "unreadable Arrow file: " + e);
    }
  }

  @Override
  public List<Episode> episodes() {
    return episodes;
  }

  @Override
  public Slice read(Episode e, int from, int to) throws IOException {
    Path file = files.get(e.id());
    String where = "episode " + e.id();
    int n = e.rewards().length;
    return withBatch(file, e.id(), root -> {
      if (root.getRowCount() != n + 1) {
        throw bad(file, e.id(), "the file has " + root.getRowCount() + " rows, it had " + (n + 1) + " when opened");
      }
      try {
        List<Object> obs = new ArrayList<>();
        List<Object> act = new ArrayList<>();
        List<Map<String, Object>> infos = new ArrayList<>();
        FieldVector info = root.getVector("infos");
        for (int t = from; t < to; t++) {
          obs.add(value(root.getVector("observations"), observationSpace, t, where + " observation " + t));
          if (t < n) {
            act.add(value(root.getVector("actions"), actionSpace, t, where + " action " + t));
          }
          infos.add(info instanceof StructVector s && !s.isNull(t) ? infoRow(s, t) : Map.of());
        }
        return new Slice(obs, act, infos);
      } catch (IllegalArgumentException | ClassCastException ex) {
        throw bad(file, e.id(), ex.getMessage());
      }
    });
  }

  private static Object value(FieldVector v, Space space, int row, String where) {
    if (v == null) {
      throw new IllegalArgumentException(where + ": a Dict/Tuple field is missing");
    }
    if (space instanceof Dict d) {
      Map<String, Object> out = new LinkedHashMap<>();
      d.spaces().forEach((k, s) -> out.put(k, value((FieldVector) ((StructVector) v).getChild(k), s, row, where + "/" + k)));
      return out;
    }
    if (space instanceof Tuple t) {
      List<Object> out = new ArrayList<>();
      for (int k = 0; k < t.spaces().size(); k++) {
        out.add(value((FieldVector) ((StructVector) v).getChild(Integer.toString(k)), t.spaces().get(k), row, where + "/" + k));
      }
      return out;
    }
    if (v.isNull(row)) {
      throw new IllegalArgumentException(where + " is null");
    }
    if (v instanceof BaseVariableWidthVector bytes && space instanceof Box box) {
      return MinariValues.jpeg(bytes.get(row), box, where); // Minari 0.5.3 stores images as JPEG
    }
    return MinariValues.leaf(space, v.getObject(row), where);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> infoRow(StructVector s, int row) {
    return (Map<String, Object>) MinariValues.jsonable(s.getObject(row));
  }

  @Override
  public List<Path> files() {
    return files;
  }

  @Override
  public void close() {}
}
