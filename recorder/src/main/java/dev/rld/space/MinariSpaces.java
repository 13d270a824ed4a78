package dev.rld.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minari's space JSON ({@code minari.serialization}): parse it into a {@link Space}, and write a
 * space exactly as Minari's {@code serialize_space} does (Python's {@code json.dumps}: separators
 * {@code ", "} and {@code ": "}, bare {@code Infinity}, floats in Python's repr).
 *
 * <p>Minari's {@code Text} space has no counterpart here: parsing one fails naming it.
 */
public final class MinariSpaces {
  // Python's json writes bare Infinity / -Infinity / NaN for non-finite Box bounds.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private MinariSpaces() {}

  /** Parses Minari's space JSON text; fails naming the unsupported or malformed part. */
  public static Space fromMinariJson(String json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Minari space is not valid JSON: " + e.getOriginalMessage());
    }
    return fromTree(tree, "space");
  }

  private static Space fromTree(JsonNode o, String where) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object, got " + o);
    }
    String type = o.path("type").asText("");
    switch (type) {
      case "Dict" -> {
        Map<String, Space> subs = new LinkedHashMap<>();
        o.path("subspaces").fields()
            .forEachRemaining(e -> subs.put(e.getKey(), fromTree(e.getValue(), where + "['" + e.getKey() + "']")));
        return new Dict(subs);
      }
      case "Tuple" -> {
        List<Space> subs = new ArrayList<>();
        JsonNode list = o.path("subspaces");
        for (int i = 0; i < list.size(); i++) {
          subs.add(fromTree(list.get(i), where + "[" + i + "]"));
        }
        return new Tuple(subs);
      }
      case "Text" -> throw new IllegalArgumentException("Minari Text space at " + where + " (" + o
          + ") is not supported: rld has no Text space, so it cannot show text observations or actions");
      case "MultiDiscrete" -> {
        if (o.path("nvec").path(0).isArray()) {
          throw new IllegalArgumentException("MultiDiscrete at " + where + " has a multi-dimensional nvec "
              + o.get("nvec") + "; rld supports one-dimensional MultiDiscrete only");
        }
      }
      case "Box" -> {
        // Minari's dtypes beyond ours (bool, int8, float16, …) fail here with the list we support.
        try {
          DType.ofNumpyName(o.path("dtype").asText());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Box at " + where + ": " + e.getMessage());
        }
      }
      default -> { }
    }
    try {
      return SpaceJson.fromTree(o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  /** The JSON text Minari's {@code serialize_space} writes for {@code space}, byte for byte. */
  public static String toMinariJson(Space space) {
    StringBuilder sb = new StringBuilder();
    write(space, sb);
    return sb.toString();
  }

  private static void write(Space space, StringBuilder sb) {
    if (space instanceof Box b) {
      sb.append("{\"type\": \"Box\", \"dtype\": \"").append(b.dtype().numpyName()).append("\", \"shape\": [");
      int[] shape = b.shape();
      for (int i = 0; i < shape.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(shape[i]);
      }
      sb.append("], \"low\": ");
      bounds(b.low(), shape, b.dtype().isFloating(), sb);
      sb.append(", \"high\": ");
      bounds(b.high(), shape, b.dtype().isFloating(), sb);
      sb.append('}');
    } else if (space instanceof Discrete d) {
      sb.append("{\"type\": \"Discrete\", \"dtype\": \"int64\", \"start\": ").append(d.start())
          .append(", \"n\": ").append(d.n()).append('}');
    } else if (space instanceof MultiDiscrete m) {
      sb.append("{\"type\": \"MultiDiscrete\", \"dtype\": \"int64\", \"nvec\": ").append(longs(m.nvec()))
          .append(", \"start\": ").append(longs(m.start())).append('}');
    } else if (space instanceof MultiBinary m) {
      // Gymnasium keeps n as given: an int for MultiBinary(n), a tuple (JSON list) otherwise.
      int[] shape = m.shape();
      String n = shape.length == 1 ? Integer.toString(shape[0])
          : Arrays.toString(shape);
      sb.append("{\"type\": \"MultiBinary\", \"n\": ").append(n).append('}');
    } else if (space instanceof Dict d) {
      sb.append("{\"type\": \"Dict\", \"subspaces\": {");
      boolean first = true;
      for (Map.Entry<String, Space> e : d.spaces().entrySet()) {
        sb.append(first ? "" : ", ");
        first = false;
        pythonString(e.getKey(), sb);
        sb.append(": ");
        write(e.getValue(), sb);
      }
      sb.append("}}");
    } else if (space instanceof Tuple t) {
      sb.append("{\"type\": \"Tuple\", \"subspaces\": [");
      for (int i = 0; i < t.spaces().size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        write(t.spaces().get(i), sb);
      }
      sb.append("]}");
    } else {
      throw new IllegalArgumentException("Minari has no serialisation for " + space);
    }
  }

  private static String longs(long[] v) {
    return Arrays.toString(v); // "[3, 2]": the same separators as json.dumps
  }

  /** ndarray.tolist(): nested lists in the shape, a bare number for shape (). */
  private static void bounds(double[] flat, int[] shape, boolean floating, StringBuilder sb) {
    if (shape.length == 0) {
      number(flat[0], floating, sb);
    } else {
      nested(flat, shape, 0, 0, floating, sb);
    }
  }

  private static void nested(double[] flat, int[] shape, int dim, int base, boolean floating, StringBuilder sb) {
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    sb.append('[');
    for (int i = 0; i < shape[dim]; i++) {
      sb.append(i == 0 ? "" : ", ");
      if (dim == shape.length - 1) {
        number(flat[base + i], floating, sb);
      } else {
        nested(flat, shape, dim + 1, base + i * stride, floating, sb);
      }
    }
    sb.append(']');
  }

  private static void number(double v, boolean floating, StringBuilder sb) {
    if (floating) {
      sb.append(pythonFloat(v));
    } else {
      // Integer dtypes: tolist() gives Python ints.
      sb.append(new BigDecimal(v).toBigInteger());
    }
  }

  /**
   * Python's {@code repr(float)} (which {@code json.dumps} uses): the shortest decimal that reads
   * back to the same double, positional for exponents in [-4, 16), else {@code 1e-05} style.
   * Not Java's Double.toString: Java 17's is not always shortest and switches notation elsewhere.
   */
  static String pythonFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == v) {
        shortest = r;
        break;
      }
    }
    String digits = shortest.unscaledValue().abs().toString().replaceAll("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    // Decimal exponent of the first digit: value = 0.d1d2… × 10^(exp+1).
    int exp = shortest.precision() - shortest.scale() - 1;
    String sign = v < 0 ? "-" : "";
    if (exp >= -4 && exp < 16) {
      String s;
      if (exp >= 0) {
        if (digits.length() <= exp + 1) {
          s = digits + "0".repeat(exp + 1 - digits.length()) + ".0";
        } else {
          s = digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
        }
      } else {
        s = "0." + "0".repeat(-exp - 1) + digits;
      }
      return sign + s;
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = String.format("%02d", Math.abs(exp));
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
  }

  /** A JSON string as json.dumps writes it (ensure_ascii: non-ASCII as \\uXXXX). */
  private static void pythonString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
