package dev.rld.cli;

import dev.rld.policy.OnnxPolicy;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that load a policy: the ONNX model and what its first output is. */
final class PolicyOptions {
  @Option(names = "--policy", paramLabel = "MODEL.onnx",
      description = "An ONNX model of the policy (e.g. exported from PyTorch)")
  Path model;

  /** The values of --policy-output; picocli refuses others as a usage error. */
  enum Kind { logits, probabilities }

  @Option(names = "--policy-output", paramLabel = "KIND", defaultValue = "logits",
      description = "What the model's first output is for discrete actions: logits (default) or "
          + "probabilities. For continuous actions it is the action.")
  Kind output;

  /** The model as a policy for recordings whose action space is {@code actions}. */
  Policy load(Path model, Space actions) throws IOException {
    return load(model, output, actions);
  }

  /** {@code model} as a policy whose first output is {@code output} for discrete {@code actions}. */
  static Policy load(Path model, Kind output, Space actions) throws IOException {
    Policy.Output kind;
    if (actions instanceof Box) {
      kind = Policy.Output.ACTIONS;
    } else {
      kind = output == Kind.probabilities ? Policy.Output.PROBABILITIES : Policy.Output.LOGITS;
    }
    return OnnxPolicy.load(model, kind);
  }
}
