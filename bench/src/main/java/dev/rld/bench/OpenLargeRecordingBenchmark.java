package dev.rld.bench;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening a 10 M-step CartPole recording and listing its episodes, in a 256 MB heap (target:
 * at most 1 s). The recording is made once and kept in the temp directory between runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m"})
@State(Scope.Benchmark)
public class OpenLargeRecordingBenchmark {
  static final long STEPS = 10_000_000;

  @Param({"BALANCED", "RANDOM"})
  public CartPoleAgents agent;

  private Path file;

  @Setup(Level.Trial)
  public void makeRecording() throws IOException {
    file = largeRecording(agent);
  }

  /** The 10 M-step recording for {@code agent}, made on first use. */
  static Path largeRecording(CartPoleAgents agent) throws IOException {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "rld-bench-10M-" + agent + ".arrow");
    if (Files.exists(file)) {
      return file;
    }
    Path partial = Path.of(file + ".partial");
    agent.record(RolloutWriter.builder(partial), STEPS);
    Files.move(partial, file);
    return file;
  }

  @Benchmark
  public int openAndListEpisodes() throws IOException {
    try (Rollout r = Rollout.open(file)) {
      List<EpisodeSummary> episodes = r.episodes();
      return episodes.size() + (int) episodes.get(episodes.size() - 1).totalReturn();
    }
  }
}
