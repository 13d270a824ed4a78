package dev.rld.samples.agents;

import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.EnergyGridWorld;
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
 * The sample policies packaged in the samples jar: the PyTorch-trained ONNX models, the CartPole-v1
 * MLP ({@code models/cartpole}) at classpath {@value #CARTPOLE_RESOURCE} and the Catch-v0 CNN
 * ({@code models/catch}) at {@value #CATCH_RESOURCE}; and the Java agents as policies.
 */
public final class SamplePolicies {
  public static final String CARTPOLE_MODEL = "cartpole_mlp.onnx";
  public static final String CARTPOLE_RESOURCE = "/rld/models/" + CARTPOLE_MODEL;
  /** The same actor with a critic: outputs logits and value (models/cartpole/README.md). */
  public static final String CARTPOLE_ACTOR_CRITIC = "cartpole_ac.onnx";
  /** The same network early in its training (after round 0): the "before" of a comparison. */
  public static final String CARTPOLE_ROUND0 = "cartpole_mlp_round0.onnx";
  public static final String CATCH_MODEL = "catch_cnn.onnx";
  public static final String CATCH_RESOURCE = "/rld/models/" + CATCH_MODEL;

  private static Policy cartPole;
  private static Policy catchBall;

  private SamplePolicies() {}

  /**
   * Copies the CartPole policy out of the jar to {@code file} (ONNX Runtime loads files),
   * replacing it, and returns the file.
   */
  public static Path extractCartPoleModel(Path file) throws IOException {
    return extractModel(CARTPOLE_MODEL, file);
  }

  /** As {@link #extractCartPoleModel}, for the Catch-v0 policy. */
  public static Path extractCatchModel(Path file) throws IOException {
    return extractModel(CATCH_MODEL, file);
  }

  /**
   * Copies sample model {@code model} ({@link #CARTPOLE_MODEL}, {@link #CATCH_MODEL}) out of the
   * jar to {@code file}, replacing it, and returns the file.
   */
  public static Path extractModel(String model, Path file) throws IOException {
    try (InputStream in = SamplePolicies.class.getResourceAsStream("/rld/models/" + model)) {
      if (in == null) {
        throw new IOException("the sample policy " + model + " is missing from the samples jar");
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
      cartPole = loadShared(CARTPOLE_MODEL);
    }
    return cartPole;
  }

  /**
   * The Catch-v0 policy: a CNN taking the [2, 84, 84] observation as float32 pixel values 0..255
   * (it scales them itself) and giving the logits of stay, left, right. Loaded and shared like
   * {@link #cartPole()}.
   */
  public static synchronized Policy catchBall() {
    if (catchBall == null) {
      catchBall = loadShared(CATCH_MODEL);
    }
    return catchBall;
  }

  private static Policy loadShared(String model) {
    try {
      Path file = Files.createTempFile("rld-" + model.replace(".onnx", "") + "-", ".onnx");
      file.toFile().deleteOnExit();
      return OnnxPolicy.load(extractModel(model, file), Policy.Output.LOGITS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the sample policy " + model + ": " + e.getMessage(), e);
    }
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
   * The shipped {@link TinyPolicy} of {@code CartPoleBalance-v0} or {@code CartPoleSwingUp-v0} as
   * a Java policy of actions: the force in [-1, 1] (× 10 N), the mean of a Box action, for the
   * observation [x, ẋ, cos θ, sin θ, θ̇]; named after its form, e.g. "tiny linear".
   */
  public static Policy tiny(String envId) {
    TinyPolicy tiny = TinyPolicy.shipped(envId);
    return Policy.ofObservation(TinyPolicy.OBSERVATIONS, 1, Policy.Output.ACTIONS,
        obs -> new float[] {(float) tiny.act(obs)}).withName("tiny " + tiny.form().id());
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

  /** The harder grid world's Q-learning table as logits Q / τ over Gymnasium's flattened observation. */
  public static Policy energyGridWorld() {
    EnergyQLearning agent = new EnergyQLearning(0);
    int size = EnergyGridWorld.SIZE;
    int cells = size * size;
    // flattened in Gymnasium's sorted key order: board, energy, fatigue, position (one-hot per axis)
    return Policy.ofObservation(cells + 2 + 2 * size, 4, Policy.Output.LOGITS, obs -> {
      byte[] board = new byte[cells];
      for (int i = 0; i < cells; i++) {
        board[i] = (byte) Math.round(obs[i]);
      }
      Map<String, Object> o = Map.of("board", board, "energy", new byte[] {(byte) Math.round(obs[cells])},
          "fatigue", new byte[] {(byte) Math.round(obs[cells + 1])},
          "position", new long[] {argmax(obs, cells + 2, size), argmax(obs, cells + 2 + size, size)});
      double[] q = agent.qValues(o);
      float[] logits = new float[q.length];
      for (int a = 0; a < q.length; a++) {
        logits[a] = (float) (q[a] / EnergyQLearning.TEMPERATURE);
      }
      return logits;
    });
  }

  /** CartPole's Q-learning table: the probabilities it acts by. */
  public static Policy cartPoleQLearning() {
    CartPoleQLearning agent = new CartPoleQLearning(0);
    return Policy.ofObservation(4, 2, Policy.Output.PROBABILITIES, agent::policy);
  }
}
