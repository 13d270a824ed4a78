package dev.rld.space;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Tuple}: subspaces by position. Values are {@code List<Object>} of the same
 * length. In Arrow the elements are struct fields named "0", "1", … as Minari names them.
 */
public record Tuple(List<Space> spaces) implements Space {

  public Tuple {
    if (spaces.isEmpty()) {
      throw new IllegalArgumentException("Tuple needs at least one subspace");
    }
    spaces = List.copyOf(spaces);
  }

  public Tuple(Space... spaces) {
    this(List.of(spaces));
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof List<?> list)) {
      return "expected a List for Tuple, got " + Box.describe(value);
    }
    if (list.size() != spaces.size()) {
      return "expected " + spaces.size() + " elements, got " + list.size();
    }
    for (int i = 0; i < spaces.size(); i++) {
      String why = spaces.get(i).mismatch(list.get(i));
      if (why != null) {
        return "element " + i + ": " + why;
      }
    }
    return null;
  }

  @Override
  public List<Object> sample(RandomGenerator rng) {
    List<Object> out = new ArrayList<>(spaces.size());
    spaces.forEach(s -> out.add(s.sample(rng)));
    return out;
  }

  @Override
  public int flatDim() {
    return spaces.stream().mapToInt(Space::flatDim).sum();
  }

  @Override
  public void flatten(Object value, double[] out, int offset) {
    List<?> list = (List<?>) value;
    int at = offset;
    for (int i = 0; i < spaces.size(); i++) {
      spaces.get(i).flatten(list.get(i), out, at);
      at += spaces.get(i).flatDim();
    }
  }

  @Override
  public List<Feature> features() {
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < spaces.size(); i++) {
      String key = String.valueOf(i);
      spaces.get(i).features().forEach(f -> out.add(f.prefixed(key)));
    }
    return out;
  }
}
