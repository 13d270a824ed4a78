package dev.rld.api;

import dev.rld.attribution.AttributionCache;
import dev.rld.attribution.Attributor;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies attached to one served recording: policy A (the policy), and optionally policy B
 * to compare it with (what training changed). Each has its attributions; together they have a
 * {@link Disagreement}. Refuses (409) what needs a policy that is not attached.
 */
final class AttachedPolicies {
  /** What a value head outputs, as an action space: one unbounded float. */
  private static final Box VALUE_SPACE = Box.float32(new double[] {Double.NEGATIVE_INFINITY},
      new double[] {Double.POSITIVE_INFINITY});

  private final ServedRollout served;
  private final Policy a;
  private final Policy b;
  /** A's attributor, which also reads A's outputs as probabilities (evaluate); null without A. */
  final Attributor attributorA;
  private final RolloutAttributions attributionsA;
  private final RolloutAttributions attributionsB;
  private final Disagreement disagreement;

  /** Fails with a {@link ServedRollout.PolicyDoesNotFit} naming the policy that does not fit. */
  AttachedPolicies(ServedRollout served, Policy a, Policy b, AttributionCache cache) {
    if (a == null && b != null) {
      throw new ServedRollout.PolicyDoesNotFit("the compare policy",
          "there is no policy A to compare it with (attach a policy too)", null);
    }
    this.served = served;
    this.a = a;
    this.b = b;
    this.attributorA = a == null ? null : attributor(a, "the policy");
    this.attributionsA = new RolloutAttributions(served, "a", attributorA, valueAttributor(a), cache);
    this.attributionsB = b == null ? null
        : new RolloutAttributions(served, "b", attributor(b, "the compare policy"), valueAttributor(b), cache);
    this.disagreement = b == null ? null : new Disagreement(served, a, b);
  }

  private Attributor attributor(Policy p, String role) {
    try {
      return new Attributor(p, served.rollout.observationSpace(), served.rollout.actionSpace());
    } catch (IllegalArgumentException e) {
      throw new ServedRollout.PolicyDoesNotFit(role, e.getMessage(), e);
    }
  }

  private Attributor valueAttributor(Policy p) {
    Policy critic = p == null ? null : p.valueHead();
    return critic == null ? null : new Attributor(critic, served.rollout.observationSpace(), VALUE_SPACE);
  }

  /** The policy {@code which} ("a" or "b"), or null when it is not attached. */
  Policy orNull(String which) {
    return "b".equals(which) ? b : a;
  }

  /** The policy {@code which} ("a" or "b"); refuses (409) when it is not attached. */
  Policy require(String which) {
    if ("b".equals(which)) {
      if (b == null) {
        throw new ApiException(409, "recording '" + served.id + "' has no compare policy attached: start the server "
            + "with --policy a.onnx --compare-policy b.onnx (or RldServer.Builder.recording(path, a, b)) to compare "
            + "two policies");
      }
      return b;
    }
    if (a == null) {
      throw new ApiException(409, "recording '" + served.id + "' has no policy attached: start the server with "
          + "--policy model.onnx (or attach a Java policy) to evaluate or attribute");
    }
    return a;
  }

  /** The attributions of policy {@code which}: "a" (the default, also for null) or "b"; 400 for others. */
  RolloutAttributions attributions(String which) {
    if (which == null || which.isEmpty() || which.equals("a")) {
      return attributionsA;
    }
    if (!which.equals("b")) {
      throw ApiException.badRequest("unknown policy '" + Routes.shorten(which) + "' (a, b)");
    }
    require("b");
    return attributionsB;
  }

  /** Where A and B disagree; refuses (409) without B. */
  /** Drops what was computed from the rows of {@code episode} (all episodes when negative): they changed. */
  void forget(int episode) {
    if (disagreement != null) {
      disagreement.forget(episode);
    }
  }

  Disagreement disagreement() {
    require("a");
    require("b");
    return disagreement;
  }

  /** The metadata's {@code policy} and {@code comparePolicy} members, for the policies attached. */
  void describe(Map<String, Object> metadata) {
    if (a != null) {
      metadata.put("policy", describe(a, attributionsA));
    }
    if (b != null) {
      metadata.put("comparePolicy", describe(b, attributionsB));
    }
  }

  private static Map<String, Object> describe(Policy p, RolloutAttributions attributions) {
    List<String> targets = new ArrayList<>(List.of("picked", "top-K", "all"));
    if (attributions.hasValue()) {
      targets.add("value");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("inputs", p.inputSize());
    m.put("outputs", p.outputSize());
    m.put("output", p.output().name().toLowerCase());
    m.put("targets", targets);
    return m;
  }
}
