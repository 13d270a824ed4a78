package dev.rld.format;

import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Dict;
import dev.rld.space.Discrete;
import dev.rld.space.MultiBinary;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.Tuple;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A space's column as Minari 0.5's Arrow store writes it: Box, MultiDiscrete and MultiBinary as
 * flat fixed-size lists of their dtype (row-major, whatever the shape), Discrete as int64, Dict
 * and Tuple as structs (Tuple fields "0", "1", …), and image spaces (uint8 Box of shape (H, W) or
 * (H, W, C), H and W at least 32, bounds 0 and 255) as one JPEG per row, which is what Minari
 * 0.5.3 reads back for such spaces. A padding row (Minari pads actions to N + 1 rows) is zeros.
 */
final class MinariColumns {
  /** JPEG quality for image rows: above PIL's default 75, so a round trip stays close. */
  static final float JPEG_QUALITY = 0.95f;

  private MinariColumns() {}

  /** The Arrow field of a column of {@code space} named {@code name}. */
  static Field field(String name, Space space) {
    if (space instanceof Dict d) {
      List<Field> children = new ArrayList<>();
      d.spaces().forEach((k, s) -> children.add(field(k, s)));
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    }
    if (space instanceof Tuple t) {
      List<Field> children = new ArrayList<>();
      for (int i = 0; i < t.spaces().size(); i++) {
        children.add(field(String.valueOf(i), t.spaces().get(i)));
      }
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    }
    if (space instanceof Discrete) {
      return Field.nullable(name, new ArrowType.Int(64, true));
    }
    if (isImage(space)) {
      return Field.nullable(name, ArrowType.Binary.INSTANCE);
    }
    Field item = Field.nullable("item", elementType(space));
    return new Field(name, FieldType.nullable(new ArrowType.FixedSizeList(size(space))), List.of(item));
  }

  /** Minari's test for a space it stores as JPEG images ({@code is_image_space}). */
  static boolean isImage(Space space) {
    if (!(space instanceof Box b) || b.dtype() != DType.UINT8) {
      return false;
    }
    int[] shape = b.shape();
    if ((shape.length != 2 && shape.length != 3) || shape[0] < 32 || shape[1] < 32) {
      return false;
    }
    if (shape.length == 3 && shape[2] != 1 && shape[2] != 3) {
      return false;
    }
    return Arrays.stream(b.low()).allMatch(v -> v == 0) && Arrays.stream(b.high()).allMatch(v -> v == 255);
  }

  private static int size(Space space) {
    if (space instanceof Box b) {
      return b.size();
    }
    if (space instanceof MultiDiscrete m) {
      return m.nvec().length;
    }
    return Arrays.stream(((MultiBinary) space).shape()).reduce(1, (a, b) -> a * b);
  }

  private static ArrowType elementType(Space space) {
    if (space instanceof MultiDiscrete) {
      return new ArrowType.Int(64, true);
    }
    if (space instanceof MultiBinary) {
      return new ArrowType.Int(8, true);
    }
    return switch (((Box) space).dtype()) {
      case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case INT32 -> new ArrowType.Int(32, true);
      case INT64 -> new ArrowType.Int(64, true);
      case UINT8 -> new ArrowType.Int(8, false);
    };
  }

  /**
   * Sets row {@code row} of {@code vector} (made from {@link #field}) to {@code value}, a value of
   * {@code space} as {@link Steps} gives it; null writes the padding row (zeros).
   */
  static void set(FieldVector vector, Space space, int row, Object value) {
    if (space instanceof Dict d) {
      StructVector struct = (StructVector) vector;
      struct.setIndexDefined(row);
      Map<?, ?> map = (Map<?, ?>) value;
      d.spaces().forEach((k, s) -> set((FieldVector) struct.getChild(k), s, row, map == null ? null : map.get(k)));
    } else if (space instanceof Tuple t) {
      StructVector struct = (StructVector) vector;
      struct.setIndexDefined(row);
      List<?> list = (List<?>) value;
      for (int i = 0; i < t.spaces().size(); i++) {
        set((FieldVector) struct.getChild(String.valueOf(i)), t.spaces().get(i), row, list == null ? null : list.get(i));
      }
    } else if (space instanceof Discrete) {
      ((BigIntVector) vector).setSafe(row, value == null ? 0 : ((Number) value).longValue());
    } else if (isImage(space)) {
      byte[] pixels = value == null ? new byte[((Box) space).size()] : (byte[]) value;
      ((VarBinaryVector) vector).setSafe(row, jpeg(pixels, ((Box) space).shape()));
    } else {
      setList((FixedSizeListVector) vector, size(space), row, value);
    }
  }

  private static void setList(FixedSizeListVector list, int size, int row, Object value) {
    int base = list.startNewValue(row);
    FieldVector data = list.getDataVector();
    for (int j = 0; j < size; j++) {
      int at = base + j;
      if (data instanceof Float4Vector v) {
        v.setSafe(at, value == null ? 0f : ((float[]) value)[j]);
      } else if (data instanceof Float8Vector v) {
        v.setSafe(at, value == null ? 0d : ((double[]) value)[j]);
      } else if (data instanceof IntVector v) {
        v.setSafe(at, value == null ? 0 : ((int[]) value)[j]);
      } else if (data instanceof BigIntVector v) {
        v.setSafe(at, value == null ? 0L : ((long[]) value)[j]);
      } else if (data instanceof UInt1Vector v) {
        v.setSafe(at, value == null ? 0 : ((byte[]) value)[j]);
      } else {
        ((TinyIntVector) data).setSafe(at, value == null ? 0 : ((byte[]) value)[j]);
      }
    }
  }

  /** One frame (row-major uint8, shape (H, W) or (H, W, C)) as a baseline JPEG, grey or RGB as PIL writes them. */
  static byte[] jpeg(byte[] pixels, int[] shape) {
    int h = shape[0];
    int w = shape[1];
    int c = shape.length == 3 ? shape[2] : 1;
    BufferedImage image = new BufferedImage(w, h, c == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * c;
        if (c == 3) {
          image.setRGB(x, y, (pixels[i] & 0xff) << 16 | (pixels[i + 1] & 0xff) << 8 | (pixels[i + 2] & 0xff));
        } else {
          image.getRaster().setSample(x, y, 0, pixels[i] & 0xff);
        }
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }
}
