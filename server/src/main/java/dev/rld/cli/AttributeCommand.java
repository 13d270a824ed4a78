package dev.rld.cli;

import dev.rld.api.ServedRollout;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Sidecar;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rld attribute}: precomputes attributions into a sidecar file that serve uses. */
@Command(name = "attribute", mixinStandardHelpOptions = true,
    description = "Computes attributions for every step and writes them beside the recording "
        + "(NAME.attributions.arrow), where rld serve picks them up.")
final class AttributeCommand extends CliCommand {
  @Parameters(paramLabel = "PATH", converter = RecordingPath.class,
      description = "A recording (file or directory, or a Minari dataset: directory or minari:ID)")
  Path path;

  @Mixin
  PolicyOptions policy;

  @Option(names = "--method", defaultValue = "ablation", description = "ablation, occlusion or shapley (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--baseline", defaultValue = "zero", description = "zero, mean, or comma-separated values (default: ${DEFAULT-VALUE})")
  String baseline;

  @Option(names = "--output", defaultValue = "probability", description = "probability or logit (default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--permutations", description = "Shapley: sample this many permutations (default: exact values "
      + "when 2^features <= 4096, else 25 antithetic permutations)")
  Integer permutations;

  @Option(names = "--exact", paramLabel = "true|false", description = "Shapley: enumerate coalitions (true) or sample (false)")
  String exact;

  @Option(names = "--sampling", paramLabel = "antithetic|plain", description = "Shapley sampling (default: antithetic)")
  String sampling;

  @Option(names = "--seed", defaultValue = "0", description = "Shapley seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--window", defaultValue = "8,8", description = "Occlusion window h,w (default: ${DEFAULT-VALUE})")
  String window;

  @Option(names = "--stride", defaultValue = "4,4", description = "Occlusion stride h,w (default: ${DEFAULT-VALUE})")
  String stride;

  @Option(names = "--groups", defaultValue = "features", description = "features or keys (Dict keys as one feature)")
  String groups;

  @Option(names = "--episodes", paramLabel = "I,J,...", split = ",", description = "Episodes to compute (default: all)")
  List<Integer> episodes;

  @Override
  protected int execute() throws IOException {
    if (policy.model == null) {
      throw usageError("attribute needs --policy MODEL.onnx");
    }
    Policy p;
    try (Rollout r = Rollout.open(path)) {
      p = policy.load(policy.model, r.actionSpace());
    }
    try (p; ServedRollout served = ServedRollout.open("recording", path, p)) {
      AttributionRequest request;
      try {
        request = new AttributionRequest(AttributionRequest.Method.parse(method), served.attributions().baseline(baseline),
            AttributionRequest.OutputKind.parse(output), permutations == null ? 25 : permutations, seed, pair(window),
            pair(stride), AttributionRequest.Estimator.of(exact, sampling, permutations != null));
      } catch (IllegalArgumentException | dev.rld.api.ApiException e) {
        throw usageError(e.getMessage());
      }
      List<EpisodeSummary> all = served.rollout().episodes();
      List<Integer> chosen = episodes == null ? all.stream().map(EpisodeSummary::index).toList() : episodes;
      long steps = 0;
      for (int e : chosen) {
        if (e < 0 || e >= all.size()) {
          throw usageError("episode " + e + " does not exist; the recording has " + all.size() + " episodes");
        }
        steps += all.get(e).observations();
      }
      List<Sidecar.Entry> entries;
      try {
        served.attributions().check(request, groups);
      } catch (dev.rld.api.ApiException | IllegalArgumentException e) {
        // An unknown --groups, too many --permutations, occlusion without an image: options the
        // user gave, reported before any work (precompute would fail the same way, mid-progress-bar
        // and as an uncaught exception).
        throw usageError(e.getMessage());
      }
      try (ProgressBar bar = progressBar("Attributing", steps, "steps")) {
        entries = served.attributions().precompute(chosen, request, groups, bar::stepTo);
      }
      Path out = Sidecar.pathFor(path);
      String data = served.rollout().fingerprint();
      Sidecar.write(out, p.fingerprint(), data, mergeWithExisting(out, p.fingerprint(), data, entries));
      out().println("Wrote " + out + ": " + request.key() + ", " + entries.size() + " steps of "
          + chosen.size() + " episodes");
      out().flush();
    }
    return 0;
  }

  /** Keeps what an earlier run computed for other computations with the same policy on the same data. */
  private List<Sidecar.Entry> mergeWithExisting(Path file, String fingerprint, String data,
      List<Sidecar.Entry> fresh) throws IOException {
    List<Sidecar.Entry> merged = new ArrayList<>();
    if (java.nio.file.Files.isRegularFile(file)) {
      Sidecar.Contents old = Sidecar.read(file);
      if (old.policyFingerprint().equals(fingerprint) && data.equals(old.recordingFingerprint())) {
        java.util.Set<String> redone = new java.util.HashSet<>();
        fresh.forEach(e -> redone.add(e.episode() + "|" + e.computation() + "|" + e.attribution().step()));
        old.entries().stream()
            .filter(e -> !redone.contains(e.episode() + "|" + e.computation() + "|" + e.attribution().step()))
            .forEach(merged::add);
      }
    }
    merged.addAll(fresh);
    return merged;
  }

  private int[] pair(String s) {
    String[] parts = s.split(",");
    try {
      return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    } catch (RuntimeException e) {
      throw usageError("expected two integers h,w, got '" + s + "'");
    }
  }
}
