package dev.rld.samples.agents;

import dev.rld.format.AgentOutput;
import dev.rld.format.RolloutMetadata;
import dev.rld.format.RolloutWriter;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a trainer's training episodes in a recording, with the policy's outputs at that time: every
 * {@code every}-th episode and every episode whose return beats all before it, so the recording's
 * overview is the learning curve and any kept episode replays. Each kept episode's reset info says
 * its training episode number ({@code training_episode}); the metadata says which were kept. An
 * episode is held in memory until it ends (whether it is a new best is known only then).
 * {@link #none()} keeps nothing.
 */
public final class TrainingRecorder implements AutoCloseable {
  private final RolloutWriter writer;
  private final int every;
  private long episode = -1;
  private double best = Double.NEGATIVE_INFINITY;
  private int kept;
  private Pending pending;

  private record Move(Object action, double reward, boolean terminated, boolean truncated, Object next,
      Map<String, Object> info, AgentOutput output) {}

  private record Pending(Long seed, Object observation, Map<String, Object> info, List<Move> moves) {}

  private TrainingRecorder(RolloutWriter writer, int every) {
    this.writer = writer;
    this.every = every;
  }

  /** A recorder that keeps nothing (training without {@code --out}). */
  public static TrainingRecorder none() {
    return new TrainingRecorder(null, Integer.MAX_VALUE);
  }

  /**
   * Records into {@code file} (overwritten) the training of {@code agent} in {@code envId}: every
   * {@code every}-th episode (from the first) and every new best.
   */
  public static TrainingRecorder open(Path file, String envId, String agent, Space observationSpace,
      Space actionSpace, int every) throws IOException {
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1, got " + every);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("training", true);
    extra.put("kept", "every " + every + (every == 1 ? "st" : "th") + " training episode and every new best return");
    extra.put("every", every);
    RolloutMetadata metadata = new RolloutMetadata("training of " + agent + " in " + envId,
        "Training episodes as the agent played them, with its outputs at that time; the reset info's "
            + "training_episode numbers them.", agent, extra);
    RolloutWriter w = RolloutWriter.builder(file).spaces(observationSpace, actionSpace).envId(envId)
        .metadata(metadata).open();
    return new TrainingRecorder(w, every);
  }

  /** Whether anything is kept (a trainer may skip work, e.g. computing outputs, when not). */
  public boolean recording() {
    return writer != null;
  }

  /** A training episode starts: the seed and the reset's observation and info. */
  public void begin(Long seed, Object observation, Map<String, Object> info) {
    episode++;
    pending = writer == null ? null : new Pending(seed, observation, info, new ArrayList<>());
  }

  /** One step of the current training episode, with what the policy output for it. */
  public void step(Object action, double reward, boolean terminated, boolean truncated, Object next,
      Map<String, Object> info, AgentOutput output) {
    if (pending != null) {
      pending.moves().add(new Move(action, reward, terminated, truncated, next, info, output));
    }
  }

  /** The current training episode ended: it is written if it is an every-th one or a new best. */
  public void end() throws IOException {
    if (pending == null) {
      return;
    }
    double ret = pending.moves().stream().mapToDouble(Move::reward).sum();
    boolean newBest = ret > best;
    best = Math.max(best, ret);
    if (episode % every == 0 || newBest) {
      Map<String, Object> info = new LinkedHashMap<>(pending.info());
      info.put("training_episode", episode);
      writer.beginEpisode(pending.seed(), null, pending.observation(), info);
      for (Move m : pending.moves()) {
        writer.step(m.action(), m.reward(), m.terminated(), m.truncated(), m.next(), m.info(), m.output());
      }
      writer.endEpisode();
      // kept episodes come in bursts between long stretches of training: each reaches the file
      // (and a live rld serve) now rather than at the next kept episode
      writer.flush();
      kept++;
    }
    pending = null;
  }

  /** Episodes written so far. */
  public int kept() {
    return kept;
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
