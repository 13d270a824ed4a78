package dev.rld.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A range of rows of one episode, read from a {@link Rollout}: row {@code i} is step
 * {@code from() + i}. Values come back as the spaces' Java types. Holds Arrow memory until
 * closed.
 */
public final class Steps implements AutoCloseable {
  private final EpisodeSummary episode;
  private final int from;
  private final VectorSchemaRoot root;
  private final SpaceCodec observationCodec;
  private final SpaceCodec actionCodec;

  Steps(EpisodeSummary episode, int from, VectorSchemaRoot root, RolloutHeader header) {
    this.episode = episode;
    this.from = from;
    this.root = root;
    this.observationCodec = SpaceCodec.of(header.observationSpace());
    this.actionCodec = SpaceCodec.of(header.actionSpace());
  }

  public EpisodeSummary episode() {
    return episode;
  }

  /** The step number of row 0. */
  public int from() {
    return from;
  }

  /** Number of rows. */
  public int size() {
    return root.getRowCount();
  }

  /** Whether the file has this column (agent outputs are optional). */
  public boolean has(String column) {
    return root.getSchema().getFields().stream().anyMatch(f -> f.getName().equals(column));
  }

  public Object observation(int i) {
    return observationCodec.read(root.getVector(RolloutSchema.OBSERVATIONS), i);
  }

  /** The action taken at row {@code i}, or null on the final row of an episode. */
  public Object action(int i) {
    return actionCodec.read(root.getVector(RolloutSchema.ACTIONS), i);
  }

  /** The reward the action of row {@code i} brought, or null on the final row. */
  public Double reward(int i) {
    Float8Vector v = (Float8Vector) root.getVector(RolloutSchema.REWARDS);
    return v.isNull(i) ? null : v.get(i);
  }

  public boolean terminated(int i) {
    return flag(RolloutSchema.TERMINATIONS, i);
  }

  public boolean truncated(int i) {
    return flag(RolloutSchema.TRUNCATIONS, i);
  }

  private boolean flag(String column, int i) {
    BitVector v = (BitVector) root.getVector(column);
    return !v.isNull(i) && v.get(i) == 1;
  }

  /** The info that came with observation {@code i} (reset's info for row 0), or an empty map. */
  public Map<String, Object> info(int i) {
    VarCharVector v = (VarCharVector) root.getVector(RolloutSchema.INFOS);
    if (v == null || v.isNull(i)) {
      return Map.of();
    }
    try {
      return RolloutSchema.userInfo(v.get(i));
    } catch (IOException e) {
      throw new UncheckedIOException("infos of step " + (from + i) + " is not a JSON object", e);
    }
  }

  /** Action probabilities the agent recorded at row {@code i}, or null. */
  public float[] probabilities(int i) {
    return floats(RolloutSchema.PROBABILITIES, i);
  }

  /** Action logits the agent recorded at row {@code i}, or null. */
  public float[] logits(int i) {
    return floats(RolloutSchema.LOGITS, i);
  }

  private float[] floats(String column, int i) {
    FixedSizeListVector v = (FixedSizeListVector) root.getVector(column);
    if (v == null || v.isNull(i)) {
      return null;
    }
    Float4Vector data = (Float4Vector) v.getDataVector();
    float[] out = new float[v.getListSize()];
    for (int j = 0; j < out.length; j++) {
      out[j] = data.get(i * out.length + j);
    }
    return out;
  }

  /** The value estimate the agent recorded at row {@code i}, or null. */
  public Float value(int i) {
    Float4Vector v = (Float4Vector) root.getVector(RolloutSchema.VALUE);
    return v == null || v.isNull(i) ? null : v.get(i);
  }

  /** The named scalars the agent recorded at row {@code i} (empty when none). */
  public Map<String, Double> scalars(int i) {
    StructVector v = (StructVector) root.getVector(RolloutSchema.SCALARS);
    Map<String, Double> out = new LinkedHashMap<>();
    if (v == null || v.isNull(i)) {
      return out;
    }
    for (FieldVector child : v.getChildrenFromFields()) {
      if (!child.isNull(i)) {
        out.put(child.getName(), ((Float8Vector) child).get(i));
      }
    }
    return out;
  }

  /** The rows as Arrow vectors, e.g. to send as an IPC stream. Owned by this object. */
  public VectorSchemaRoot arrow() {
    return root;
  }

  @Override
  public void close() {
    root.close();
  }
}
