package dev.rld.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.attribution.AttributionRequest.OutputKind;
import dev.rld.landscape.PolicyLandscape;
import dev.rld.landscape.PolicyLandscape.Axis;
import dev.rld.landscape.PolicyLandscape.Target;

/**
 * The body of {@code POST …/landscape} (docs/api.md), checked before any work: the observation
 * (as for {@code /evaluate}), the two axes, the resolution, the target and the output.
 */
record LandscapeBody(float[] observation, Axis x, Axis y, Target target, OutputKind output) {
  static final int DEFAULT_RESOLUTION = 64;

  /** Parses {@code body} for recording {@code s}; a 400 naming the member that is wrong. */
  static LandscapeBody parse(JsonNode body, ServedRollout s) {
    if (body == null || !body.isObject() || !body.has("observation") || !body.has("x") || !body.has("y")) {
      throw ApiException.badRequest("the body must be a JSON object with an \"observation\", an \"x\" and a \"y\" "
          + "axis ({\"feature\": i, \"from\": a, \"to\": b}), and optionally \"resolution\": [nx, ny], \"target\" "
          + "and \"output\"");
    }
    s.policy();
    int[] resolution = resolution(body.get("resolution"));
    return new LandscapeBody(s.observationFromJson(body.get("observation")),
        axis(body.get("x"), "x", resolution[0]), axis(body.get("y"), "y", resolution[1]),
        target(body.get("target")), output(body.get("output")));
  }

  private static int[] resolution(JsonNode n) {
    if (n == null || n.isNull()) {
      return new int[] {DEFAULT_RESOLUTION, DEFAULT_RESOLUTION};
    }
    if (isInt(n)) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (n.isArray() && n.size() == 2 && isInt(n.get(0)) && isInt(n.get(1))) {
      return new int[] {n.get(0).intValue(), n.get(1).intValue()};
    }
    throw ApiException.badRequest("resolution must be [nx, ny] (integers from 1 to " + PolicyLandscape.MAX_RESOLUTION
        + ") or one integer, got " + n);
  }

  private static Axis axis(JsonNode n, String name, int resolution) {
    if (!n.isObject() || !isInt(n.get("feature"))) {
      throw ApiException.badRequest(name + " must be {\"feature\": i, \"from\": a, \"to\": b} with i the index of an "
          + "element of the flattened observation, got " + n);
    }
    return new Axis(n.get("feature").intValue(), number(n.get("from"), name + ".from"),
        number(n.get("to"), name + ".to"), resolution);
  }

  private static Double number(JsonNode n, String what) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw ApiException.badRequest(what + " must be a number, got " + n);
    }
    return n.doubleValue();
  }

  private static Target target(JsonNode n) {
    if (n == null || n.isNull()) {
      return Target.GREEDY;
    }
    if (n.isTextual() && n.textValue().equals("value")) {
      return Target.VALUE;
    }
    if (n.isTextual() && n.textValue().equals("greedy")) {
      return Target.CELL_GREEDY;
    }
    if (isInt(n)) {
      return Target.output(n.intValue());
    }
    throw ApiException.badRequest("target must be an output index (an action index, or a dimension for continuous "
        + "actions), \"value\" or \"greedy\", got " + n);
  }

  private static OutputKind output(JsonNode n) {
    if (n == null || n.isNull()) {
      return OutputKind.PROBABILITY;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest("output must be \"probability\" or \"logit\", got " + n);
    }
    return OutputKind.parse(n.textValue());
  }

  private static boolean isInt(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToInt();
  }

  /** Sweeps the landscape with the recording's policy. */
  PolicyLandscape.Answer sweep(ServedRollout s) {
    return new PolicyLandscape(s.policy(), s.rollout().observationSpace(), s.rollout().actionSpace())
        .sweep(observation, x, y, target, output);
  }
}
