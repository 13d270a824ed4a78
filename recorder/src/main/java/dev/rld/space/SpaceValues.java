package dev.rld.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values of a space as JSON and back: Box as (nested, by shape) arrays of numbers, Discrete as
 * a number, MultiDiscrete and MultiBinary as arrays, Dict as an object, Tuple as an array. The
 * HTTP API sends observations this way and takes them back for "what if" evaluation.
 */
public final class SpaceValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpaceValues() {}

  /** The JSON form of {@code value}, a member of {@code space}. */
  public static JsonNode toJson(Space space, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (space instanceof Box b) {
      double[] flat = b.flatten(value);
      return nest(flat, b.shape(), 0, 0, b.dtype());
    } else if (space instanceof Discrete) {
      return NODES.numberNode(((Number) value).intValue());
    } else if (space instanceof MultiDiscrete) {
      ArrayNode a = NODES.arrayNode();
      for (long v : (long[]) value) {
        a.add(v);
      }
      return a;
    } else if (space instanceof MultiBinary m) {
      return nest(m.flatten(value), m.shape(), 0, 0, DType.INT32);
    } else if (space instanceof Dict d) {
      ObjectNode o = NODES.objectNode();
      Map<?, ?> map = (Map<?, ?>) value;
      d.spaces().forEach((k, s) -> o.set(k, toJson(s, map.get(k))));
      return o;
    }
    Tuple t = (Tuple) space;
    ArrayNode a = NODES.arrayNode();
    List<?> list = (List<?>) value;
    for (int i = 0; i < t.spaces().size(); i++) {
      a.add(toJson(t.spaces().get(i), list.get(i)));
    }
    return a;
  }

  private static JsonNode nest(double[] flat, int[] shape, int dim, int base, DType dtype) {
    if (shape.length == 0) {
      return number(flat[0], dtype);
    }
    ArrayNode a = NODES.arrayNode(shape[dim]);
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    for (int i = 0; i < shape[dim]; i++) {
      a.add(dim == shape.length - 1 ? number(flat[base + i], dtype) : nest(flat, shape, dim + 1, base + i * stride, dtype));
    }
    return a;
  }

  private static JsonNode number(double v, DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> NODES.numberNode((float) v);
      case FLOAT64 -> NODES.numberNode(v);
      default -> NODES.numberNode((long) v);
    };
  }

  /**
   * The member of {@code space} that {@code json} describes; Box values may be nested by shape
   * or flat. Fails naming what does not fit (the value is also checked against the space).
   */
  public static Object fromJson(Space space, JsonNode json) {
    Object value = convert(space, json);
    String why = space.mismatch(value);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    return value;
  }

  private static Object convert(Space space, JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      throw new IllegalArgumentException("missing value for " + space.typeName());
    }
    if (space instanceof Box b) {
      if (json.isArray() && json.size() > 0 && json.get(0).isArray() && !nestedAs(json, b.shape(), 0)) {
        throw new IllegalArgumentException("nested arrays must have the Box's shape " + Arrays.toString(b.shape())
            + " (or give the elements flat)");
      }
      List<Double> flat = new ArrayList<>();
      numbers(json, flat);
      Object out = b.dtype().newArray(flat.size());
      for (int i = 0; i < flat.size(); i++) {
        double v = flat.get(i);
        // Checked before the cast: 256 stored in a uint8 would silently become 0.
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("element " + i + " is " + v + "; observations must be finite");
        }
        if (!b.dtype().isFloating() && (v != Math.rint(v) || v < b.dtype().minValue() || v > b.dtype().maxValue())) {
          throw new IllegalArgumentException("element " + i + " = " + v + " is not a " + b.dtype().numpyName()
              + " value");
        }
        b.dtype().set(out, i, v);
      }
      return out;
    } else if (space instanceof Discrete) {
      if (!json.isIntegralNumber() || !json.canConvertToInt()) {
        throw new IllegalArgumentException("expected a 32-bit integer for Discrete, got " + json);
      }
      return json.intValue();
    } else if (space instanceof MultiDiscrete) {
      List<Double> flat = new ArrayList<>();
      numbers(json, flat);
      for (int i = 0; i < flat.size(); i++) {
        if (flat.get(i) != Math.rint(flat.get(i)) || Math.abs(flat.get(i)) > 1L << 53) {
          throw new IllegalArgumentException("element " + i + " = " + flat.get(i) + " is not an integer");
        }
      }
      return flat.stream().mapToLong(Double::longValue).toArray();
    } else if (space instanceof MultiBinary) {
      List<Double> flat = new ArrayList<>();
      numbers(json, flat);
      byte[] out = new byte[flat.size()];
      for (int i = 0; i < out.length; i++) {
        if (flat.get(i) != 0 && flat.get(i) != 1) {
          throw new IllegalArgumentException("element " + i + " = " + flat.get(i) + " is not 0 or 1");
        }
        out[i] = (byte) flat.get(i).intValue();
      }
      return out;
    } else if (space instanceof Dict d) {
      if (!json.isObject()) {
        throw new IllegalArgumentException("expected a JSON object for Dict, got " + json.getNodeType());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      json.fields().forEachRemaining(e -> {
        Space s = d.spaces().get(e.getKey());
        if (s == null) {
          throw new IllegalArgumentException("unknown key '" + e.getKey() + "' (keys: " + d.spaces().keySet() + ")");
        }
        out.put(e.getKey(), convert(s, e.getValue()));
      });
      return out;
    }
    Tuple t = (Tuple) space;
    if (!json.isArray() || json.size() != t.spaces().size()) {
      throw new IllegalArgumentException("expected an array of " + t.spaces().size() + " elements for Tuple");
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < t.spaces().size(); i++) {
      out.add(convert(t.spaces().get(i), json.get(i)));
    }
    return out;
  }

  /** Whether {@code n} is nested exactly as {@code shape} from dimension {@code dim} on. */
  private static boolean nestedAs(JsonNode n, int[] shape, int dim) {
    if (dim == shape.length) {
      return n.isNumber();
    }
    if (!n.isArray() || n.size() != shape[dim]) {
      return false;
    }
    for (JsonNode child : n) {
      if (!nestedAs(child, shape, dim + 1)) {
        return false;
      }
    }
    return true;
  }

  private static void numbers(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(c -> numbers(c, out));
    } else if (n.isNumber()) {
      out.add(n.asDouble());
    } else {
      throw new IllegalArgumentException("expected numbers, got " + n);
    }
  }
}
