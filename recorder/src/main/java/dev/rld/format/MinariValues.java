package dev.rld.format;

import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns what the HDF5 and Arrow libraries hand out for one row (nested Java arrays, boxed
 * numbers, lists, JPEG bytes) into our spaces' Java values, whatever numeric type Minari stored.
 */
final class MinariValues {
  private MinariValues() {}

  /** The value of a leaf space (not Dict/Tuple) from one row's data. */
  static Object leaf(Space space, Object row, String where) {
    List<Object> flat = new ArrayList<>();
    flatten(row, flat);
    if (space instanceof Discrete) {
      if (flat.size() != 1) {
        throw new IllegalArgumentException(where + ": a Discrete value has " + flat.size() + " elements");
      }
      return Math.toIntExact(number(flat.get(0)).longValue());
    }
    if (space instanceof MultiDiscrete m) {
      long[] out = new long[check(flat, m.nvec().length, where)];
      for (int i = 0; i < out.length; i++) {
        out[i] = number(flat.get(i)).longValue();
      }
      return out;
    }
    if (space instanceof MultiBinary m) {
      byte[] out = new byte[check(flat, Arrays.stream(m.shape()).reduce(1, (a, b) -> a * b), where)];
      for (int i = 0; i < out.length; i++) {
        out[i] = number(flat.get(i)).byteValue();
      }
      return out;
    }
    Box box = (Box) space;
    int n = check(flat, box.size(), where);
    Object out = box.dtype().newArray(n);
    for (int i = 0; i < n; i++) {
      Number v = number(flat.get(i));
      switch (box.dtype()) {
        case FLOAT32 -> ((float[]) out)[i] = v.floatValue();
        case FLOAT64 -> ((double[]) out)[i] = v.doubleValue();
        case INT32 -> ((int[]) out)[i] = v.intValue();
        case INT64 -> ((long[]) out)[i] = v.longValue();
        case UINT8 -> ((byte[]) out)[i] = (byte) v.intValue();
      }
    }
    return out;
  }

  private static int check(List<Object> flat, int n, String where) {
    if (flat.size() != n) {
      throw new IllegalArgumentException(where + ": a row has " + flat.size() + " elements, the space " + n);
    }
    return n;
  }

  static Number number(Object o) {
    if (o instanceof Number n) {
      return n;
    }
    if (o instanceof Boolean b) {
      return b ? 1 : 0;
    }
    throw new IllegalArgumentException("not a number: " + o);
  }

  /** Minari's flags: numpy bools (h5py's enum FALSE/TRUE), integers or booleans. */
  static boolean bool(Object o) {
    if (o instanceof Boolean b) {
      return b;
    }
    if (o instanceof String s) {
      return s.equalsIgnoreCase("true");
    }
    return number(o).doubleValue() != 0;
  }

  /** Every element of a (nested) array or list in row-major order; a scalar as itself. */
  static void flatten(Object data, List<Object> out) {
    if (data == null) {
      throw new IllegalArgumentException("a null element");
    } else if (data.getClass().isArray()) {
      int n = Array.getLength(data);
      for (int i = 0; i < n; i++) {
        flatten(Array.get(data, i), out);
      }
    } else if (data instanceof List<?> list) {
      list.forEach(e -> flatten(e, out));
    } else {
      out.add(data);
    }
  }

  /** A value for an infos JSON cell: arrays become lists, Arrow's Text a string. */
  static Object jsonable(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof Number n) {
      return n instanceof BigInteger || n instanceof Double || n instanceof Float || n instanceof Long
          || n instanceof Integer ? n : n.longValue();
    }
    if (v.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(v); i++) {
        out.add(jsonable(Array.get(v, i)));
      }
      return out;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(MinariValues::jsonable).toList();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), jsonable(x)));
      return out;
    }
    return v.toString(); // Arrow's Text, and anything else, as text
  }

  /** Whether a Box is one Minari stores as JPEG (its is_image_space): uint8 (H, W[, C]) of 0..255. */
  static boolean isImage(Space space) {
    if (!(space instanceof Box b) || b.dtype() != DType.UINT8) {
      return false;
    }
    int[] s = b.shape();
    return (s.length == 2 || s.length == 3) && s[0] >= 32 && s[1] >= 32
        && Arrays.stream(b.low()).allMatch(v -> v == 0) && Arrays.stream(b.high()).allMatch(v -> v == 255);
  }

  /** Decodes one JPEG frame into the Box's (H, W) or (H, W, C) uint8 value, RGB order. */
  static byte[] jpeg(byte[] bytes, Box box, String where) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": corrupt JPEG frame: " + e.getMessage());
    }
    if (image == null) {
      throw new IllegalArgumentException(where + ": an image row is not a JPEG (" + bytes.length + " bytes)");
    }
    int[] s = box.shape();
    int h = s[0];
    int w = s[1];
    int c = s.length == 3 ? s[2] : 1;
    if (image.getHeight() != h || image.getWidth() != w) {
      throw new IllegalArgumentException(where + ": a JPEG frame is " + image.getHeight() + "x"
          + image.getWidth() + " but the space is " + Arrays.toString(s));
    }
    byte[] out = new byte[h * w * c];
    Raster raster = image.getRaster();
    boolean gray = raster.getNumBands() == 1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = (y * w + x) * c;
        if (gray) {
          int v = raster.getSample(x, y, 0);
          for (int k = 0; k < c; k++) {
            out[at + k] = (byte) v;
          }
        } else {
          int rgb = image.getRGB(x, y);
          int[] px = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
          for (int k = 0; k < c; k++) {
            out[at + k] = (byte) (c == 1 ? (px[0] * 299 + px[1] * 587 + px[2] * 114) / 1000 : px[Math.min(k, 2)]);
          }
        }
      }
    }
    return out;
  }
}
