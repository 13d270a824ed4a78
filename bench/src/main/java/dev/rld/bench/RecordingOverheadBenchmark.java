package dev.rld.bench;

import dev.rld.env.Env;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per CartPole step, bare and wrapped by {@link RecordingEnv} writing to a file. The
 * difference is the recording overhead per step (target: recorded at most 2x bare). {@code
 * minBatchRows} 0 is the writer's default (short episodes share batches, the 1 s flush interval
 * bounds durability); 1 writes a record batch at every episode end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
@State(Scope.Thread)
public class RecordingOverheadBenchmark {
  @Param({"BALANCED", "RANDOM"})
  public CartPoleAgents agent;

  /** 0: the writer's default (batches of up to 8192 rows, shared by short episodes). */
  @Param({"0", "1"})
  public int minBatchRows;

  private Env<float[], Integer> bare;
  private RecordingEnv<float[], Integer> recorded;
  private Path file;
  private float[] bareObs;
  private float[] recordedObs;
  private long seed;

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    bare = new CartPole();
    bareObs = bare.reset(0).observation();
    // A fresh file each iteration keeps the files of a run to a few hundred MB.
    file = Files.createTempFile("rld-bench-", ".arrow");
    RolloutWriter.Builder options = RolloutWriter.builder(file);
    recorded = new RecordingEnv<>(new CartPole(), minBatchRows == 0 ? options : options.minBatchRows(minBatchRows));
    recordedObs = recorded.reset(0).observation();
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    recorded.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public float[] bareStep() {
    Step<float[]> s = bare.step(agent.act(bareObs));
    bareObs = s.done() ? bare.reset(++seed).observation() : s.observation();
    return bareObs;
  }

  @Benchmark
  public float[] recordedStep() {
    Step<float[]> s = recorded.step(agent.act(recordedObs));
    recordedObs = s.done() ? recorded.reset(++seed).observation() : s.observation();
    return recordedObs;
  }
}
