package dev.rld.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checks a record batch's field nodes and buffers against the schema and its body before Arrow
 * loads it, and keeps only the columns the format knows (unknown ones are skipped, never
 * loaded). Every length is checked before anything is allocated: a node's length against its
 * parent's (row count, list width), every buffer against that length and the body, so that a
 * batch costs at most about its own size in memory however its metadata lies.
 */
final class BatchDecoder {
  /** The columns the reader loads; any other column is ignored (docs/format.md section 4). */
  static final Set<String> KNOWN = Set.of(RolloutSchema.EPISODE_ID, RolloutSchema.OBSERVATIONS,
      RolloutSchema.ACTIONS, RolloutSchema.REWARDS, RolloutSchema.TERMINATIONS, RolloutSchema.TRUNCATIONS,
      RolloutSchema.INFOS, RolloutSchema.PROBABILITIES, RolloutSchema.LOGITS, RolloutSchema.VALUE,
      RolloutSchema.SCALARS);

  /** A batch that does not fit its schema or body; the message says where. */
  static final class BadBatch extends Exception {
    BadBatch(String message) {
      super(message);
    }
  }

  private final RecordBatch fb;
  private final ArrowBuf body;
  private final long bodyLength;
  private final List<ArrowFieldNode> nodes = new ArrayList<>();
  private final List<ArrowBuf> buffers = new ArrayList<>();
  private int node;
  private int buffer;

  private BatchDecoder(RecordBatch fb, ArrowBuf body, long bodyLength) {
    this.fb = fb;
    this.body = body;
    this.bodyLength = bodyLength;
  }

  /** The schema the reader works with: the file's, without the columns it does not know. */
  static Schema known(Schema full) {
    return new Schema(full.getFields().stream().filter(f -> KNOWN.contains(f.getName())).toList(),
        full.getCustomMetadata());
  }

  /**
   * The batch's known columns as an {@link ArrowRecordBatch} over slices of {@code body} (the
   * caller closes it), after checking every node and buffer.
   */
  static ArrowRecordBatch decode(Schema full, RecordBatch fb, ArrowBuf body) throws BadBatch {
    if (fb.compression() != null) {
      throw new BadBatch("it is compressed (the rollout format has no body compression)");
    }
    long rows = fb.length();
    if (rows < 0 || rows > Integer.MAX_VALUE) {
      throw new BadBatch("its row count " + rows + " is impossible");
    }
    BatchDecoder d = new BatchDecoder(fb, body, body.capacity());
    int wantNodes = 0;
    int wantBuffers = 0;
    for (Field f : full.getFields()) {
      wantNodes += nodeCount(f);
      wantBuffers += bufferCount(f);
    }
    if (fb.nodesLength() != wantNodes || fb.buffersLength() != wantBuffers) {
      throw new BadBatch("it has " + fb.nodesLength() + " field nodes and " + fb.buffersLength()
          + " buffers but its schema needs " + wantNodes + " and " + wantBuffers);
    }
    for (Field f : full.getFields()) {
      if (KNOWN.contains(f.getName())) {
        boolean noNulls = f.getName().equals(RolloutSchema.EPISODE_ID)
            || f.getName().equals(RolloutSchema.OBSERVATIONS);
        d.check(f, f.getName(), rows, true, noNulls);
      } else {
        d.node += nodeCount(f);
        d.buffer += bufferCount(f);
      }
    }
    return new ArrowRecordBatch((int) rows, d.nodes, d.buffers);
  }

  private void check(Field f, String name, long length, boolean exact, boolean noNulls) throws BadBatch {
    FieldNode n = fb.nodes(node++);
    long len = n.length();
    long nulls = n.nullCount();
    if (len > Integer.MAX_VALUE || (exact ? len != length : len < length)) {
      throw new BadBatch("column '" + name + "' has " + len + " values where " + length + " are needed");
    }
    if (nulls < 0 || nulls > len) {
      throw new BadBatch("column '" + name + "' claims " + nulls + " nulls in " + len + " values");
    }
    if (noNulls && nulls != 0) {
      throw new BadBatch("column '" + name + "' holds " + nulls + " nulls, which the format forbids there");
    }
    nodes.add(new ArrowFieldNode(len, nulls));
    ArrowBuf validity = buffer(name);
    if (validity.capacity() < bits(len) && !(validity.capacity() == 0 && (nulls == 0 || nulls == len))) {
      throw new BadBatch("column '" + name + "': its validity buffer is too short for " + len + " values");
    }
    if (noNulls && validity.capacity() > 0 && !allSet(validity, len)) {
      // Arrow uses a validity buffer it is given as it is, whatever the null count says.
      throw new BadBatch("column '" + name + "' holds nulls, which the format forbids there");
    }
    ArrowType type = f.getType();
    if (type instanceof ArrowType.Int i) {
      data(name, len * (i.getBitWidth() / 8));
    } else if (type instanceof ArrowType.FloatingPoint fp) {
      data(name, len * (fp.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE ? 8 : 4));
    } else if (type instanceof ArrowType.Bool) {
      data(name, bits(len));
    } else if (type instanceof ArrowType.Utf8) {
      utf8(name, len);
    } else if (type instanceof ArrowType.FixedSizeList l) {
      long width = l.getListSize();
      check(f.getChildren().get(0), name, Math.multiplyExact(len, width), true, noNulls);
    } else if (type instanceof ArrowType.Struct) {
      for (Field c : f.getChildren()) {
        check(c, name + "." + c.getName(), len, false, noNulls);
      }
    } else {
      // The schema check admits no other type in a known column.
      throw new BadBatch("column '" + name + "' has the unexpected type " + type);
    }
  }

  private ArrowBuf buffer(String name) throws BadBatch {
    Buffer b = fb.buffers(buffer++);
    long offset = b.offset();
    long length = b.length();
    if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
      throw new BadBatch("column '" + name + "': a buffer at " + offset + " of " + length
          + " bytes lies outside the batch body of " + bodyLength + " bytes");
    }
    ArrowBuf slice = body.slice(offset, length);
    buffers.add(slice);
    return slice;
  }

  private void data(String name, long bytes) throws BadBatch {
    if (buffer(name).capacity() < bytes) {
      throw new BadBatch("column '" + name + "': its data buffer is shorter than its " + bytes + " bytes of values");
    }
  }

  /** Offsets must start within, never decrease and end within the character data. */
  private void utf8(String name, long len) throws BadBatch {
    ArrowBuf offsets = buffer(name);
    ArrowBuf chars = buffer(name);
    if (len == 0) {
      return;
    }
    if (offsets.capacity() < (len + 1) * 4) {
      throw new BadBatch("column '" + name + "': its offsets buffer is too short for " + len + " values");
    }
    int previous = offsets.getInt(0);
    if (previous < 0) {
      throw new BadBatch("column '" + name + "': negative offset " + previous);
    }
    for (long i = 1; i <= len; i++) {
      int next = offsets.getInt(i * 4);
      if (next < previous || next > chars.capacity()) {
        throw new BadBatch("column '" + name + "': offset " + i + " (" + next + ") is out of order or past "
            + "the " + chars.capacity() + " bytes of text");
      }
      previous = next;
    }
  }

  private static boolean allSet(ArrowBuf bits, long n) {
    long i = 0;
    for (; i + 64 <= n; i += 64) {
      if (bits.getLong(i / 8) != -1L) {
        return false;
      }
    }
    for (; i < n; i++) {
      if ((bits.getByte(i / 8) >> (i % 8) & 1) == 0) {
        return false;
      }
    }
    return true;
  }

  private static long bits(long n) {
    return (n + 7) / 8;
  }

  private static int nodeCount(Field f) {
    int n = 1;
    for (Field c : f.getChildren()) {
      n += nodeCount(c);
    }
    return n;
  }

  private static int bufferCount(Field f) {
    int n = TypeLayout.getTypeBufferCount(f.getType());
    for (Field c : f.getChildren()) {
      n += bufferCount(c);
    }
    return n;
  }
}
