package dev.rld.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Dict}: named subspaces. As in Gymnasium, keys are kept sorted, and that
 * order is the order of flattening, of Arrow struct fields and of feature labels. Values are
 * {@code Map<String, Object>} with exactly these keys.
 */
public final class Dict implements Space {
  private final Map<String, Space> spaces;

  public Dict(Map<String, Space> spaces) {
    if (spaces.isEmpty()) {
      throw new IllegalArgumentException("Dict needs at least one subspace");
    }
    // Gymnasium sorts the keys of a Dict built from a mapping.
    this.spaces = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(spaces)));
  }

  /** The subspaces in Gymnasium's (sorted) key order. */
  public Map<String, Space> spaces() {
    return spaces;
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return "expected a Map for Dict, got " + Box.describe(value);
    }
    if (!map.keySet().equals(spaces.keySet())) {
      return "expected keys " + spaces.keySet() + ", got " + map.keySet();
    }
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      String why = e.getValue().mismatch(map.get(e.getKey()));
      if (why != null) {
        return "key '" + e.getKey() + "': " + why;
      }
    }
    return null;
  }

  @Override
  public Map<String, Object> sample(RandomGenerator rng) {
    Map<String, Object> out = new LinkedHashMap<>();
    spaces.forEach((k, s) -> out.put(k, s.sample(rng)));
    return out;
  }

  @Override
  public int flatDim() {
    return spaces.values().stream().mapToInt(Space::flatDim).sum();
  }

  @Override
  public void flatten(Object value, double[] out, int offset) {
    Map<?, ?> map = (Map<?, ?>) value;
    int at = offset;
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      e.getValue().flatten(map.get(e.getKey()), out, at);
      at += e.getValue().flatDim();
    }
  }

  @Override
  public List<Feature> features() {
    List<Feature> out = new ArrayList<>();
    spaces.forEach((k, s) -> s.features().forEach(f -> out.add(f.prefixed(k))));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dict d && spaces.equals(d.spaces);
  }

  @Override
  public int hashCode() {
    return spaces.hashCode();
  }

  @Override
  public String toString() {
    return "Dict(" + spaces + ")";
  }
}
