package dev.rld.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.FeatureGroups;
import dev.rld.space.Space;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The attribution job's options: those of {@code rld attribute} (same names, same defaults, same
 * meaning), the paths, and how the work is split.
 */
public final class JobOptions implements Serializable {
  @Option(names = "--policy", required = true, paramLabel = "MODEL.onnx",
      description = "The ONNX model of the policy (any Hadoop file system path)")
  public String policy;

  @Option(names = "--policy-output", defaultValue = "logits",
      description = "What the model's first output is for discrete actions: logits or probabilities")
  public String policyOutput = "logits";

  @Option(names = "--method", defaultValue = "ablation", description = "ablation, occlusion or shapley")
  public String method = "ablation";

  @Option(names = "--baseline", defaultValue = "zero",
      description = "zero, mean (each recording's mean observation) or comma-separated values")
  public String baseline = "zero";

  @Option(names = "--output", defaultValue = "probability", description = "probability or logit")
  public String output = "probability";

  @Option(names = "--permutations", description = "Shapley: sample this many permutations")
  public Integer permutations;

  @Option(names = "--exact", paramLabel = "true|false", description = "Shapley: enumerate coalitions or sample")
  public String exact;

  @Option(names = "--sampling", paramLabel = "antithetic|plain", description = "Shapley sampling")
  public String sampling;

  @Option(names = "--seed", defaultValue = "0", description = "Shapley seed")
  public long seed;

  @Option(names = "--window", defaultValue = "8,8", description = "Occlusion window h,w")
  public String window = "8,8";

  @Option(names = "--stride", defaultValue = "4,4", description = "Occlusion stride h,w")
  public String stride = "4,4";

  @Option(names = "--groups", defaultValue = "features",
      description = "features, keys (Dict keys as one feature) or a JSON object of label lists")
  public String groups = "features";

  @Option(names = "--steps-per-task", defaultValue = "20000",
      description = "Steps one Spark task attributes (default: ${DEFAULT-VALUE})")
  public int stepsPerTask = 20_000;

  @Option(names = "--no-sidecars", description = "Write only the Parquet tables, no NAME.attributions.arrow")
  public boolean noSidecars;

  @Parameters(index = "0", paramLabel = "IN", description = "A recording or a directory of recordings")
  public String in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The output directory (Parquet tables, report)")
  public String out;

  /** The request, given the recording's baseline values (zero, mean or custom already resolved). */
  AttributionRequest request(AttributionRequest.Baseline baseline) {
    return new AttributionRequest(AttributionRequest.Method.parse(method), baseline,
        AttributionRequest.OutputKind.parse(output), permutations == null ? 25 : permutations, seed, pair(window),
        pair(stride), AttributionRequest.Estimator.of(exact, sampling, permutations != null));
  }

  /** The baseline of a recording: {@code mean} is that recording's mean observation. */
  AttributionRequest.Baseline baseline(Space observations, float[] mean) {
    int d = observations.flatDim();
    if (baseline.equals("zero")) {
      return new AttributionRequest.Baseline("zero", new float[d]);
    }
    if (baseline.equals("mean")) {
      return new AttributionRequest.Baseline("mean", mean == null ? new float[d] : mean);
    }
    return AttributionRequest.Baseline.custom(baseline, d, null);
  }

  /** The key {@code rld attribute} files this computation under in a sidecar. */
  String computation(AttributionRequest request) {
    return request.key() + ";groups=" + groups;
  }

  FeatureGroups groups(Space observations) {
    if (groups.startsWith("{")) {
      Map<String, List<String>> named;
      try {
        named = new ObjectMapper().readValue(groups, new TypeReference<Map<String, List<String>>>() { });
      } catch (IOException e) {
        throw new IllegalArgumentException("groups must be features, keys, or a JSON object of label lists; got '"
            + groups + "'");
      }
      return FeatureGroups.custom(observations, named);
    }
    return switch (groups) {
      case "features" -> FeatureGroups.perElement(observations);
      case "keys" -> FeatureGroups.byTopLevelKey(observations);
      default -> throw new IllegalArgumentException("unknown groups '" + groups + "' (features, keys, or a JSON object)");
    };
  }

  private static int[] pair(String s) {
    String[] parts = s.split(",");
    try {
      return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected two integers h,w, got '" + s + "'");
    }
  }
}
