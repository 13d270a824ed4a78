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
import dev.rld.attribution.StepAttribution;
import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.DType;
import java.nio.file.Path;
import java.util.List;

/**
 * How good each Shapley estimator is, on the 10- and 16-feature models with third-order
 * interactions of models/interactions (ONNX): the exact estimator against PyTorch's independent
 * enumeration (interactions_exact.json), and plain and antithetic sampling at the same number
 * of policy evaluations, as the RMSE against the exact values over many seeds, and the share of
 * features whose true error lies within 3 reported standard errors.
 *
 * <p>{@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp bench/target/rld-bench.jar
 * dev.rld.bench.ShapleyEstimatorBench [seeds]} from the repository root.
 */
public final class ShapleyEstimatorBench {
  static final Path MODELS = Path.of("models/interactions");

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    JsonNode exactJson = new ObjectMapper().readTree(MODELS.resolve("interactions_exact.json").toFile());
    System.out.printf("%-6s %-22s %8s %12s %12s %10s%n", "model", "estimator", "passes", "rows/step", "RMSE",
        "within 3 SE");
    for (JsonNode model : exactJson.get("models")) {
      int m = model.get("m").asInt();
      JsonNode observations = model.get("observations");
      float[][] x = new float[observations.size()][m];
      double[][] truth = new double[x.length][m];
      int[] steps = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < m; j++) {
          x[i][j] = (float) observations.get(i).get("x").get(j).asDouble();
          truth[i][j] = observations.get(i).get("shapley").get(j).asDouble();
        }
        steps[i] = i;
      }
      float[] baseline = new float[m];
      for (int j = 0; j < m; j++) {
        baseline[j] = (float) model.get("baseline").get(j).asDouble();
      }
      Box space = Box.of(DType.FLOAT32, -1, 1, m);
      Box action = Box.of(DType.FLOAT32, -1e9, 1e9, 1);
      FeatureGroups features = FeatureGroups.perElement(space);
      try (Policy policy = OnnxPolicy.load(MODELS.resolve(model.get("file").asText()), Policy.Output.ACTIONS)) {
        Attributor attributor = new Attributor(policy, space, action);
        Baseline b = new Baseline("custom", baseline);
        // Exact, against PyTorch's enumeration.
        List<StepAttribution> exact = attributor.attribute(new AttributionRequest(Method.SHAPLEY, b,
            OutputKind.PROBABILITY, 1, 0, null, null, Estimator.EXACT), features, x, steps, n -> { });
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
          for (int j = 0; j < m; j++) {
            worst = Math.max(worst, Math.abs(exact.get(i).raw()[0][j] - truth[i][j]));
          }
        }
        System.out.printf("%-6s %-22s %8s %12d %12.2e %10s   (max |error| vs PyTorch)%n", "m=" + m, "exact", "-",
            1L << m, worst, "-");
        // Sampling at equal cost: P plain passes against P/2 antithetic pairs.
        for (int passes : new int[] {10, 50, 200}) {
          for (Estimator e : new Estimator[] {Estimator.PLAIN, Estimator.ANTITHETIC}) {
            double squares = 0;
            long count = 0;
            long covered = 0;
            long withSe = 0;
            for (int seed = 0; seed < seeds; seed++) {
              List<StepAttribution> got = attributor.attribute(new AttributionRequest(Method.SHAPLEY, b,
                  OutputKind.PROBABILITY, passes, seed * 7919L, null, null, e), features, x, steps, n -> { });
              for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < m; j++) {
                  double err = got.get(i).raw()[0][j] - truth[i][j];
                  squares += err * err;
                  count++;
                  double se = got.get(i).stderr()[0][j];
                  if (Double.isFinite(se)) {
                    withSe++;
                    if (Math.abs(err) <= 3 * se + 1e-7) {
                      covered++;
                    }
                  }
                }
              }
            }
            System.out.printf("%-6s %-22s %8d %12d %12.2e %9.1f%%%n", "m=" + m, e.name().toLowerCase(), passes,
                (long) passes * m, Math.sqrt(squares / count), 100.0 * covered / Math.max(1, withSe));
          }
        }
      }
    }
  }
}
