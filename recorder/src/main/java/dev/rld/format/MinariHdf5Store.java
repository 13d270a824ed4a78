package dev.rld.format;

import dev.rld.space.Box;
import dev.rld.space.Dict;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minari's HDF5 store, {@code data/main_data.hdf5}, read with jHDF (pure Java): a group
 * {@code episode_i} per episode with attributes {@code id}, {@code seed}, {@code options/…};
 * {@code observations} (N+1 rows), {@code actions}, {@code rewards}, {@code terminations},
 * {@code truncations} (N rows); Dict spaces as subgroups, Tuple as {@code _index_k}, infos as a
 * group. Opening reads the attributes, rewards and flags; a read slices only its rows.
 */
final class MinariHdf5Store implements MinariStore {
  private final Path file;
  private final String name;
  private final HdfFile hdf;
  private final Space observationSpace;
  private final Space actionSpace;
  private final List<Episode> episodes = new ArrayList<>();

  private MinariHdf5Store(Path file, String name, HdfFile hdf, Space obs, Space act) {
    this.file = file;
    this.name = name;
    this.hdf = hdf;
    this.observationSpace = obs;
    this.actionSpace = act;
  }

  static MinariHdf5Store open(Path data, String name, int total, Space obs, Space act) throws IOException {
    Path file = data.resolve("main_data.hdf5");
    if (!Files.isRegularFile(file)) {
      throw new InvalidRolloutException(file, "Minari dataset '" + name + "' has no data/main_data.hdf5");
    }
    if (total == 0) {
      // Minari only touches the file for an empty dataset: 0 bytes, not HDF5.
      return new MinariHdf5Store(file, name, null, obs, act);
    }
    HdfFile hdf;
    try {
      hdf = new HdfFile(file);
    } catch (RuntimeException e) {
      throw new InvalidRolloutException(file, "Minari dataset '" + name + "': main_data.hdf5 is not a readable HDF5 file: " + e.getMessage());
    }
    MinariHdf5Store store = new MinariHdf5Store(file, name, hdf, obs, act);
    try {
      for (int i = 0; i < total; i++) {
        store.episodes.add(store.readEpisode(i));
      }
    } catch (InvalidRolloutException e) {
      hdf.close();
      throw e;
    } catch (RuntimeException e) {
      hdf.close();
      throw new InvalidRolloutException(file, "Minari dataset '" + name + "': unreadable: " + e);
    }
    return store;
  }

  private InvalidRolloutException bad(int episode, String problem) {
    return new InvalidRolloutException(file, "Minari dataset '" + name + "', episode " + episode + ": " + problem);
  }

  private Episode readEpisode(int i) throws InvalidRolloutException {
    Node node = hdf.getChild("episode_" + i);
    if (!(node instanceof Group g)) {
      throw bad(i, "main_data.hdf5 has no group 'episode_" + i + "'");
    }
    double[] rewards = doubles(dataset(g, "rewards", i));
    int n = rewards.length;
    boolean[] term = flags(dataset(g, "terminations", i), n, i);
    boolean[] trunc = flags(dataset(g, "truncations", i), n, i);
    checkRows(g.getChild("observations"), observationSpace, n + 1, "observations", i);
    checkRows(g.getChild("actions"), actionSpace, n, "actions", i);
    BigInteger seed = null;
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, Attribute> a : g.getAttributes().entrySet()) {
      Object v = a.getValue().getData();
      if (a.getKey().equals("seed")) {
        seed = seed(v);
      } else if (a.getKey().startsWith("options/")) {
        put(options, a.getKey().substring("options/".length()).split("/"), MinariValues.jsonable(v));
      }
    }
    Attribute steps = g.getAttribute("total_steps");
    if (steps != null && MinariValues.number(steps.getData()).longValue() != n) {
      throw bad(i, "total_steps is " + steps.getData() + " but it has " + n + " rewards");
    }
    return new Episode(i, seed, options, rewards, term, trunc);
  }

  private static BigInteger seed(Object v) {
    if (v instanceof BigInteger b) {
      return b;
    }
    if (v instanceof Number n) {
      return BigInteger.valueOf(n.longValue());
    }
    return null; // Minari 0.4 wrote the string "None"
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> map, String[] keys, Object v) {
    for (int k = 0; k < keys.length - 1; k++) {
      map = (Map<String, Object>) map.computeIfAbsent(keys[k], x -> new LinkedHashMap<String, Object>());
    }
    map.put(keys[keys.length - 1], v);
  }

  private Dataset dataset(Group g, String column, int episode) throws InvalidRolloutException {
    Node node = g.getChild(column);
    if (!(node instanceof Dataset d)) {
      throw bad(episode, node == null ? "it has no '" + column + "'" : "'" + column + "' is not a dataset");
    }
    return d;
  }

  private static double[] doubles(Dataset d) {
    List<Object> flat = new ArrayList<>();
    MinariValues.flatten(d.getData(), flat);
    return flat.stream().mapToDouble(o -> MinariValues.number(o).doubleValue()).toArray();
  }

  private boolean[] flags(Dataset d, int n, int episode) throws InvalidRolloutException {
    List<Object> flat = new ArrayList<>();
    MinariValues.flatten(d.getData(), flat);
    if (flat.size() != n) {
      throw bad(episode, "'" + d.getName() + "' has " + flat.size() + " rows but it has " + n + " rewards");
    }
    boolean[] out = new boolean[n];
    for (int t = 0; t < n; t++) {
      out[t] = MinariValues.bool(flat.get(t));
    }
    return out;
  }

  /** Checks every leaf of a space's node has {@code rows} rows, reading only the headers. */
  private void checkRows(Node node, Space space, int rows, String where, int episode) throws InvalidRolloutException {
    if (node == null) {
      throw bad(episode, "it has no '" + where + "'");
    }
    if (space instanceof Dict d) {
      for (Map.Entry<String, Space> e : d.spaces().entrySet()) {
        checkRows(node.isGroup() ? ((Group) node).getChild(e.getKey()) : null, e.getValue(), rows, where + "/" + e.getKey(), episode);
      }
    } else if (space instanceof Tuple t) {
      for (int k = 0; k < t.spaces().size(); k++) {
        checkRows(node.isGroup() ? ((Group) node).getChild("_index_" + k) : null, t.spaces().get(k), rows, where + "/_index_" + k, episode);
      }
    } else if (!(node instanceof Dataset d)) {
      throw bad(episode, "'" + where + "' is a group, expected a dataset for " + space);
    } else if (d.getDimensions().length == 0 || d.getDimensions()[0] != rows) {
      throw bad(episode, "'" + where + "' has " + (d.getDimensions().length == 0 ? 0 : d.getDimensions()[0])
          + " rows, expected " + rows);
    }
  }

  @Override
  public List<Episode> episodes() {
    return episodes;
  }

  @Override
  public Slice read(Episode e, int from, int to) throws IOException {
    // jHDF's readers share the file channel's state: one read at a time.
    synchronized (this) {
      Group g = (Group) hdf.getChild("episode_" + e.id());
      String where = "Minari dataset '" + name + "', episode " + e.id();
      try {
        List<Object> obs = values(g.getChild("observations"), observationSpace, from, to, where + " observations");
        int n = e.rewards().length;
        List<Object> act = from < Math.min(to, n)
            ? values(g.getChild("actions"), actionSpace, from, Math.min(to, n), where + " actions") : List.of();
        List<Map<String, Object>> infos = new ArrayList<>();
        Node info = g.getChild("infos");
        for (int t = from; t < to; t++) {
          infos.add(info instanceof Group ig ? infoRow(ig, t) : Map.of());
        }
        return new Slice(obs, act, infos);
      } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException ex) {
        throw new InvalidRolloutException(file, where + ": " + ex.getMessage());
      }
    }
  }

  private static List<Object> values(Node node, Space space, int from, int to, String where) {
    List<Object> out = new ArrayList<>();
    if (space instanceof Dict d) {
      Map<String, List<Object>> kids = new LinkedHashMap<>();
      d.spaces().forEach((k, s) -> kids.put(k, values(((Group) node).getChild(k), s, from, to, where + "/" + k)));
      for (int r = 0; r < to - from; r++) {
        Map<String, Object> m = new LinkedHashMap<>();
        int row = r;
        kids.forEach((k, v) -> m.put(k, v.get(row)));
        out.add(m);
      }
      return out;
    }
    if (space instanceof Tuple t) {
      List<List<Object>> kids = new ArrayList<>();
      for (int k = 0; k < t.spaces().size(); k++) {
        kids.add(values(((Group) node).getChild("_index_" + k), t.spaces().get(k), from, to, where + "/_index_" + k));
      }
      for (int r = 0; r < to - from; r++) {
        int row = r;
        out.add(kids.stream().map(l -> l.get(row)).toList());
      }
      return out;
    }
    Dataset d = (Dataset) node;
    int[] dims = d.getDimensions();
    boolean jpeg = MinariValues.isImage(space) && (d.isVariableLength() || dims.length == 2);
    Object rows = slice(d, from, to);
    for (int r = 0; r < to - from; r++) {
      Object row = Array.get(rows, r);
      if (jpeg) {
        List<Object> flat = new ArrayList<>();
        MinariValues.flatten(row, flat);
        byte[] bytes = new byte[flat.size()];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = MinariValues.number(flat.get(i)).byteValue();
        }
        out.add(MinariValues.jpeg(bytes, (Box) space, where + " row " + (from + r)));
      } else {
        out.add(MinariValues.leaf(space, row, where + " row " + (from + r)));
      }
    }
    return out;
  }

  /** Rows [from, to) of a dataset; vlen datasets (JPEG frames) are read whole, jHDF cannot slice them. */
  private static Object slice(Dataset d, int from, int to) {
    if (d.isVariableLength() || d.getDimensions().length == 0) {
      Object all = d.getData();
      Object out = Array.newInstance(all.getClass().getComponentType(), to - from);
      System.arraycopy(all, from, out, 0, to - from);
      return out;
    }
    int[] dims = d.getDimensions();
    long[] offset = new long[dims.length];
    offset[0] = from;
    int[] shape = dims.clone();
    shape[0] = to - from;
    return d.getData(offset, shape);
  }

  private static Map<String, Object> infoRow(Group g, int t) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
      if (e.getValue() instanceof Group sub) {
        out.put(e.getKey(), infoRow(sub, t));
      } else if (e.getValue() instanceof Dataset d && d.getDimensions().length > 0 && t < d.getDimensions()[0]) {
        out.put(e.getKey(), MinariValues.jsonable(Array.get(slice(d, t, t + 1), 0)));
      }
    }
    return out;
  }

  @Override
  public List<Path> files() {
    return List.of(file);
  }

  @Override
  public synchronized void close() {
    if (hdf != null) {
      hdf.close();
    }
  }
}
