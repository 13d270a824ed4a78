package dev.rld.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.attribution.AttributionCache;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.RecoveryReport;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutHeader;
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.SpaceJson;
import dev.rld.space.SpaceValues;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One recording as the API serves it: its episodes and steps, and, when a policy is attached,
 * evaluation and cached attributions. Knows nothing of HTTP; refuses bad requests with
 * {@link ApiException}s that name the problem.
 */
public final class ServedRollout implements AutoCloseable {
  /** Most rows one steps request may ask for (documented in docs/api.md). */
  static final int MAX_STEPS_PER_REQUEST = 20_000;
  /** Most steps one attributions request may ask for. */
  static final int MAX_ATTRIBUTION_STEPS = 5_000;

  final String id;
  final Rollout rollout;
  /** Policy A, and B when two are compared. */
  private final AttachedPolicies policies;
  /** The episodes as the lists, overview and plots show them without their rows; new when the recording grows. */
  volatile EpisodeViews views;
  final LiveRecording live; // follows the recording while it is being written

  /**
   * Opens {@code path} to serve, with {@code policy} attached (may be null), caching attributions
   * in a cache of its own (64 MiB).
   */
  public static ServedRollout open(String id, Path path, Policy policy) throws IOException {
    return open(id, path, policy, (Policy) null);
  }

  /**
   * Opens {@code path} to serve with two policies to compare: {@code a} (the policy: evaluate,
   * landscape, attributions by default) and {@code compare} (B, may be null), both evaluated on
   * every recorded observation for their disagreement and attributed on request.
   */
  public static ServedRollout open(String id, Path path, Policy a, Policy compare) throws IOException {
    return open(id, path, a, compare, new AttributionCache(64L << 20));
  }

  /** As {@link #open(String, Path, Policy, Policy)}, caching attributions in {@code cache}. */
  static ServedRollout open(String id, Path path, Policy policy, Policy compare, AttributionCache cache)
      throws IOException {
    Rollout rollout = Rollout.open(path);
    try {
      return new ServedRollout(id, rollout, policy, compare, cache);
    } catch (PolicyDoesNotFit e) {
      rollout.close();
      throw e;
    } catch (IllegalArgumentException e) {
      rollout.close();
      // Only a policy's check against the spaces can fail here: the recording opened.
      throw new PolicyDoesNotFit("the policy", e.getMessage(), e);
    } catch (RuntimeException e) {
      rollout.close();
      throw e;
    }
  }

  /** A policy attached to a recording does not fit its spaces. */
  public static final class PolicyDoesNotFit extends IllegalArgumentException {
    private final String role;

    PolicyDoesNotFit(String role, String message, Throwable cause) {
      super(message, cause);
      this.role = role;
    }

    /** Which policy does not fit: "the policy" (A) or "the compare policy" (B). */
    public String role() {
      return role;
    }
  }

  ServedRollout(String id, Rollout rollout, Policy policy, Policy compare, AttributionCache cache) {
    this.id = id;
    this.rollout = rollout;
    this.views = new EpisodeViews(this);
    this.policies = new AttachedPolicies(this, policy, compare, cache);
    this.live = new LiveRecording(this);
  }

  Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("path", rollout.path().toString());
    m.put("envId", rollout.header().envId());
    m.put("title", rollout.header().metadata().title());
    m.put("episodes", rollout.episodes().size());
    m.put("steps", rollout.totalSteps());
    m.put("hasPolicy", policies.orNull("a") != null);
    m.put("finished", !rollout.growing()); // false while it may still grow (see /live)
    return m;
  }

  Map<String, Object> metadata() {
    RolloutHeader h = rollout.header();
    Map<String, Object> m = summary();
    m.put("formatVersion", h.formatVersion());
    m.put("observationSpace", SpaceJson.toTree(h.observationSpace()));
    m.put("actionSpace", SpaceJson.toTree(h.actionSpace()));
    m.put("features", ordered("observations", features(h.observationSpace()), "actions", features(h.actionSpace())));
    m.put("metadata", ordered("title", h.metadata().title(), "description", h.metadata().description(),
        "agent", h.metadata().agent(), "extra", h.metadata().extra()));
    m.put("recorderVersion", h.recorderVersion());
    m.put("created", h.created());
    m.put("files", rollout.files().stream().map(Object::toString).toList());
    List<String> recoveries = new ArrayList<>(rollout.recoveries().stream().map(RecoveryReport::describe).toList());
    rollout.skipped().forEach(f -> recoveries.add(f.describe()));
    m.put("recoveries", recoveries);
    m.put("columns", rollout.episodes().isEmpty() ? List.of()
        : rollout.schema(0).getFields().stream().map(Field::getName).toList());
    policies.describe(m);
    return m;
  }

  private static List<Map<String, Object>> features(Space space) {
    return space.features().stream()
        .map(f -> ordered("label", f.label(), "unit", f.unit(), "group", f.group())).toList();
  }

  /** A map of key, value, key, value... that keeps that order in JSON (Map.of's varies by JVM run). */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** The rows [from, to) of an episode, checked; absent bounds mean the episode's start and end. */
  int[] range(int episode, Integer from, Integer to, int cap) {
    EpisodeSummary e = episode(episode);
    int rows = e.observations();
    int f = from == null ? 0 : from;
    int t = to == null ? (int) Math.min(rows, (long) f + cap) : to;
    if (f < 0 || f > rows || t < f || t > rows) {
      throw ApiException.badRequest("steps [" + f + ", " + t + ") are outside episode " + episode
          + ", which has " + rows + " observations (from and to must satisfy 0 <= from <= to <= " + rows + ")");
    }
    if (t - f > cap) {
      throw ApiException.badRequest("[" + f + ", " + t + ") asks for " + (t - f) + " steps; at most " + cap
          + " per request");
    }
    return new int[] {f, t};
  }

  EpisodeSummary episode(int episode) {
    if (episode < 0 || episode >= rollout.episodes().size()) {
      throw ApiException.notFound("episode " + episode + " does not exist; recording '" + id + "' has "
          + rollout.episodes().size() + " episodes");
    }
    return rollout.episodes().get(episode);
  }

  /**
   * The rows [from, to) a steps request answers, checked against the row cap and against
   * {@code maxBytes} for an answer of {@code bytesPerRow}: without {@code to} the range stops
   * where the budget does; an explicit range over it is refused (413) with the rows that fit.
   */
  int[] stepsRange(int episode, Integer from, Integer to, long bytesPerRow, long maxBytes) {
    int fit = (int) Math.max(1, Math.min(MAX_STEPS_PER_REQUEST, maxBytes / Math.max(1, bytesPerRow)));
    int[] r = range(episode, from, to, MAX_STEPS_PER_REQUEST);
    if (to == null) {
      r[1] = Math.min(r[1], r[0] + fit);
    } else if (r[1] - r[0] > fit) {
      throw new ApiException(413, "[" + r[0] + ", " + r[1] + ") would be about " + (r[1] - r[0]) * bytesPerRow
          + " bytes, over the server's budget of " + maxBytes + " bytes per answer: ask for at most " + fit
          + " steps at once (e.g. from=" + r[0] + "&to=" + (r[0] + fit) + ")",
          Map.of("maxSteps", fit, "limit", maxBytes, "unit", "bytes of answer"), Map.of());
    }
    return r;
  }

  /** Bytes of one row in an Arrow answer. */
  long arrowBytesPerRow() {
    return rollout.episodes().isEmpty() ? 1 : RowSize.arrowBytes(rollout.schema(0));
  }

  /** Bytes of one row in a JSON answer. */
  long jsonBytesPerRow() {
    return rollout.episodes().isEmpty() ? 1 : RowSize.jsonBytes(rollout.schema(0));
  }

  /** Column arrays of the rows [from, to). */
  Map<String, Object> stepsJson(int episode, Integer from, Integer to, long maxBytes) throws IOException {
    int[] r = stepsRange(episode, from, to, jsonBytesPerRow(), maxBytes);
    Space obs = rollout.observationSpace();
    Space act = rollout.actionSpace();
    try (Steps s = rollout.read(episode, r[0], r[1])) {
      List<JsonNode> observations = new ArrayList<>();
      List<JsonNode> actions = new ArrayList<>();
      List<Double> rewards = new ArrayList<>();
      List<Boolean> terminations = new ArrayList<>();
      List<Boolean> truncations = new ArrayList<>();
      List<Map<String, Object>> infos = new ArrayList<>();
      List<float[]> probabilities = new ArrayList<>();
      List<float[]> logits = new ArrayList<>();
      List<Float> values = new ArrayList<>();
      List<Map<String, Double>> scalars = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        boolean finalRow = s.action(i) == null;
        observations.add(SpaceValues.toJson(obs, s.observation(i)));
        actions.add(SpaceValues.toJson(act, s.action(i)));
        rewards.add(s.reward(i));
        terminations.add(finalRow ? null : s.terminated(i));
        truncations.add(finalRow ? null : s.truncated(i));
        infos.add(s.info(i));
        probabilities.add(s.probabilities(i));
        logits.add(s.logits(i));
        values.add(s.value(i));
        Map<String, Double> named = s.scalars(i);
        scalars.add(named.isEmpty() ? null : named);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("episode", episode);
      m.put("from", r[0]);
      m.put("to", r[1]);
      m.put("observations", observations);
      m.put("actions", actions);
      m.put("rewards", rewards);
      m.put("terminations", terminations);
      m.put("truncations", truncations);
      m.put("infos", infos);
      if (s.has("action_probabilities")) {
        m.put("action_probabilities", probabilities);
      }
      if (s.has("action_logits")) {
        m.put("action_logits", logits);
      }
      if (s.has("value")) {
        m.put("value", values);
      }
      if (s.has("scalars")) {
        m.put("scalars", scalars);
      }
      return m;
    }
  }

  /**
   * The rows [from, to) as an Arrow IPC stream with the file's columns, less those that say
   * nothing within one episode's range: {@code episode_id}, and {@code infos} when all null.
   */
  void writeArrow(int[] r, int episode, OutputStream out) throws IOException {
    try (Steps s = rollout.read(episode, r[0], r[1])) {
      List<FieldVector> kept = new ArrayList<>();
      for (FieldVector v : s.arrow().getFieldVectors()) {
        boolean redundant = v.getName().equals("episode_id")
            || (v.getName().equals("infos") && v.getNullCount() == v.getValueCount());
        if (!redundant) {
          kept.add(v);
        }
      }
      // Shares the vectors: closing the Steps releases them.
      Schema schema = new Schema(kept.stream().map(FieldVector::getField).toList(),
          s.arrow().getSchema().getCustomMetadata());
      VectorSchemaRoot view = new VectorSchemaRoot(schema, kept, s.size());
      try (ArrowStreamWriter w = new ArrowStreamWriter(view, null, out)) {
        w.start();
        w.writeBatch();
        w.end();
      }
    }
  }

  Policy policyOrNull() { return policies.orNull("a"); } // A, or null

  /** The attached policy (A); refuses (409) when there is none. */
  Policy policy() {
    return policies.require("a");
  }

  AttachedPolicies policies() { // A and, when two are compared, B
    return policies;
  }

  /** An observation given as JSON, flattened; refused (400) naming the element that does not fit. */
  float[] observationFromJson(JsonNode observation) {
    return toFloats(rollout.observationSpace().flatten(valueFromJson(rollout.observationSpace(), observation,
        "observation")));
  }

  /** A value of {@code space} given as JSON; refused (400) naming the element that does not fit. */
  static Object valueFromJson(Space space, JsonNode json, String what) {
    try {
      return SpaceValues.fromJson(space, json);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the " + what + " does not fit the recording's " + space.typeName() + " " + what
          + " space: " + e.getMessage());
    }
  }

  /** What the policy answers for an observation given as JSON. */
  Map<String, Object> evaluate(JsonNode observation) {
    Policy p = policy();
    float[] x = observationFromJson(observation);
    float[] out = p.evaluate(x, 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", p.output().name().toLowerCase());
    m.put("outputs", out);
    if (p.output() == Policy.Output.ACTIONS) {
      m.put("action", out);
    } else {
      double[] probabilities = policies.attributorA.probabilitiesOf(out);
      m.put("probabilities", probabilities);
      m.put("action", greedyAction(probabilities));
    }
    // the critic's estimate beside the actor's answer, so an edit shows how V(s) moves too
    Policy value = p.valueHead();
    if (value != null) {
      m.put("value", value.evaluate(x, 1)[0]);
    }
    return m;
  }

  Object greedyAction(double[] probabilities) {
    Space act = rollout.actionSpace();
    if (act instanceof Discrete d) {
      int best = 0;
      for (int i = 1; i < probabilities.length; i++) {
        if (probabilities[i] > probabilities[best]) {
          best = i;
        }
      }
      return d.start() + best;
    }
    MultiDiscrete m = (MultiDiscrete) act;
    long[] out = new long[m.nvec().length];
    int at = 0;
    for (int i = 0; i < out.length; i++) {
      int best = 0;
      for (int j = 1; j < m.nvec()[i]; j++) {
        if (probabilities[at + j] > probabilities[at + best]) {
          best = j;
        }
      }
      out[i] = m.start()[i] + best;
      at += (int) m.nvec()[i];
    }
    return out;
  }

  /** Attributions of this recording's steps (its policy must be attached to compute them). */
  public RolloutAttributions attributions() {
    return policies.attributions("a");
  }

  /**
   * Attributions with policy {@code which}: "a" (the policy) or "b" (the compare policy; 409
   * when none is attached).
   */
  public RolloutAttributions attributions(String which) {
    return policies.attributions(which);
  }

  /** The recording served. */
  public Rollout rollout() {
    return rollout;
  }

  static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    live.close();
    rollout.close();
  }
}
