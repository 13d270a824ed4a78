package dev.rld.samples.agents;

import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
}
