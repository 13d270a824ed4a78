package dev.rld.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rld.attribution.AttributionCache;
import dev.rld.attribution.AttributionRequest;
import dev.rld.attribution.Attributor;
import dev.rld.attribution.FeatureGroups;
import dev.rld.attribution.Normalization;
import dev.rld.attribution.Sidecar;
import dev.rld.attribution.StepAttribution;
import dev.rld.attribution.Targets;
import dev.rld.format.EpisodeSummary;
import dev.rld.format.RecoveryReport;
import dev.rld.format.Rollout;
import dev.rld.format.RolloutHeader;
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.Feature;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import dev.rld.space.SpaceJson;
import dev.rld.space.SpaceValues;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
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
  private final Policy policy;
  private final Attributor attributor;
  private final AttributionCache cache = new AttributionCache(1_000_000);
  private volatile float[] meanObservation;

  /** Opens {@code path} to serve, with {@code policy} attached (may be null). */
  public static ServedRollout open(String id, Path path, Policy policy) throws IOException {
    Rollout rollout = Rollout.open(path);
    try {
      return new ServedRollout(id, rollout, policy);
    } catch (RuntimeException e) {
      rollout.close();
      throw e;
    }
  }

  ServedRollout(String id, Rollout rollout, Policy policy) {
    this.id = id;
    this.rollout = rollout;
    this.policy = policy;
    this.attributor = policy == null ? null
        : new Attributor(policy, rollout.observationSpace(), rollout.actionSpace());
  }

  Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("path", rollout.path().toString());
    m.put("envId", rollout.header().envId());
    m.put("title", rollout.header().metadata().title());
    m.put("episodes", rollout.episodes().size());
    m.put("steps", rollout.totalSteps());
    m.put("hasPolicy", policy != null);
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
    m.put("recoveries", rollout.recoveries().stream().map(RecoveryReport::describe).toList());
    m.put("columns", rollout.episodes().isEmpty() ? List.of()
        : rollout.schema(0).getFields().stream().map(Field::getName).toList());
    if (policy != null) {
      m.put("policy", ordered("inputs", policy.inputSize(), "outputs", policy.outputSize(),
          "output", policy.output().name().toLowerCase()));
    }
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

  List<Map<String, Object>> episodes() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EpisodeSummary e : rollout.episodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", e.index());
      m.put("length", e.length());
      m.put("return", e.totalReturn());
      m.put("seed", e.seed());
      m.put("terminated", e.terminated());
      m.put("truncated", e.truncated());
      m.put("complete", e.complete());
      out.add(m);
    }
    return out;
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

  /** Column arrays of the rows [from, to). */
  Map<String, Object> stepsJson(int episode, Integer from, Integer to) throws IOException {
    int[] r = range(episode, from, to, MAX_STEPS_PER_REQUEST);
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
  void writeArrow(int episode, Integer from, Integer to, OutputStream out) throws IOException {
    int[] r = range(episode, from, to, MAX_STEPS_PER_REQUEST);
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

  Policy policy() {
    if (policy == null) {
      throw new ApiException(409, "recording '" + id + "' has no policy attached: start the server with "
          + "--policy model.onnx (or attach a Java policy) to evaluate or attribute");
    }
    return policy;
  }

  /** What the policy answers for an observation given as JSON. */
  Map<String, Object> evaluate(JsonNode observation) {
    Policy p = policy();
    Space space = rollout.observationSpace();
    Object value;
    try {
      value = SpaceValues.fromJson(space, observation);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the observation does not fit the recording's " + space.typeName()
          + " observation space: " + e.getMessage());
    }
    float[] x = toFloats(space.flatten(value));
    float[] out = p.evaluate(x, 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", p.output().name().toLowerCase());
    m.put("outputs", out);
    if (p.output() == Policy.Output.ACTIONS) {
      m.put("action", out);
    } else {
      double[] probabilities = attributor.probabilities(x);
      m.put("probabilities", probabilities);
      m.put("action", greedyAction(probabilities));
    }
    return m;
  }

  private Object greedyAction(double[] probabilities) {
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

  /** How an attributions request is shown: targets, normalisation, features. */
  record View(Targets targets, Normalization.Mode normalize, double outlier, String groups) {}

  Map<String, Object> attributions(int episode, AttributionRequest request, View view, Integer from, Integer to,
      IntConsumer progress) throws IOException {
    policy();
    int[] r = range(episode, from, to, MAX_ATTRIBUTION_STEPS);
    FeatureGroups groups = attributor.features(request, groups(view.groups()));
    attributor.check(request, groups);
    String computation = computation(request, view.groups());
    StepAttribution[] byRow = new StepAttribution[r[1] - r[0]];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < byRow.length; i++) {
      byRow[i] = cache.get(episode, computation, r[0] + i);
      if (byRow[i] == null) {
        missing.add(i);
      }
    }
    List<List<Integer>> picked = new ArrayList<>();
    try (Steps s = rollout.read(episode, r[0], r[1])) {
      for (int i = 0; i < s.size(); i++) {
        picked.add(pickedTargets(s.action(i)));
      }
      if (!missing.isEmpty()) {
        float[][] x = new float[missing.size()][];
        int[] steps = new int[missing.size()];
        for (int j = 0; j < x.length; j++) {
          x[j] = toFloats(rollout.observationSpace().flatten(s.observation(missing.get(j))));
          steps[j] = r[0] + missing.get(j);
        }
        List<StepAttribution> computed = attributor.attribute(request, groups, x, steps, progress);
        for (int j = 0; j < x.length; j++) {
          byRow[missing.get(j)] = computed.get(j);
          cache.put(episode, computation, computed.get(j));
        }
      }
    }
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < byRow.length; i++) {
      StepAttribution a = byRow[i];
      List<Map<String, Object>> targets = new ArrayList<>();
      for (int k : view.targets().select(a, picked.get(i))) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("action", targetLabel(k));
        t.put("probability", a.probabilities() == null ? null : a.probabilities()[k]);
        t.put("value", a.values()[k]);
        t.put("raw", a.raw()[k]);
        t.put("normalized", Normalization.normalize(a.raw()[k], view.normalize(), view.outlier()));
        targets.add(t);
      }
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("step", a.step());
      step.put("targets", targets);
      steps.add(step);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", request.method().name().toLowerCase());
    m.put("target", view.targets().toString());
    m.put("baseline", request.baseline().name());
    m.put("output", request.output().name().toLowerCase());
    m.put("normalize", view.normalize().name().toLowerCase());
    m.put("features", groups.labels());
    m.put("steps", steps);
    return m;
  }

  /**
   * Checks, before any work, that {@code request} can be computed here: a policy is attached,
   * the groups exist, and the attributor accepts it (occlusion has an image, one step fits the
   * memory budget). Throws an exception naming the problem.
   */
  public void check(AttributionRequest request, String groupsName) {
    policy();
    attributor.check(request, groups(groupsName));
  }

  /** The recording served. */
  public Rollout rollout() {
    return rollout;
  }

  /** The cache (and sidecar) key of a computation. */
  static String computation(AttributionRequest request, String groups) {
    return request.key() + ";groups=" + groups;
  }

  /**
   * Computes every step of the given episodes (for {@code rld attribute}); {@code progress}
   * hears the number of steps done so far.
   */
  public List<Sidecar.Entry> precompute(List<Integer> episodes, AttributionRequest request, String groupsName,
      IntConsumer progress) throws IOException {
    policy();
    FeatureGroups groups = attributor.features(request, groups(groupsName));
    attributor.check(request, groups);
    String computation = computation(request, groupsName);
    List<Sidecar.Entry> out = new ArrayList<>();
    int done = 0;
    for (int e : episodes) {
      EpisodeSummary ep = episode(e);
      for (int from = 0; from < ep.observations(); from += MAX_ATTRIBUTION_STEPS) {
        int to = Math.min(ep.observations(), from + MAX_ATTRIBUTION_STEPS);
        try (Steps s = rollout.read(e, from, to)) {
          float[][] x = new float[s.size()][];
          int[] steps = new int[s.size()];
          for (int i = 0; i < x.length; i++) {
            x[i] = toFloats(rollout.observationSpace().flatten(s.observation(i)));
            steps[i] = from + i;
          }
          int before = done;
          for (StepAttribution a : attributor.attribute(request, groups, x, steps, n -> progress.accept(before + n))) {
            out.add(new Sidecar.Entry(e, computation, a));
          }
          done += x.length;
        }
      }
    }
    return out;
  }

  /**
   * Takes the attributions of {@code file} into the cache when they were made with this
   * recording's policy; returns how many steps it took, or -1 for another policy's file.
   */
  int loadSidecar(Sidecar.Contents contents) {
    if (policy == null || !policy.fingerprint().equals(contents.policyFingerprint())) {
      return -1;
    }
    for (Sidecar.Entry e : contents.entries()) {
      cache.put(e.episode(), e.computation(), e.attribution());
    }
    return contents.entries().size();
  }

  /**
   * The features of {@code name}: "features" (each flat element), "keys" (each top-level Dict
   * key), or a JSON object naming groups of feature labels, e.g. {"cart": ["cart position",
   * "cart velocity"]}; elements in no group stay features of their own.
   */
  FeatureGroups groups(String name) {
    Space obs = rollout.observationSpace();
    if (name.startsWith("{")) {
      Map<String, List<String>> named;
      try {
        named = GROUPS_JSON.readValue(name, GROUPS_TYPE);
      } catch (IOException e) {
        throw ApiException.badRequest("groups must be features, keys, or a JSON object of label lists; got '"
            + name + "'");
      }
      try {
        return FeatureGroups.custom(obs, named);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
    }
    return switch (name) {
      case "features" -> FeatureGroups.perElement(obs);
      case "keys" -> FeatureGroups.byTopLevelKey(obs);
      default -> throw ApiException.badRequest("unknown groups '" + name
          + "' (features, keys, or a JSON object such as {\"cart\": [\"cart position\", \"cart velocity\"]})");
    };
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper GROUPS_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, List<String>>> GROUPS_TYPE =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  /** The baseline named {@code name}: zero, mean, or comma-separated values. */
  public AttributionRequest.Baseline baseline(String name) throws IOException {
    int d = rollout.observationSpace().flatDim();
    if (name.equals("zero")) {
      return new AttributionRequest.Baseline("zero", new float[d]);
    }
    if (name.equals("mean")) {
      return new AttributionRequest.Baseline("mean", meanObservation());
    }
    String[] parts = name.split(",");
    if (parts.length != d) {
      throw ApiException.badRequest("baseline must be zero, mean, or " + d + " comma-separated numbers; got '"
          + name + "'");
    }
    float[] v = new float[d];
    try {
      for (int i = 0; i < d; i++) {
        v[i] = Float.parseFloat(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("baseline values must be numbers; got '" + name + "'");
    }
    return new AttributionRequest.Baseline("custom", v);
  }

  /** Mean flattened observation over every observation row of the recording, computed once. */
  float[] meanObservation() throws IOException {
    float[] m = meanObservation;
    if (m == null) {
      synchronized (this) {
        if (meanObservation == null) {
          meanObservation = computeMean();
        }
        m = meanObservation;
      }
    }
    return m;
  }

  private float[] computeMean() throws IOException {
    Space obs = rollout.observationSpace();
    double[] sum = new double[obs.flatDim()];
    double[] row = new double[sum.length];
    long n = 0;
    for (EpisodeSummary e : rollout.episodes()) {
      for (int from = 0; from < e.observations(); from += 10_000) {
        try (Steps s = rollout.read(e.index(), from, Math.min(e.observations(), from + 10_000))) {
          for (int i = 0; i < s.size(); i++) {
            obs.flatten(s.observation(i), row, 0);
            for (int j = 0; j < sum.length; j++) {
              sum[j] += row[j];
            }
            n++;
          }
        }
      }
    }
    float[] mean = new float[sum.length];
    for (int j = 0; j < sum.length; j++) {
      mean[j] = n == 0 ? 0 : (float) (sum[j] / n);
    }
    return mean;
  }

  /** Target indexes of the action taken: one per sub-action; every dimension for Box. */
  private List<Integer> pickedTargets(Object action) {
    Space act = rollout.actionSpace();
    if (action == null) {
      return List.of();
    }
    if (act instanceof Discrete d) {
      return List.of(((Number) action).intValue() - d.start());
    }
    if (act instanceof MultiDiscrete m) {
      long[] a = (long[]) action;
      List<Integer> out = new ArrayList<>();
      int at = 0;
      for (int i = 0; i < a.length; i++) {
        out.add(at + (int) (a[i] - m.start()[i]));
        at += (int) m.nvec()[i];
      }
      return out;
    }
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < ((Box) act).size(); i++) {
      all.add(i);
    }
    return all;
  }

  /** How a target is named in responses: the action for Discrete, else the output index. */
  private Object targetLabel(int k) {
    return rollout.actionSpace() instanceof Discrete d ? d.start() + k : k;
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
    rollout.close();
  }
}
