package dev.rld.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.AttributionRequest.Baseline;
import dev.rld.attribution.AttributionRequest.Estimator;
import dev.rld.attribution.AttributionRequest.Method;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.CartPole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Ablation, Shapley sampling (25 permutations, plain and antithetic) and exact Shapley values
 * (enumeration of the 16 coalitions) over a 500-step CartPole episode with the 2×64
 * MLP through ONNX Runtime (targets: ≤ 20 ms and ≤ 200 ms), and the same work done by the
 * batched PyTorch implementation (models/cartpole/bench_torch.py) in the same run, one thread
 * each.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.AttributionBench} from the repository root.
 */
public final class AttributionBench {
  static final Path MODELS = Path.of("models/cartpole");

  public static void main(String[] args) throws Exception {
    JsonNode obs = new ObjectMapper().readTree(MODELS.resolve("bench_observations.json").toFile()).get("observations");
    float[][] x = new float[obs.size()][4];
    int[] steps = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) obs.get(i).get(j).asDouble();
      }
      steps[i] = i;
    }
    var space = new CartPole().observationSpace();
    var groups = FeatureGroups.perElement(space);
    Baseline zero = new Baseline("zero", new float[4]);
    AttributionRequest ablation = new AttributionRequest(Method.ABLATION, zero, OutputKind.PROBABILITY, 1, 0, null, null);
    AttributionRequest shapley = new AttributionRequest(Method.SHAPLEY, zero, OutputKind.PROBABILITY, 25, 0, null, null,
        Estimator.PLAIN);
    AttributionRequest antithetic = new AttributionRequest(Method.SHAPLEY, zero, OutputKind.PROBABILITY, 25, 0, null,
        null, Estimator.ANTITHETIC);
    AttributionRequest exact = new AttributionRequest(Method.SHAPLEY, zero, OutputKind.PROBABILITY, 25, 0, null, null,
        Estimator.EXACT);
    System.out.printf("%d steps, %s%n", x.length, MODELS.resolve("cartpole_mlp.onnx"));
    double javaAblation;
    double javaShapley;
    for (int threads : new int[] {1, 0}) {
      try (Policy policy = OnnxPolicy.load(MODELS.resolve("cartpole_mlp.onnx"), Policy.Output.LOGITS, threads)) {
        Attributor attributor = new Attributor(policy, space, new CartPole().actionSpace());
        double a = medianMs(() -> attributor.attribute(ablation, groups, x, steps, n -> { }), 50);
        double s = medianMs(() -> attributor.attribute(shapley, groups, x, steps, n -> { }), 20);
        double anti = medianMs(() -> attributor.attribute(antithetic, groups, x, steps, n -> { }), 20);
        double e = medianMs(() -> attributor.attribute(exact, groups, x, steps, n -> { }), 50);
        String label = threads == 1 ? "1 thread" : "ORT default threads";
        System.out.printf("rld (ONNX Runtime, %s): ablation %.2f ms, shapley plain 25 %.2f ms, antithetic 25 (26 "
            + "passes) %.2f ms, exact (16 coalitions) %.2f ms; exact / plain 25 = %.2f%n", label, a, s, anti, e, e / s);
        if (threads == 1) {
          javaAblation = a;
          javaShapley = s;
          torch(javaAblation, javaShapley);
        }
      }
    }
  }

  private static void torch(double ablation, double shapley) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/python3", "bench_torch.py", "bench_observations.json")
        .directory(MODELS.toFile()).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      System.out.println("PyTorch comparison not run: /usr/bin/python3 bench_torch.py failed"
          + " (apt-get install python3-torch python3-onnx): " + err);
      return;
    }
    JsonNode t = new ObjectMapper().readTree(out);
    System.out.printf("PyTorch %s (batched, %d thread): ablation %.2f ms, shapley %.2f ms   [%s]%n",
        t.get("torch").asText(), t.get("threads").asInt(), t.get("ablation_ms").asDouble(),
        t.get("shapley_ms").asDouble(), err.replace('\n', ' '));
    System.out.printf("ratio rld / PyTorch: ablation %.2f, shapley %.2f%n",
        ablation / t.get("ablation_ms").asDouble(), shapley / t.get("shapley_ms").asDouble());
  }

  private static double medianMs(Runnable work, int repeats) {
    for (int i = 0; i < repeats / 2; i++) {
      work.run(); // warm-up
    }
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[repeats / 2];
  }
}
