package dev.rld.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of spaces, with Minari's keys ({@code type}, {@code dtype}, {@code shape},
 * {@code low}, {@code high}, {@code n}, {@code start}, {@code nvec}, {@code subspaces}) plus
 * optional Box {@code labels} and {@code units}. Box bounds are nested lists in the Box's shape;
 * infinite bounds are the strings {@code "Infinity"} and {@code "-Infinity"} so that the text is
 * standard JSON every parser reads.
 */
public final class SpaceJson {
  // Python's json module writes bare Infinity for infinite bounds (Minari's files have it).
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpaceJson() {}

  /** The JSON text of {@code space}. */
  public static String toJson(Space space) {
    try {
      return MAPPER.writeValueAsString(toTree(space));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON tree of {@code space}, for embedding in larger documents. */
  public static ObjectNode toTree(Space space) {
    ObjectNode o = NODES.objectNode().put("type", space.typeName());
    if (space instanceof Box b) {
      o.put("dtype", b.dtype().numpyName());
      ArrayNode shape = o.putArray("shape");
      for (int d : b.shape()) {
        shape.add(d);
      }
      boolean single = b.dtype() == DType.FLOAT32;
      o.set("low", bounds(b.low(), b.shape(), single));
      o.set("high", bounds(b.high(), b.shape(), single));
      if (!b.labels().isEmpty()) {
        b.labels().forEach(o.putArray("labels")::add);
      }
      if (!b.units().isEmpty()) {
        b.units().forEach(o.putArray("units")::add);
      }
    } else if (space instanceof Discrete d) {
      o.put("dtype", "int64").put("n", d.n()).put("start", d.start());
      if (!d.labels().isEmpty()) {
        d.labels().forEach(o.putArray("labels")::add);
      }
    } else if (space instanceof MultiDiscrete m) {
      o.put("dtype", "int64");
      ArrayNode nvec = o.putArray("nvec");
      ArrayNode start = o.putArray("start");
      for (int i = 0; i < m.nvec().length; i++) {
        nvec.add(m.nvec()[i]);
        start.add(m.start()[i]);
      }
    } else if (space instanceof MultiBinary m) {
      o.put("dtype", "int8");
      ArrayNode n = o.putArray("n");
      for (int d : m.shape()) {
        n.add(d);
      }
    } else if (space instanceof Dict d) {
      ObjectNode subs = o.putObject("subspaces");
      d.spaces().forEach((k, s) -> subs.set(k, toTree(s)));
    } else if (space instanceof Tuple t) {
      ArrayNode subs = o.putArray("subspaces");
      t.spaces().forEach(s -> subs.add(toTree(s)));
    }
    return o;
  }

  /** Parses the JSON text of a space; a malformed one fails naming what is wrong. */
  public static Space fromJson(String json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("space is not valid JSON: " + e.getOriginalMessage());
    }
    return fromTree(tree);
  }

  /**
   * Largest flat size ({@link Space#flatDim}, Discrete one-hot) of a space this library accepts:
   * 2^24 = 16,777,216 elements (a 64 MB float32 observation, e.g. a 2048×2048 RGB image). Every
   * per-element structure (features, labels, flat vectors, a row of action probabilities) stays
   * within a few hundred MB, so a file that claims Discrete(2^31−1) is refused instead of
   * exhausting memory when its labels are built.
   */
  public static final int MAX_FLAT_DIM = 1 << 24;

  /** Fails naming the space when its flat size exceeds {@link #MAX_FLAT_DIM}. */
  public static void checkFlatSize(Space space) {
    long n = flatSize(space);
    if (n > MAX_FLAT_DIM) {
      throw new IllegalArgumentException(space + " has " + n + " flat elements, more than the "
          + MAX_FLAT_DIM + " (2^24) rld accepts");
    }
  }

  private static long flatSize(Space space) {
    if (space instanceof Dict d) {
      return d.spaces().values().stream().mapToLong(SpaceJson::flatSize).sum();
    } else if (space instanceof Tuple t) {
      return t.spaces().stream().mapToLong(SpaceJson::flatSize).sum();
    } else if (space instanceof MultiDiscrete m) {
      long n = 0;
      for (long k : m.nvec()) {
        n += Math.min(k, Integer.MAX_VALUE); // no overflow however many huge entries
      }
      return n;
    }
    return space.flatDim();
  }

  /** Parses a space from its JSON tree; spaces beyond {@link #MAX_FLAT_DIM} are refused. */
  public static Space fromTree(JsonNode o) {
    Space space;
    try {
      space = parse(o);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("space shape is too large: " + o.path("shape") + o.path("n"));
    }
    checkFlatSize(space);
    return space;
  }

  private static Space parse(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("space must be a JSON object, got " + o);
    }
    String type = required(o, "type", "space").asText();
    return switch (type) {
      case "Box" -> {
        int[] shape = ints(required(o, "shape", type));
        DType dtype = DType.ofNumpyName(required(o, "dtype", type).asText());
        Box box = Box.of(dtype, flatBounds(required(o, "low", type)), flatBounds(required(o, "high", type)), shape);
        if (o.has("labels")) {
          box = box.withLabels(strings(o.get("labels")));
        }
        if (o.has("units")) {
          box = box.withUnits(strings(o.get("units")));
        }
        yield box;
      }
      case "Discrete" -> {
        Discrete discrete = new Discrete(required(o, "n", type).asInt(), o.path("start").asInt(0));
        yield o.has("labels") ? discrete.withLabels(strings(o.get("labels"))) : discrete;
      }
      case "MultiDiscrete" -> {
        long[] nvec = longs(required(o, "nvec", type));
        yield new MultiDiscrete(nvec, o.has("start") ? longs(o.get("start")) : new long[nvec.length]);
      }
      case "MultiBinary" -> {
        JsonNode n = required(o, "n", type);
        yield n.isArray() ? new MultiBinary(ints(n)) : new MultiBinary(n.asInt());
      }
      case "Dict" -> {
        JsonNode subs = required(o, "subspaces", type);
        Map<String, Space> spaces = new LinkedHashMap<>();
        subs.fields().forEachRemaining(e -> spaces.put(e.getKey(), fromTree(e.getValue())));
        yield new Dict(spaces);
      }
      case "Tuple" -> {
        List<Space> spaces = new ArrayList<>();
        required(o, "subspaces", type).forEach(s -> spaces.add(fromTree(s)));
        yield new Tuple(spaces);
      }
      default -> throw new IllegalArgumentException("unknown space type '" + type
          + "' (expected Box, Discrete, MultiDiscrete, MultiBinary, Dict or Tuple)");
    };
  }

  private static JsonNode required(JsonNode o, String key, String type) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(type + " space is missing '" + key + "'");
    }
    return v;
  }

  /** Nested arrays in the Box's shape; a bare number for a scalar Box (shape []), as Minari. */
  private static JsonNode bounds(double[] flat, int[] shape, boolean single) {
    return shape.length == 0 ? addBound(NODES.arrayNode(), flat[0], single).get(0)
        : nested(flat, shape, 0, 0, single);
  }

  private static ArrayNode nested(double[] flat, int[] shape, int dim, int base, boolean single) {
    ArrayNode a = NODES.arrayNode(shape[dim]);
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    for (int i = 0; i < shape[dim]; i++) {
      if (dim == shape.length - 1) {
        addBound(a, flat[base + i], single);
      } else {
        a.add(nested(flat, shape, dim + 1, base + i * stride, single));
      }
    }
    return a;
  }

  private static ArrayNode addBound(ArrayNode a, double v, boolean single) {
    if (Double.isInfinite(v)) {
      return a.add(v > 0 ? "Infinity" : "-Infinity");
    }
    // Integral bounds print as integers (255, not 255.0); float32 bounds in their shortest
    // float form (4.8, not 4.800000190734863), which reads back to the same float32.
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return a.add((long) v);
    }
    return a.add(single ? Double.parseDouble(Float.toString((float) v)) : v);
  }

  private static double[] flatBounds(JsonNode n) {
    List<Double> out = new ArrayList<>();
    collect(n, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(c -> collect(c, out));
    } else if (n.isNumber()) {
      out.add(n.asDouble());
    } else {
      out.add(switch (n.asText()) {
        case "Infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
        case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> throw new IllegalArgumentException("Box bound must be a number or \"Infinity\", got " + n);
      });
    }
  }

  private static int[] ints(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  private static long[] longs(JsonNode n) {
    long[] out = new long[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asLong();
    }
    return out;
  }

  private static String[] strings(JsonNode n) {
    String[] out = new String[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asText();
    }
    return out;
  }
}
