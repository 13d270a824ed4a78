package dev.rld.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Normalization;
import dev.rld.attribution.StepAttribution;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The answer of the attributions route (docs/api.md), written straight to the response as JSON
 * step by step: normalised values are made one target at a time, so the answer is never built
 * whole in memory.
 */
record AttributionAnswer(AttributionRequest request, String estimator, RolloutAttributions.View view,
    List<String> features,
    StepAttribution[] steps, List<List<Integer>> picked, IntFunction<Object> targetLabel) {
  private static final JsonFactory JSON = new JsonFactory();

  void writeTo(OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("method", request.method().name().toLowerCase());
      g.writeStringField("estimator", estimator);
      if ("sampled".equals(estimator)) {
        g.writeStringField("sampling", request.estimator() == AttributionRequest.Estimator.PLAIN ? "plain" : "antithetic");
        g.writeNumberField("permutations", request.permutations());
      }
      g.writeStringField("target", view.targets().toString());
      g.writeStringField("baseline", request.baseline().name());
      g.writeStringField("output", request.output().name().toLowerCase());
      g.writeStringField("normalize", view.normalize().name().toLowerCase());
      g.writeArrayFieldStart("features");
      for (String f : features) {
        g.writeString(f);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("steps");
      for (int i = 0; i < steps.length; i++) {
        writeStep(g, steps[i], picked.get(i));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private void writeStep(JsonGenerator g, StepAttribution a, List<Integer> pickedTargets) throws IOException {
    g.writeStartObject();
    g.writeNumberField("step", a.step());
    g.writeArrayFieldStart("targets");
    for (int k : view.targets().select(a, pickedTargets)) {
      g.writeStartObject();
      g.writeObjectField("action", targetLabel.apply(k));
      if (a.probabilities() == null) {
        g.writeNullField("probability");
      } else {
        g.writeNumberField("probability", a.probabilities()[k]);
      }
      g.writeNumberField("value", a.values()[k]);
      writeArray(g, "raw", a.raw()[k]);
      writeArray(g, "normalized", Normalization.normalize(a.raw()[k], view.normalize(), view.outlier()));
      if (a.stderr() == null) {
        g.writeNullField("stderr");
      } else {
        g.writeArrayFieldStart("stderr");
        for (double v : a.stderr()[k]) {
          if (Double.isFinite(v)) {
            g.writeNumber(v);
          } else {
            g.writeNull(); // one unit: not defined
          }
        }
        g.writeEndArray();
      }
      double gap = a.gap(k);
      if (Double.isFinite(gap)) {
        g.writeNumberField("gap", gap);
      } else {
        g.writeNullField("gap");
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeArray(JsonGenerator g, String name, double[] values) throws IOException {
    g.writeFieldName(name);
    g.writeArray(values, 0, values.length);
  }
}
