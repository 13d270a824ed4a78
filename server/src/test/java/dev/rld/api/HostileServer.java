package dev.rld.api;

import dev.rld.env.Env;
import dev.rld.env.RecordingEnv;
import dev.rld.env.Reset;
import dev.rld.env.Step;
import dev.rld.format.RolloutWriter;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import dev.rld.space.Discrete;
import dev.rld.space.Space;
import dev.rld.testing.LineWalk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server the hostile requests are sent to: a LineWalk recording ({@code line-walk}, a
 * 2-element float Box, episode 0 of 5 001 rows) and a small image recording ({@code dots}, a
 * uint8 Box [2, 16, 16], episode 0 of 5 001 rows), each with a Java policy that counts its
 * calls. Public because bench/ drives the same server at full scale.
 */
public final class HostileServer implements AutoCloseable {
  public static final String LINE_WALK = "line-walk";
  public static final String DOTS = "dots";
  public static final int LONG_EPISODE = 5_000;
  static final int SIDE = 16;
  static final int[] IMAGE_SHAPE = {2, SIDE, SIDE};
  static final int IMAGE_SIZE = 2 * SIDE * SIDE;

  /** Calls of either policy: a refused request must not add any. */
  public final AtomicInteger policyCalls = new AtomicInteger();
  /**
   * While set, a policy call throws: a request that the contract says is refused before any work
   * then ends quickly (as a 500) on a server that does the work anyway, instead of computing for
   * minutes.
   */
  public volatile boolean tripwire;
  /** Milliseconds each policy call sleeps: makes a computation long enough to be cancelled. */
  public volatile int slowMillis;
  public final RldServer server;

  private HostileServer(Path dir) throws IOException {
    Path lineWalk = dir.resolve(LINE_WALK + ".arrow");
    Path dots = dir.resolve(DOTS + ".arrow");
    record(new LineWalk(LONG_EPISODE), lineWalk, obs -> obs[0] > 0 ? 0 : 2);
    record(new Dots(), dots, obs -> Byte.toUnsignedInt(obs[SIDE * SIDE]) > 0 ? 1 : 2);
    server = RldServer.builder()
        .recording(lineWalk, counting(Policy.of(2, 3, Policy.Output.LOGITS, HostileServer::lineWalkLogits)))
        .recording(dots, counting(Policy.of(IMAGE_SIZE, 3, Policy.Output.LOGITS, HostileServer::dotsLogits)))
        .port(0).start();
  }

  /** Records both recordings in {@code dir} and starts the server on a free loopback port. */
  public static HostileServer start(Path dir) throws IOException {
    return new HostileServer(dir);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private Policy counting(Policy inner) {
    return Policy.of(inner.inputSize(), inner.outputSize(), inner.output(), (obs, batch) -> {
      policyCalls.incrementAndGet();
      if (tripwire) {
        throw new IllegalStateException("tripwire: the policy ran for a request that must be refused first");
      }
      int ms = slowMillis;
      if (ms > 0) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // a cancelled computation: stop sleeping
        }
      }
      return inner.evaluate(obs, batch);
    });
  }

  private static float[] lineWalkLogits(float[] obs, int batch) {
    float[] out = new float[batch * 3];
    for (int b = 0; b < batch; b++) {
      float x = obs[2 * b];
      float v = obs[2 * b + 1];
      out[3 * b] = x + 2 * v;
      out[3 * b + 1] = 0.3f + 0.2f * x - 0.1f * v;
      out[3 * b + 2] = 0.1f - x - 2.5f * v;
    }
    return out;
  }

  /** Left half against right half of the current frame, so occlusion has something to find. */
  private static float[] dotsLogits(float[] obs, int batch) {
    float[] out = new float[batch * 3];
    for (int b = 0; b < batch; b++) {
      float left = 0;
      float right = 0;
      int frame = b * IMAGE_SIZE + SIDE * SIDE;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          float p = obs[frame + y * SIDE + x] / 255f;
          if (x < SIDE / 2) {
            left += p;
          } else {
            right += p;
          }
        }
      }
      out[3 * b] = 0.1f;
      out[3 * b + 1] = left - right;
      out[3 * b + 2] = right - left;
    }
    return out;
  }

  interface Agent<O> {
    int act(O observation);
  }

  /** Episode 0 runs to the env's step limit (the long one), then two short episodes. */
  private static <O> void record(Env<O, Integer> env, Path file, Agent<O> agent) throws IOException {
    try (var rec = new RecordingEnv<>(env, RolloutWriter.builder(file))) {
      for (int e = 0; e < 3; e++) {
        O obs = rec.reset(e + 1L).observation();
        int limit = e == 0 ? Integer.MAX_VALUE : 20;
        for (int t = 0; t < limit; t++) {
          Step<O> s = rec.step(agent.act(obs));
          obs = s.observation();
          if (s.terminated() || s.truncated()) {
            break;
          }
        }
      }
    }
  }

  /**
   * A 16×16 grey frame with a bright dot wandering over it; the observation stacks the previous
   * and the current frame, as Catch-v0 does with 84×84. Truncated after {@link #LONG_EPISODE}.
   */
  static final class Dots implements Env<byte[], Integer> {
    private int x;
    private int y;
    private int t;
    private byte[] previous;

    @Override
    public Reset<byte[]> reset(Long seed, Map<String, Object> options) {
      long s = seed == null ? 0 : seed;
      x = (int) Math.floorMod(s * 5, SIDE);
      y = (int) Math.floorMod(s * 3, SIDE);
      t = 0;
      previous = frame();
      return new Reset<>(observation(previous), Map.of());
    }

    @Override
    public Step<byte[]> step(Integer action) {
      x = Math.floorMod(x + action - 1, SIDE);
      y = (y + 1) % SIDE;
      t++;
      byte[] obs = observation(frame());
      return new Step<>(obs, x < SIDE / 2 ? 1 : 0, false, t >= LONG_EPISODE, Map.of());
    }

    private byte[] frame() {
      byte[] f = new byte[SIDE * SIDE];
      for (int i = 0; i < f.length; i++) {
        f[i] = (byte) (40 + (i % 7) * 3);
      }
      f[y * SIDE + x] = (byte) 255;
      return f;
    }

    private byte[] observation(byte[] current) {
      byte[] obs = new byte[IMAGE_SIZE];
      System.arraycopy(previous, 0, obs, 0, SIDE * SIDE);
      System.arraycopy(current, 0, obs, SIDE * SIDE, SIDE * SIDE);
      previous = current;
      return obs;
    }

    @Override
    public Space observationSpace() {
      return Box.of(DType.UINT8, 0, 255, IMAGE_SHAPE);
    }

    @Override
    public Space actionSpace() {
      return new Discrete(3);
    }

    @Override
    public String id() {
      return "Dots-v0";
    }
  }
}
