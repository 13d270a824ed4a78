package dev.rld.format;

import static dev.rld.format.RolloutSchema.ACTIONS;
import static dev.rld.format.RolloutSchema.EPISODE_ID;
import static dev.rld.format.RolloutSchema.INFOS;
import static dev.rld.format.RolloutSchema.LOGITS;
import static dev.rld.format.RolloutSchema.OBSERVATIONS;
import static dev.rld.format.RolloutSchema.PROBABILITIES;
import static dev.rld.format.RolloutSchema.REWARDS;
import static dev.rld.format.RolloutSchema.SCALARS;
import static dev.rld.format.RolloutSchema.TERMINATIONS;
import static dev.rld.format.RolloutSchema.TRUNCATIONS;
import static dev.rld.format.RolloutSchema.VALUE;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rld.space.Space;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes episodes to an Arrow IPC file in the rollout format (docs/format.md), from any loop or
 * simulator. {@link dev.rld.env.RecordingEnv} drives one for an {@code Env}.
 *
 * <pre>{@code
 * try (RolloutWriter w = RolloutWriter.builder(path).spaces(obsSpace, actSpace).envId("My-v0").open()) {
 *   w.beginEpisode(seed, firstObservation, Map.of());
 *   w.step(action, reward, terminated, truncated, nextObservation, info, AgentOutput.none());
 * }
 * }</pre>
 *
 * <p>Every observation and action is checked against its space; a mismatch throws at once,
 * naming the episode, step, column and value, and nothing of that step is written. Rows reach
 * the file in record batches at the end of each episode and every {@code flushEverySteps} steps,
 * so a killed process loses at most the unflushed part of one episode (see
 * {@link Builder#minBatchRows} to trade that for smaller files when episodes are very short). Not thread-safe: use one
 * writer (one file) per actor.
 */
public final class RolloutWriter implements AutoCloseable {
  private final Path file;
  private final RolloutHeader header;
  private final int flushEverySteps;
  private final int minBatchRows;
  private final SpaceCodec observationCodec;
  private final SpaceCodec actionCodec;
  private final BufferAllocator allocator = new RootAllocator();
  private final Map<String, String> footer = new HashMap<>();
  private final EpisodeIndex index = new EpisodeIndex();
  private final OutputStream out;

  private VectorSchemaRoot root;
  private ArrowFileWriter arrow;
  private Columns columns;
  private int batchRows;
  private long fileRows;

  private int episodeId = -1;
  private boolean inEpisode;
  private long episodeFirstRow;
  private int episodeSteps;
  private double episodeReturn;
  private Long episodeSeed;
  private Object pendingObservation;
  /** The info that came with the pending observation, as JSON; null when empty. */
  private byte[] pendingInfo;
  private boolean closed;

  private RolloutWriter(Builder b) throws IOException {
    this.file = b.file;
    this.header = new RolloutHeader(RolloutSchema.FORMAT_VERSION, b.envId, b.observationSpace,
        b.actionSpace, b.metadata, RolloutSchema.recorderVersion(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    this.flushEverySteps = b.flushEverySteps;
    this.minBatchRows = b.minBatchRows;
    this.observationCodec = SpaceCodec.of(b.observationSpace);
    this.actionCodec = SpaceCodec.of(b.actionSpace);
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
  }

  /** Starts describing a new file at {@code file} (overwritten if it exists). */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** Options of a new writer. */
  public static final class Builder {
    private final Path file;
    private Space observationSpace;
    private Space actionSpace;
    private String envId = "";
    private RolloutMetadata metadata = RolloutMetadata.empty();
    private int flushEverySteps = 1000;
    private int minBatchRows = 1;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    public Builder spaces(Space observationSpace, Space actionSpace) {
      this.observationSpace = Objects.requireNonNull(observationSpace, "observationSpace");
      this.actionSpace = Objects.requireNonNull(actionSpace, "actionSpace");
      return this;
    }

    public Builder envId(String envId) {
      this.envId = Objects.requireNonNull(envId, "envId");
      return this;
    }

    public Builder metadata(RolloutMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /** Flush a record batch every this many steps within long episodes (default 1000). */
    public Builder flushEverySteps(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("flushEverySteps must be at least 1, got " + steps);
      }
      this.flushEverySteps = steps;
      return this;
    }

    /**
     * Let an episode end flush only once at least {@code rows} rows are waiting (default 1: every
     * episode end flushes). Larger values suit very short episodes: fewer, larger record batches
     * cost less space per step, and a crash may lose the last few unflushed episodes.
     */
    public Builder minBatchRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("minBatchRows must be at least 1, got " + rows);
      }
      this.minBatchRows = rows;
      return this;
    }

    /** Creates the file; spaces must have been given. */
    public RolloutWriter open() throws IOException {
      if (observationSpace == null) {
        throw new IllegalStateException("RolloutWriter needs spaces(observationSpace, actionSpace)");
      }
      return new RolloutWriter(this);
    }
  }

  /** The file being written. */
  public Path file() {
    return file;
  }

  /** Episodes finished so far. */
  public int episodesWritten() {
    return index.episodes().size();
  }

  /**
   * Starts an episode with the observation and info {@code reset} returned. An episode still in
   * progress is ended first (neither terminated nor truncated).
   */
  public void beginEpisode(Long seed, Object observation, Map<String, Object> info) throws IOException {
    ensureOpen();
    endEpisode();
    check(header.observationSpace(), observation, episodeId + 1, 0, OBSERVATIONS);
    byte[] infoJson = infoJson(info, episodeId + 1, 0);
    episodeId++;
    inEpisode = true;
    episodeFirstRow = fileRows + batchRows;
    episodeSteps = 0;
    episodeReturn = 0;
    episodeSeed = seed;
    pendingObservation = observation;
    pendingInfo = infoJson;
  }

  /**
   * Records one transition: {@code action} taken at the current observation, the {@code reward}
   * and flags {@code step} returned, the next observation and its info, and what the agent
   * output for this step ({@link AgentOutput#none()} when nothing).
   */
  public void step(Object action, double reward, boolean terminated, boolean truncated,
      Object nextObservation, Map<String, Object> info, AgentOutput agentOutput) throws IOException {
    ensureOpen();
    if (!inEpisode) {
      throw new IllegalStateException("step() called before beginEpisode(): call reset first");
    }
    check(header.actionSpace(), action, episodeId, episodeSteps, ACTIONS);
    check(header.observationSpace(), nextObservation, episodeId, episodeSteps + 1, OBSERVATIONS);
    if (Double.isNaN(reward)) {
      throw new IllegalArgumentException(where(episodeId, episodeSteps, REWARDS) + "reward is NaN");
    }
    byte[] nextInfo = infoJson(info, episodeId, episodeSteps + 1);
    AgentOutput agent = agentOutput == null ? AgentOutput.none() : agentOutput;
    if (columns == null) {
      start(agent);
    }
    columns.checkAgent(agent, where(episodeId, episodeSteps, "agent outputs"));
    writeRow(pendingObservation, pendingInfo, action, reward, terminated, truncated, agent);
    episodeSteps++;
    episodeReturn += reward;
    pendingObservation = nextObservation;
    pendingInfo = nextInfo;
    if (terminated || truncated) {
      finishEpisode(terminated, truncated);
    } else if (batchRows >= flushEverySteps) {
      flush();
    }
  }

  /**
   * Ends the episode in progress without a terminal flag (the caller stopped early) and writes
   * its final observation. Does nothing when no episode is in progress; an episode with no step
   * is dropped.
   */
  public void endEpisode() throws IOException {
    if (inEpisode) {
      if (episodeSteps > 0) {
        finishEpisode(false, false);
      } else {
        inEpisode = false;
        episodeId--;
      }
    }
  }

  private static void check(Space space, Object value, int episode, int step, String column) {
    String why = space.mismatch(value);
    if (why != null) {
      throw new IllegalArgumentException(where(episode, step, column) + why);
    }
  }

  private static String where(int episode, int step, String column) {
    return "episode " + episode + ", step " + step + ", column '" + column + "': ";
  }

  private void finishEpisode(boolean terminated, boolean truncated) throws IOException {
    if (columns == null) {
      start(AgentOutput.none());
    }
    writeRow(pendingObservation, pendingInfo, null, 0, false, false, null);
    index.addEpisode(new EpisodeIndex.Entry(episodeId, episodeFirstRow, episodeSteps + 1,
        episodeSteps, episodeReturn, episodeSeed, terminated, truncated, true));
    inEpisode = false;
    pendingObservation = null;
    pendingInfo = null;
    if (batchRows >= minBatchRows) {
      flush();
    }
  }

  private void start(AgentOutput first) throws IOException {
    Schema schema = RolloutSchema.build(header, first);
    root = VectorSchemaRoot.create(schema, allocator);
    columns = new Columns(root);
    // The footer map is read when the file ends; the index is put into it then.
    arrow = new ArrowFileWriter(root, null, Channels.newChannel(out), footer);
    arrow.start();
    out.flush();
  }

  /** A row; {@code action == null} marks the final row of an episode (no action, reward, flags). */
  private void writeRow(Object observation, byte[] info, Object action, double reward,
      boolean terminated, boolean truncated, AgentOutput agent) throws IOException {
    int row = batchRows;
    columns.episodeId.setSafe(row, episodeId);
    observationCodec.write(columns.observations, row, observation);
    if (action == null) {
      columns.actions.setNull(row);
      columns.rewards.setNull(row);
      columns.terminations.setNull(row);
      columns.truncations.setNull(row);
    } else {
      actionCodec.write(columns.actions, row, action);
      columns.rewards.setSafe(row, reward);
      columns.terminations.setSafe(row, terminated ? 1 : 0);
      columns.truncations.setSafe(row, truncated ? 1 : 0);
    }
    if (info == null) {
      columns.infos.setNull(row);
    } else {
      columns.infos.setSafe(row, info);
    }
    columns.writeAgent(row, agent);
    batchRows++;
  }

  /** Serialised on arrival, so that a bad info fails the call that gave it. */
  private static byte[] infoJson(Map<String, Object> info, int episode, int step) {
    if (info == null || info.isEmpty()) {
      return null;
    }
    try {
      return RolloutSchema.JSON.writeValueAsBytes(info);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where(episode, step, INFOS)
          + "info is not JSON-serialisable: " + e.getOriginalMessage());
    }
  }

  private void flush() throws IOException {
    if (batchRows == 0) {
      return;
    }
    root.setRowCount(batchRows);
    arrow.writeBatch();
    out.flush();
    index.addBatch(batchRows);
    fileRows += batchRows;
    batchRows = 0;
    for (FieldVector v : root.getFieldVectors()) {
      v.reset();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("RolloutWriter for " + file + " is closed");
    }
  }

  /** Ends any episode in progress, writes the footer with the episode index, and releases memory. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      endEpisode();
      if (columns == null) {
        start(AgentOutput.none());
      }
      flush();
      footer.put(RolloutSchema.KEY_INDEX, index.toJson());
      arrow.end();
    } finally {
      closed = true;
      try {
        if (arrow != null) {
          arrow.close();
        }
        out.close();
      } finally {
        if (root != null) {
          root.close();
        }
        allocator.close();
      }
    }
  }

  /** The vectors of one file's columns, typed once. */
  private static final class Columns {
    final IntVector episodeId;
    final FieldVector observations;
    final FieldVector actions;
    final Float8Vector rewards;
    final BitVector terminations;
    final BitVector truncations;
    final VarCharVector infos;
    final FixedSizeListVector probabilities;
    final FixedSizeListVector logits;
    final Float4Vector value;
    final StructVector scalars;

    Columns(VectorSchemaRoot root) {
      episodeId = (IntVector) root.getVector(EPISODE_ID);
      observations = root.getVector(OBSERVATIONS);
      actions = root.getVector(ACTIONS);
      rewards = (Float8Vector) root.getVector(REWARDS);
      terminations = (BitVector) root.getVector(TERMINATIONS);
      truncations = (BitVector) root.getVector(TRUNCATIONS);
      infos = (VarCharVector) root.getVector(INFOS);
      probabilities = (FixedSizeListVector) root.getVector(PROBABILITIES);
      logits = (FixedSizeListVector) root.getVector(LOGITS);
      value = (Float4Vector) root.getVector(VALUE);
      scalars = (StructVector) root.getVector(SCALARS);
    }

    /** Agent outputs must fit the columns the first step fixed. */
    void checkAgent(AgentOutput a, String where) {
      checkList(a.probabilities(), probabilities, "probabilities", where);
      checkList(a.logits(), logits, "logits", where);
      if (a.value() != null && value == null) {
        throw new IllegalArgumentException(where + notDeclared("a value"));
      }
      for (String name : a.scalars().keySet()) {
        if (scalars == null || scalars.getChild(name) == null) {
          throw new IllegalArgumentException(where + notDeclared("scalar '" + name + "'"));
        }
      }
    }

    private static void checkList(float[] values, FixedSizeListVector column, String what, String where) {
      if (values == null) {
        return;
      }
      if (column == null) {
        throw new IllegalArgumentException(where + notDeclared(what));
      }
      if (values.length != column.getListSize()) {
        throw new IllegalArgumentException(where + what + " have " + values.length
            + " entries but the first step had " + column.getListSize());
      }
    }

    private static String notDeclared(String what) {
      return what + " given, but the first recorded step had none: the columns of a file are fixed "
          + "by its first step, so attach every kind of agent output from the first step on";
    }

    void writeAgent(int row, AgentOutput a) {
      writeList(probabilities, row, a == null ? null : a.probabilities());
      writeList(logits, row, a == null ? null : a.logits());
      if (value != null) {
        if (a == null || a.value() == null) {
          value.setNull(row);
        } else {
          value.setSafe(row, a.value());
        }
      }
      if (scalars != null) {
        if (a == null) {
          scalars.setNull(row);
          return;
        }
        scalars.setIndexDefined(row);
        for (FieldVector child : scalars.getChildrenFromFields()) {
          Double v = a.scalars().get(child.getName());
          if (v == null) {
            child.setNull(row);
          } else {
            ((Float8Vector) child).setSafe(row, v);
          }
        }
      }
    }

    private static void writeList(FixedSizeListVector column, int row, float[] values) {
      if (column == null) {
        return;
      }
      if (values == null) {
        column.setNull(row);
        return;
      }
      column.setNotNull(row);
      Float4Vector data = (Float4Vector) column.getDataVector();
      int base = row * values.length;
      for (int j = 0; j < values.length; j++) {
        data.setSafe(base + j, values[j]);
      }
    }
  }
}
