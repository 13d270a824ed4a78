package dev.rld.space;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Discrete(n, start)}: the integers {@code start, …, start + n - 1}. Values are
 * {@link Integer}s (any integral {@link Number} in range is accepted).
 *
 * <p>{@code labels} optionally names the values in order (e.g. "push left", "push right"), the
 * way Atari envs' {@code get_action_meanings()} do; the viewer and attribution tables show them.
 * Empty when unnamed; otherwise exactly {@code n} entries.
 */
public record Discrete(int n, int start, List<String> labels) implements Space {

  public Discrete {
    if (n <= 0) {
      throw new IllegalArgumentException("Discrete n must be positive, got " + n);
    }
    labels = List.copyOf(labels);
    if (!labels.isEmpty() && labels.size() != n) {
      throw new IllegalArgumentException("Discrete(" + n + ") needs " + n + " labels, got " + labels.size());
    }
  }

  public Discrete(int n, int start) {
    this(n, start, List.of());
  }

  public Discrete(int n) {
    this(n, 0);
  }

  /** This space with its values named, in order ({@code n} names). */
  public Discrete withLabels(String... names) {
    return new Discrete(n, start, List.of(names));
  }

  @Override
  public String mismatch(Object value) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
      return "expected an integer for Discrete(" + n + "), got " + Box.describe(value);
    }
    long v = ((Number) value).longValue();
    return v >= start && v < (long) start + n ? null
        : "value " + v + " is outside Discrete(" + n + ", start=" + start + ")";
  }

  @Override
  public Integer sample(RandomGenerator rng) {
    return start + rng.nextInt(n);
  }

  @Override
  public int flatDim() {
    return n;
  }

  /** One-hot, as {@code gymnasium.spaces.flatten} does. */
  @Override
  public void flatten(Object value, double[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + n, 0.0);
    out[offset + ((Number) value).intValue() - start] = 1.0;
  }

  @Override
  public List<Feature> features() {
    List<Feature> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Feature(labels.isEmpty() ? "=" + (start + i) : labels.get(i), "", ""));
    }
    return out;
  }

  /** Gymnasium's repr: {@code Discrete(2)}, {@code Discrete(3, start=1)}; names when labelled. */
  @Override
  public String toString() {
    return "Discrete(" + n + (start == 0 ? "" : ", start=" + start) + ")" + (labels.isEmpty() ? "" : " " + labels);
  }
}
