package dev.rld.samples.agents;

import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.GridWorld;
import dev.rld.samples.envs.Pendulum;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The sample policies packaged in the samples jar: the CartPole-v1 MLP trained in PyTorch
 * ({@code models/cartpole}), as ONNX at classpath {@value #CARTPOLE_RESOURCE}.
 */
public final class SamplePolicies {
  public static final String CARTPOLE_MODEL = "cartpole_mlp.onnx";
  public static final String CARTPOLE_RESOURCE = "/rld/models/" + CARTPOLE_MODEL;

  private static Policy cartPole;

  private SamplePolicies() {}

  /**
   * Copies the CartPole policy out of the jar to {@code file} (ONNX Runtime loads files),
   * replacing it, and returns the file.
   */
  public static Path extractCartPoleModel(Path file) throws IOException {
    try (InputStream in = SamplePolicies.class.getResourceAsStream(CARTPOLE_RESOURCE)) {
      if (in == null) {
        throw new IOException("the sample policy " + CARTPOLE_MODEL + " is missing from the samples jar");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /**
   * The CartPole policy (outputs: logits), loaded once per JVM from a temporary copy of the
   * model; it is safe for concurrent use, so agents share it and nobody closes it.
   */
  public static synchronized Policy cartPole() {
    if (cartPole == null) {
      try {
        Path file = Files.createTempFile("rld-cartpole-", ".onnx");
        file.toFile().deleteOnExit();
        cartPole = OnnxPolicy.load(extractCartPoleModel(file), Policy.Output.LOGITS);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the sample CartPole policy: " + e.getMessage(), e);
      }
    }
    return cartPole;
  }

  /**
   * {@link PendulumSwingUp} as a Java policy of actions: the torque it applies for a flattened
   * Pendulum-v1 observation [cos θ, sin θ, θ̇].
   */
  public static Policy pendulum() {
    PendulumSwingUp agent = PendulumSwingUp.forEnv(new Pendulum());
    return Policy.ofObservation(3, 1, Policy.Output.ACTIONS, obs -> agent.act(obs).action());
  }

  /**
   * {@link QLearning} as a Java policy of logits: its Q values divided by its temperature, whose
   * softmax is the distribution it draws from. Input: a PeterAndTheWolf-v0 observation flattened
   * as Gymnasium does, the board's {@code SIZE²} cells and then the position's row and column
   * one-hot ({@code SIZE + SIZE}).
   */
  public static Policy gridWorld() {
    QLearning agent = new QLearning();
    int cells = GridWorld.SIZE * GridWorld.SIZE;
    return Policy.ofObservation(cells + 2 * GridWorld.SIZE, 4, Policy.Output.LOGITS, obs -> {
      byte[] board = new byte[cells];
      for (int i = 0; i < cells; i++) {
        board[i] = (byte) Math.round(obs[i]);
      }
      long[] position = {argmax(obs, cells, GridWorld.SIZE), argmax(obs, cells + GridWorld.SIZE, GridWorld.SIZE)};
      double[] q = agent.qValues(Map.of("board", board, "position", position));
      float[] logits = new float[q.length];
      for (int a = 0; a < q.length; a++) {
        logits[a] = (float) (q[a] / QLearning.TEMPERATURE);
      }
      return logits;
    });
  }

  private static int argmax(float[] v, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[from + i] > v[from + best]) {
        best = i;
      }
    }
    return best;
  }
}
