package dev.rld.attribution;

import java.util.Arrays;
import java.util.Locale;

/**
 * What to compute (docs/attributions.md): the method and its parameters, the baseline, and
 * whether probabilities or logits are explained. Which targets are shown and how they are
 * normalised are chosen afterwards: every target of a step comes from the same evaluations.
 */
public record AttributionRequest(Method method, Baseline baseline, OutputKind output, int permutations,
    long seed, int[] window, int[] stride, Estimator estimator) {

  /**
   * How Shapley values are estimated (docs/attributions.md): {@code AUTO} enumerates coalitions
   * when 2^m is within {@link Attributor#EXACT_BUDGET} evaluations per step and samples
   * antithetically otherwise.
   */
  public enum Estimator {
    AUTO, EXACT, ANTITHETIC, PLAIN;

    /** From the API's parameters: {@code exact} (true/false/absent), {@code sampling}, and whether permutations were given. */
    public static Estimator of(String exact, String sampling, boolean permutationsGiven) {
      Estimator sampled = sampling == null ? ANTITHETIC
          : parseEnum(Estimator.class, sampling, "sampling", "antithetic, plain");
      if (sampled == AUTO || sampled == EXACT) {
        throw new IllegalArgumentException("unknown sampling '" + sampling + "' (antithetic, plain)");
      }
      if (exact == null) {
        return permutationsGiven || sampling != null ? sampled : AUTO;
      }
      return switch (exact.toLowerCase(Locale.ROOT)) {
        case "true" -> EXACT;
        case "false" -> sampled;
        default -> throw new IllegalArgumentException("exact must be true or false, got '" + exact + "'");
      };
    }
  }

  /** As the canonical constructor with {@link Estimator#AUTO}: the server's default. */
  public AttributionRequest(Method method, Baseline baseline, OutputKind output, int permutations, long seed,
      int[] window, int[] stride) {
    this(method, baseline, output, permutations, seed, window, stride, Estimator.AUTO);
  }

  public enum Method {
    ABLATION, OCCLUSION, SHAPLEY;

    public static Method parse(String s) {
      return parseEnum(Method.class, s, "method", "ablation, occlusion, shapley");
    }
  }

  /** Which output of a discrete policy is explained. */
  public enum OutputKind {
    PROBABILITY, LOGIT;

    public static OutputKind parse(String s) {
      return parseEnum(OutputKind.class, s, "output", "probability, logit");
    }
  }

  /** Baseline values, named for caching and display ("zero", "mean", "custom"). */
  public record Baseline(String name, float[] values) {
    /**
     * A custom baseline from {@code d} comma-separated finite numbers; {@code label} names element
     * i in messages (null: no name). Throws IllegalArgumentException saying what is wrong.
     */
    public static Baseline custom(String text, int d, java.util.function.IntFunction<String> label) {
      String[] parts = text.split(",");
      if (parts.length != d) {
        throw new IllegalArgumentException("baseline must be zero, mean, or " + d
            + " comma-separated numbers; got '" + text + "'");
      }
      float[] v = new float[d];
      for (int i = 0; i < d; i++) {
        try {
          v[i] = Float.parseFloat(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("baseline element " + i + " is not a number: '" + parts[i].trim() + "'");
        }
        if (!Float.isFinite(v[i])) {
          String name = label == null ? null : label.apply(i);
          throw new IllegalArgumentException("baseline element " + i + (name == null ? "" : " (" + name + ")")
              + " is " + parts[i].trim() + "; baseline values must be finite");
        }
      }
      return new Baseline("custom", v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Baseline b && name.equals(b.name) && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(values);
    }
  }

  public AttributionRequest {
    java.util.Objects.requireNonNull(estimator, "estimator");
    // Checked whatever the method, so a wrong value is named even where it would be unused.
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be at least 1, got " + permutations);
    }
    if (permutations > Attributor.MAX_PERMUTATIONS) {
      throw new IllegalArgumentException("permutations must be at most " + Attributor.MAX_PERMUTATIONS + ", got "
          + permutations);
    }
    if ((method == Method.OCCLUSION || window != null)
        && (window == null || window.length != 2 || window[0] < 1 || window[1] < 1)) {
      throw new IllegalArgumentException("occlusion needs window=h,w with positive sizes");
    }
    if ((method == Method.OCCLUSION || stride != null)
        && (stride == null || stride.length != 2 || stride[0] < 1 || stride[1] < 1)) {
      throw new IllegalArgumentException("occlusion needs stride=sh,sw with positive sizes");
    }
  }

  /** A key that identifies the computation (for caches and sidecar files). */
  public String key() {
    String params = switch (method) {
      case ABLATION -> "";
      case SHAPLEY -> ";estimator=" + estimator.name().toLowerCase(Locale.ROOT)
          + (estimator == Estimator.EXACT ? "" : ";permutations=" + permutations + ";seed=" + seed);
      case OCCLUSION -> ";window=" + window[0] + "," + window[1] + ";stride=" + stride[0] + "," + stride[1];
    };
    String base = baseline.name().equals("custom") ? "custom" + Arrays.toString(baseline.values()) : baseline.name();
    return method.name().toLowerCase(Locale.ROOT) + ";baseline=" + base + ";output="
        + output.name().toLowerCase(Locale.ROOT) + params;
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String s, String what, String known) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + s + "' (" + known + ")");
  }
}
