package dev.rld.format;

import static dev.rld.format.RolloutSchema.ACTIONS;
import static dev.rld.format.RolloutSchema.OBSERVATIONS;
import static dev.rld.format.RolloutSchema.REWARDS;

import dev.rld.space.Space;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes episodes to an Arrow IPC file in the rollout format (docs/format.md), from any loop or
 * simulator. {@link dev.rld.env.RecordingEnv} drives one for an {@code Env}.
 *
 * <pre>{@code
 * try (RolloutWriter w = RolloutWriter.builder(path).spaces(obsSpace, actSpace).envId("My-v0").open()) {
 *   w.beginEpisode(seed, Map.of(), firstObservation, Map.of());
 *   w.step(action, reward, terminated, truncated, nextObservation, info, AgentOutput.none());
 * }
 * }</pre>
 *
 * <p>Every observation and action is checked against its space; a mismatch throws at once,
 * naming the episode, step, column and value, and nothing of that step is written.
 *
 * <p>Rows are buffered on the caller's thread and handed, a record batch at a time, to a
 * background thread that encodes and writes them, so that a step costs little more than a few
 * array stores. A batch is handed over at the end of an episode (once {@link
 * Builder#minBatchRows} rows wait), every {@link Builder#flushEverySteps} rows within an episode,
 * at the first step or episode end after {@link Builder#flushInterval} has passed since the last
 * batch (default 1 s), at {@link #flush}, and at {@link #close}. So a killed process loses about
 * the last flush interval of steps at most. At most 4 batches wait for the
 * background thread: when it falls that far behind (a slow disk), recording blocks until it
 * catches up. A failure of the background thread is thrown, as an {@link IOException}, by the
 * next call on the writer or by {@link #close}. Not thread-safe: use one writer (one file) per
 * actor.
 */
public final class RolloutWriter implements AutoCloseable {
  private final Path file;
  private final RolloutHeader header;
  private final int flushEverySteps;
  private final int minBatchRows;
  private final long flushIntervalNanos;
  private final SpaceCodec observationCodec;
  private final SpaceCodec actionCodec;
  private final BufferAllocator allocator = new RootAllocator();
  private final Map<String, String> footer = new HashMap<>();
  private final EpisodeIndex index = new EpisodeIndex();
  private final BufferedFileChannel out;

  private BatchSink sink;
  private BatchColumns columns;
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
    ArrowRuntime.check();
    this.file = b.file;
    this.header = new RolloutHeader(RolloutSchema.FORMAT_VERSION, b.envId, b.observationSpace,
        b.actionSpace, b.metadata, RolloutSchema.recorderVersion(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    this.flushIntervalNanos = b.flushInterval.toNanos();
    this.observationCodec = SpaceCodec.of(b.observationSpace);
    this.actionCodec = SpaceCodec.of(b.actionSpace);
    this.flushEverySteps = b.flushEverySteps > 0 ? b.flushEverySteps : defaultBatchRows();
    this.minBatchRows = b.minBatchRows > 0 ? b.minBatchRows : flushEverySteps;
    this.out = new BufferedFileChannel(FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
  }

  /**
   * Rows per batch by default: about {@value #DEFAULT_BATCH_BYTES} bytes of observations and
   * actions, at most {@value #DEFAULT_BATCH_ROWS} rows. Large batches make the per-batch costs
   * (~600 B of metadata, a write on the writer thread, a hand-over) negligible per step; the
   * flush interval, not the batch size, bounds what a crash loses.
   */
  private int defaultBatchRows() {
    // reward, episode id, info offset and flag bits come with every row too.
    long rowBytes = observationCodec.bytesPerRow() + actionCodec.bytesPerRow() + 17;
    return (int) Math.max(16, Math.min(DEFAULT_BATCH_ROWS, DEFAULT_BATCH_BYTES / rowBytes));
  }

  static final int DEFAULT_BATCH_ROWS = 4096;
  static final long DEFAULT_BATCH_BYTES = 2L << 20;

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
    private int flushEverySteps; // 0: about 2 MiB, at most 4096 rows
    private int minBatchRows; // 0: flushEverySteps
    private Duration flushInterval = Duration.ofSeconds(1);

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

    /**
     * Hand over a record batch once it holds this many rows, within an episode too (default:
     * rows of about 2 MiB of observations and actions, at most 4096).
     */
    public Builder flushEverySteps(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("flushEverySteps must be at least 1, got " + steps);
      }
      this.flushEverySteps = steps;
      return this;
    }

    /**
     * Let an episode end hand over a batch only once at least {@code rows} rows are waiting
     * (default: {@code flushEverySteps}, so short episodes share batches; the flush interval
     * bounds what a crash loses). 1 writes a batch at every episode end: each finished episode
     * reaches the file at once, at the cost of ~600 B and a batch write per episode.
     */
    public Builder minBatchRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("minBatchRows must be at least 1, got " + rows);
      }
      this.minBatchRows = rows;
      return this;
    }

    /**
     * Hand a batch to the file at least this often while steps are recorded (default 1 s), even
     * when no row threshold is reached: the time a crash can lose. Checked at each step and
     * episode end, so rows recorded after a long pause reach the file with the next step.
     */
    public Builder flushInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("flushInterval must be positive, got " + interval);
      }
      this.flushInterval = interval;
      return this;
    }

    /** Creates the file; spaces must have been given. */
    public RolloutWriter open() throws IOException {
      if (observationSpace == null) {
        throw new IllegalStateException("RolloutWriter needs spaces(observationSpace, actionSpace)");
      }
      // What the reader would refuse is refused before anything is recorded.
      dev.rld.space.SpaceJson.checkFlatSize(observationSpace);
      dev.rld.space.SpaceJson.checkFlatSize(actionSpace);
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
   * Starts an episode: the seed and options {@code reset} was called with (either may be null),
   * and the observation and info it returned. An episode still in progress is ended first
   * (neither terminated nor truncated).
   */
  public void beginEpisode(Long seed, Map<String, Object> options, Object observation,
      Map<String, Object> info) throws IOException {
    ensureOpen();
    endEpisode();
    check(header.observationSpace(), observation, episodeId + 1, 0, OBSERVATIONS);
    byte[] infoJson = InfoJson.reset(seed, options, info, episodeId + 1);
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
    byte[] nextInfo = InfoJson.of(info, episodeId, episodeSteps + 1);
    AgentOutput agent = agentOutput == null ? AgentOutput.none() : agentOutput;
    if (columns == null) {
      start(agent);
    }
    String agentMismatch = columns.agentMismatch(agent);
    if (agentMismatch != null) {
      throw new IllegalArgumentException(where(episodeId, episodeSteps, "agent outputs") + agentMismatch);
    }
    writeRow(pendingObservation, pendingInfo, action, reward, terminated, truncated, agent);
    episodeSteps++;
    episodeReturn += reward;
    pendingObservation = nextObservation;
    pendingInfo = nextInfo;
    if (terminated || truncated) {
      finishEpisode(terminated, truncated);
    } else if (batchRows >= flushEverySteps || sink.flushDue) {
      handOver();
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

  static String where(int episode, int step, String column) {
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
    if (batchRows >= minBatchRows || sink.flushDue) {
      handOver();
    }
  }

  private void start(AgentOutput first) throws IOException {
    Schema schema = RolloutSchema.build(header, first);
    sink = new BatchSink(file.toString(), schema, allocator, out, footer, index, flushIntervalNanos,
        () -> new BatchColumns(schema, observationCodec, actionCodec));
    columns = sink.columns();
  }

  /** A row; {@code action == null} marks the final row of an episode (no action, reward, flags). */
  private void writeRow(Object observation, byte[] info, Object action, double reward,
      boolean terminated, boolean truncated, AgentOutput agent) {
    columns.episodeId.appendInt(episodeId);
    observationCodec.append(columns.observations, observation);
    if (action == null) {
      columns.actions.appendNull();
      columns.rewards.appendNull();
      columns.terminations.appendNull();
      columns.truncations.appendNull();
    } else {
      actionCodec.append(columns.actions, action);
      columns.rewards.appendDouble(reward);
      columns.terminations.append(terminated);
      columns.truncations.append(truncated);
    }
    columns.infos.append(info);
    columns.appendAgent(agent);
    batchRows++;
  }

  /**
   * Hands the rows recorded so far to the file now, without waiting for a row threshold or the
   * flush interval, e.g. before a long pause (a training update): the interval is only checked
   * when a step is recorded, so rows recorded just before a pause otherwise wait for the next
   * step. Each call may write a small record batch: call it at pauses, not at every step.
   */
  public void flush() throws IOException {
    ensureOpen();
    handOver();
  }

  private void handOver() throws IOException {
    if (batchRows == 0) {
      return;
    }
    BatchColumns full = columns;
    columns = sink.columns();
    int rows = batchRows;
    fileRows += batchRows;
    batchRows = 0;
    sink.submit(full, rows);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IllegalStateException("RolloutWriter for " + file + " is closed");
    }
    if (sink != null) {
      sink.checkFailure();
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
      handOver();
      sink.drain();
      String indexJson = index.toJson();
      footer.put(RolloutSchema.KEY_INDEX, indexJson);
      footer.put(RolloutSchema.KEY_INDEX_CRC, Long.toString(
          Crc.of(java.nio.ByteBuffer.wrap(indexJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
      sink.end();
    } finally {
      closed = true;
      try {
        if (sink != null) {
          sink.close();
        }
        out.close();
      } finally {
        allocator.close();
      }
    }
  }
}
