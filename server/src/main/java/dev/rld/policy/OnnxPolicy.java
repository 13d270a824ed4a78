package dev.rld.policy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A policy exported to ONNX (e.g. from PyTorch with {@code torch.onnx.export}), run with ONNX
 * Runtime on the CPU.
 *
 * <p>The model's first input takes float32 observations with a leading batch dimension; the
 * other dimensions must be fixed, and their product is the flattened observation length (an
 * image model may take {@code [batch, 84, 84, 4]}: the flat observation is reshaped in
 * row-major order). The first output is read as {@code [batch, outputs]}: logits unless told
 * otherwise for discrete actions, the action mean for continuous ones.
 */
public final class OnnxPolicy implements Policy {
  private final Path file;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final long[] inputShape;
  private final int inputSize;
  private final int outputSize;
  private final Output output;
  private final String fingerprint;
  /** The output holding V(x), or null. */
  private final String valueOutput;

  private OnnxPolicy(Path file, OrtEnvironment env, OrtSession session, Output output) throws IOException, OrtException {
    this.file = file;
    this.env = env;
    this.session = session;
    this.output = output;
    this.fingerprint = "onnx:sha256:" + sha256(file);
    Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
    this.inputName = input.getKey();
    TensorInfo in = tensor(input.getValue(), "input '" + inputName + "'");
    this.inputShape = in.getShape();
    this.inputSize = fixedSize(inputShape, "input '" + inputName + "'");
    Map.Entry<String, NodeInfo> out = session.getOutputInfo().entrySet().iterator().next();
    long[] outShape = tensor(out.getValue(), "output '" + out.getKey() + "'").getShape();
    this.outputSize = fixedSize(outShape, "output '" + out.getKey() + "'");
    this.valueOutput = valueOutput(session, out.getKey());
  }

  /**
   * The output holding the value estimate: one named value or values, else the second output,
   * when it holds one float per row ([batch] or [batch, 1]); null when there is none.
   */
  private String valueOutput(OrtSession session, String first) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String name = outputs.containsKey("value") ? "value" : outputs.containsKey("values") ? "values" : null;
    if (name == null && outputs.size() >= 2) {
      name = outputs.keySet().stream().skip(1).findFirst().orElseThrow();
    }
    if (name == null || name.equals(first) || !(outputs.get(name).getInfo() instanceof TensorInfo t)
        || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      return null;
    }
    long[] shape = t.getShape();
    boolean scalarPerRow = shape.length == 1 || shape.length == 2 && shape[1] == 1;
    return scalarPerRow ? name : null;
  }

  /** Loads a model; {@code output} says what its first output is. */
  public static OnnxPolicy load(Path file, Output output) throws IOException {
    return load(file, output, 0);
  }

  /** As {@link #load(Path, Output)}, with {@code threads} for each model call (0: ONNX Runtime's default). */
  public static OnnxPolicy load(Path file, Output output, int threads) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such model file");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      session = env.createSession(file.toString(), options);
      return new OnnxPolicy(file, env, session, output);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new IOException(file + ": not a usable ONNX model: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // Closing after a failed load: the load's error is the one to report.
      }
    }
  }

  private TensorInfo tensor(NodeInfo info, String what) throws IOException {
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new IOException(file + ": the model's " + what + " is not a tensor");
    }
    if (t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw new IOException(file + ": the model's " + what + " is " + t.type + "; rld feeds float32");
    }
    return t;
  }

  /** Product of the non-batch dimensions, which must be known. */
  private int fixedSize(long[] shape, String what) throws IOException {
    if (shape.length < 2) {
      throw new IOException(file + ": the model's " + what + " has shape " + Arrays.toString(shape)
          + "; expected a batch dimension first, then the features");
    }
    long n = 1;
    for (int d = 1; d < shape.length; d++) {
      if (shape[d] < 1) {
        throw new IOException(file + ": the model's " + what + " has shape " + Arrays.toString(shape)
            + "; only the first (batch) dimension may be dynamic");
      }
      n *= shape[d];
    }
    return Math.toIntExact(n);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /** The model's file name, e.g. {@code cartpole_mlp.onnx}. */
  @Override
  public String name() {
    return file.getFileName().toString();
  }

  /** The model file. */
  public Path file() {
    return file;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int outputSize() {
    return outputSize;
  }

  @Override
  public Output output() {
    return output;
  }

  @Override
  public float[] evaluate(float[] observations, int batch) {
    return run(observations, batch, null, outputSize);
  }

  /** Runs the model and reads {@code output} (null: the first), {@code width} floats per row. */
  private float[] run(float[] observations, int batch, String output, int width) {
    long[] shape = inputShape.clone();
    shape[0] = batch;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(observations, 0, batch * inputSize), shape);
        OrtSession.Result result = output == null ? session.run(Map.of(inputName, tensor))
            : session.run(Map.of(inputName, tensor), java.util.Set.of(output))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[batch * width];
      out.get(values);
      return values;
    } catch (OrtException e) {
      throw new IllegalStateException(file + ": evaluating the model failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Policy valueHead() {
    if (valueOutput == null) {
      return null;
    }
    return Policy.of(inputSize, 1, Output.ACTIONS, (obs, batch) -> run(obs, batch, valueOutput, 1),
        fingerprint + ":" + valueOutput);
  }

  @Override
  public void close() {
    closeQuietly(session);
  }
}
