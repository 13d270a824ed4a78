package dev.rld.cli;

import dev.rld.policy.Policy;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code rld serve} that attach a second policy (B) to compare with the first. */
final class ComparePolicyOptions {
  @Option(names = "--compare-policy", paramLabel = "MODEL.onnx",
      description = "A second ONNX model (policy B, e.g. an earlier checkpoint) evaluated beside the policy on every "
          + "recorded observation: where their greedy actions differ, and attributions of either")
  Path model;

  @Option(names = "--compare-policy-output", paramLabel = "KIND", defaultValue = "logits",
      description = "What the compare model's first output is for discrete actions: logits (default) or probabilities")
  PolicyOptions.Kind output;

  /** Policy B for recordings whose action space is {@code actions}, named apart from A when their names clash. */
  Policy load(Space actions, Policy a) throws IOException {
    Policy b = PolicyOptions.load(model, output, actions);
    // Two checkpoints are often both policy.onnx in different run directories: say which is which.
    return b.name().equals(a.name()) ? b.withName(model.toString()) : b;
  }
}
