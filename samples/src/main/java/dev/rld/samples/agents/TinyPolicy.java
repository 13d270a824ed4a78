package dev.rld.samples.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.samples.envs.CartPoleContinuous;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deterministic policy of a handful of parameters for the continuous cart-pole: the force
 * (action in [-1, 1]) for an observation [x, ẋ, cos θ, sin θ, θ̇].
 *
 * <ul>
 *   <li>{@link Form#LINEAR}: tanh(w·o + b), 6 parameters [w₁..w₅, b];
 *   <li>{@link Form#MLP}: tanh(v·tanh(W o + c) + d) with {@value #HIDDEN} hidden units, 57
 *       parameters: W row by row (8×5), c (8), v (8), d.
 * </ul>
 *
 * <p>The shipped parameters, found by {@link TinySearch}, are resources {@code /rld/tiny/ENV_ID.json}
 * holding the form, the parameters and the command that found them.
 */
public record TinyPolicy(Form form, double[] parameters) {
  public static final int OBSERVATIONS = 5;
  public static final int HIDDEN = 8;

  /** The policy's shape. */
  public enum Form {
    LINEAR("linear", OBSERVATIONS + 1),
    MLP("mlp", HIDDEN * OBSERVATIONS + HIDDEN + HIDDEN + 1);

    private final String id;
    private final int size;

    Form(String id, int size) {
      this.id = id;
      this.size = size;
    }

    /** Its name in files and on the command line. */
    public String id() {
      return id;
    }

    /** How many parameters it has. */
    public int size() {
      return size;
    }

    /** The form named {@code id}. */
    public static Form of(String id) {
      return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("unknown policy form '" + id + "'; known: linear, mlp"));
    }
  }

  public TinyPolicy {
    if (parameters.length != form.size()) {
      throw new IllegalArgumentException("a " + form.id() + " policy has " + form.size()
          + " parameters, got " + parameters.length);
    }
  }

  /** The force in [-1, 1] for one observation. */
  public double act(float[] o) {
    return Math.tanh(preActivation(o));
  }

  /** What goes into the final tanh: how far past saturation the policy pushes. */
  public double preActivation(float[] o) {
    double[] p = parameters;
    if (form == Form.LINEAR) {
      double s = p[OBSERVATIONS];
      for (int i = 0; i < OBSERVATIONS; i++) {
        s += p[i] * o[i];
      }
      return s;
    }
    int c = HIDDEN * OBSERVATIONS;
    int v = c + HIDDEN;
    double out = p[v + HIDDEN];
    for (int h = 0; h < HIDDEN; h++) {
      double s = p[c + h];
      for (int i = 0; i < OBSERVATIONS; i++) {
        s += p[h * OBSERVATIONS + i] * o[i];
      }
      out += p[v + h] * Math.tanh(s);
    }
    return out;
  }

  /**
   * The shipped policy for {@code envId} ({@code CartPoleBalance-v0} or {@code CartPoleSwingUp-v0}),
   * read from the samples jar.
   */
  public static TinyPolicy shipped(String envId) {
    CartPoleContinuous.Task.of(envId);
    try (InputStream in = TinyPolicy.class.getResourceAsStream("/rld/tiny/" + envId + ".json")) {
      if (in == null) {
        throw new IllegalStateException("the tiny policy for " + envId + " is missing from the samples jar");
      }
      return fromJson(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tiny policy for " + envId, e);
    }
  }

  static TinyPolicy fromJson(JsonNode node) {
    JsonNode values = node.get("parameters");
    double[] p = new double[values.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = values.get(i).asDouble();
    }
    return new TinyPolicy(Form.of(node.get("form").asText()), p);
  }

  /** The file format of the shipped policies, with what else the search says about them. */
  String toJson(Map<String, Object> about) {
    Map<String, Object> all = new LinkedHashMap<>(about);
    all.put("form", form.id());
    all.put("parameters", parameters);
    try {
      return MAPPER.writeValueAsString(all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public boolean equals(Object o) {
    return o instanceof TinyPolicy t && t.form == form && Arrays.equals(t.parameters, parameters);
  }

  @Override
  public int hashCode() {
    return form.hashCode() * 31 + Arrays.hashCode(parameters);
  }

  @Override
  public String toString() {
    return form.id() + Arrays.toString(parameters);
  }
}
