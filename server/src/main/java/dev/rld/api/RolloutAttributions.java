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
import dev.rld.format.Steps;
import dev.rld.policy.Policy;
import dev.rld.space.Box;
import dev.rld.space.Discrete;
import dev.rld.space.MultiDiscrete;
import dev.rld.space.Space;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The attributions of one served recording: computed through its policy on demand, cached per
 * step, precomputed into sidecars, and shown with a choice of targets and normalisation.
 * Knows nothing of HTTP; refuses bad requests with {@link ApiException}s.
 */
public final class RolloutAttributions {
  private final ServedRollout served;
  /** Which attached policy explains: "a" (the policy) or "b" (the compare policy). */
  private final String which;
  private final Attributor attributor;
  /** Explains the policy's value head (target=value); null when it has none. */
  private final Attributor valueAttributor;
  private final AttributionCache cache;
  private volatile float[] meanObservation;

  RolloutAttributions(ServedRollout served, String which, Attributor attributor, Attributor valueAttributor,
      AttributionCache cache) {
    this.served = served;
    this.which = which;
    this.attributor = attributor;
    this.valueAttributor = valueAttributor;
    this.cache = cache;
  }

  /** How an attributions request is shown: targets, normalisation, features. */
  record View(Targets targets, Normalization.Mode normalize, double outlier, String groups) {}

  /**
   * Checks and prices a request for the rows [from, to) of an episode before any work: refuses
   * (400, 409, 413) what cannot or may not be computed, naming the cheaper request to make.
   */
  Job prepare(int episode, AttributionRequest request, View view, Integer from, Integer to, Limits limits) {
    requirePolicy();
    int[] r = served.range(episode, from, to, ServedRollout.MAX_ATTRIBUTION_STEPS);
    boolean value = view.targets().kind() == Targets.Kind.VALUE;
    Attributor attributor = value ? valueAttributor() : this.attributor;
    FeatureGroups groups = attributor.features(request, groups(view.groups()));
    attributor.check(request, groups);
    String computation = computation(request, view.groups()) + (value ? ";target=value" : "");
    int missing = 0;
    for (int step = r[0]; step < r[1]; step++) {
      if (cache.get(cacheId(), episode, computation, step) == null) {
        missing++;
      }
    }
    Cost.check(Cost.of(attributor, request, groups, view.targets(), served.rollout.actionSpace(), r[1] - r[0],
        missing), limits, r);
    String estimator = request.method() != AttributionRequest.Method.SHAPLEY ? null
        : attributor.exact(request, groups) ? "exact" : "sampled";
    return new Job(attributor, episode, request, view, groups, computation, r, estimator);
  }

  /**
   * Explains one observation given as JSON, recorded or not (POST …/attributions): the answer
   * has one step, numbered {@code step} (Shapley permutations depend on it, so a recorded
   * observation with its step gets the GET route's answer). {@code action} (may be null) is
   * what {@code target=picked} explains; without it, the policy's greedy action.
   */
  AttributionAnswer explain(JsonNode observation, JsonNode action, int step, AttributionRequest request, View view,
      Limits limits) {
    requirePolicy();
    float[] x = served.observationFromJson(observation);
    boolean value = view.targets().kind() == Targets.Kind.VALUE;
    Attributor attributor = value ? valueAttributor() : this.attributor;
    FeatureGroups groups = attributor.features(request, groups(view.groups()));
    attributor.check(request, groups);
    Cost.check(Cost.of(attributor, request, groups, view.targets(), served.rollout.actionSpace(), 1, 1), limits,
        new int[] {step, step + 1});
    StepAttribution a = attributor.attribute(request, groups, new float[][] {x}, new int[] {step}, n -> { }).get(0);
    List<Integer> picked;
    if (value) {
      picked = List.of(0);
    } else if (action != null && !action.isNull()) {
      picked = pickedTargets(ServedRollout.valueFromJson(served.rollout.actionSpace(), action, "action"));
    } else {
      picked = a.probabilities() == null ? List.of() : pickedTargets(served.greedyAction(a.probabilities()));
    }
    String estimator = request.method() != AttributionRequest.Method.SHAPLEY ? null
        : attributor.exact(request, groups) ? "exact" : "sampled";
    return new AttributionAnswer(request, estimator, view, groups.labels(), new StepAttribution[] {a},
        List.of(picked), value ? k -> "value" : this::targetLabel);
  }

  /** The attributor of the value head; refuses (400) when the policy has none. */
  private Attributor valueAttributor() {
    if (valueAttributor == null) {
      throw ApiException.badRequest("target=value needs a policy with a value head: an ONNX model with a second "
          + "output (or one named value) holding one value per row; this policy has none");
    }
    return valueAttributor;
  }

  /**
   * A step's attributions when they were already computed (on request or from a sidecar) with
   * the viewer's default computation: ablation, zero baseline, probability, each feature. Null
   * otherwise; never computes.
   */
  StepAttribution cachedDefault(int episode, int step) {
    return cache.get(cacheId(), episode, DEFAULT_COMPUTATION, step);
  }

  /** The cache key of the API's default attributions request. */
  static final String DEFAULT_COMPUTATION = computation(new AttributionRequest(AttributionRequest.Method.ABLATION,
      new AttributionRequest.Baseline("zero", new float[0]), AttributionRequest.OutputKind.PROBABILITY, 25, 0,
      new int[] {8, 8}, new int[] {4, 4}), "features");

  private void requirePolicy() {
    served.policies().require(which);
  }

  /**
   * The cache's name for this recording and policy: B's attributions must never be answered
   * from A's (recording ids hold no '#'), nor episodes renumbered in a growing directory from old ones.
   */
  private String cacheId() {
    String scope = served.live.shifts() == 0 ? served.id : served.id + "\u0000" + served.live.shifts(); // renumbered
    return which.equals("a") ? scope : scope + "#" + which;
  }

  /** Whether target=value can be explained. */
  boolean hasValue() {
    return valueAttributor != null;
  }

  /** A priced request: {@link #run} computes what the cache lacks, on the caller's thread. */
  final class Job {
    private final Attributor attributor;
    private final String estimator;
    private final int episode;
    private final AttributionRequest request;
    private final View view;
    private final FeatureGroups groups;
    private final String computation;
    private final int[] range;

    private Job(Attributor attributor, int episode, AttributionRequest request, View view, FeatureGroups groups,
        String computation, int[] range, String estimator) {
      this.attributor = attributor;
      this.estimator = estimator;
      this.episode = episode;
      this.request = request;
      this.view = view;
      this.groups = groups;
      this.computation = computation;
      this.range = range;
    }

    AttributionAnswer run() throws IOException {
      StepAttribution[] byRow = new StepAttribution[range[1] - range[0]];
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < byRow.length; i++) {
        byRow[i] = cache.get(cacheId(), episode, computation, range[0] + i);
        if (byRow[i] == null) {
          missing.add(i);
        }
      }
      List<List<Integer>> picked = new ArrayList<>();
      try (Steps s = served.rollout.read(episode, range[0], range[1])) {
        boolean value = view.targets().kind() == Targets.Kind.VALUE;
        for (int i = 0; i < s.size(); i++) {
          picked.add(value ? List.of(0) : pickedTargets(s.action(i)));
        }
        if (!missing.isEmpty()) {
          float[][] x = new float[missing.size()][];
          int[] steps = new int[missing.size()];
          for (int j = 0; j < x.length; j++) {
            x[j] = ServedRollout.toFloats(served.rollout.observationSpace().flatten(s.observation(missing.get(j))));
            steps[j] = range[0] + missing.get(j);
          }
          List<StepAttribution> computed = attributor.attribute(request, groups, x, steps, n -> { });
          for (int j = 0; j < x.length; j++) {
            byRow[missing.get(j)] = computed.get(j);
            cache.put(cacheId(), episode, computation, computed.get(j));
          }
        }
      }
      return new AttributionAnswer(request, estimator, view, groups.labels(), byRow, picked,
          view.targets().kind() == Targets.Kind.VALUE ? k -> "value" : RolloutAttributions.this::targetLabel);
    }
  }

  /**
   * Checks, before any work, that {@code request} can be computed here: a policy is attached,
   * the groups exist, and the attributor accepts it (occlusion has an image, one step fits the
   * memory budget). Throws an exception naming the problem.
   */
  public void check(AttributionRequest request, String groupsName) {
    requirePolicy();
    attributor.check(request, groups(groupsName));
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
    requirePolicy();
    FeatureGroups groups = attributor.features(request, groups(groupsName));
    attributor.check(request, groups);
    String computation = computation(request, groupsName);
    List<Sidecar.Entry> out = new ArrayList<>();
    int done = 0;
    for (int e : episodes) {
      EpisodeSummary ep = served.episode(e);
      for (int from = 0; from < ep.observations(); from += ServedRollout.MAX_ATTRIBUTION_STEPS) {
        int to = Math.min(ep.observations(), from + ServedRollout.MAX_ATTRIBUTION_STEPS);
        try (Steps s = served.rollout.read(e, from, to)) {
          float[][] x = new float[s.size()][];
          int[] steps = new int[s.size()];
          for (int i = 0; i < x.length; i++) {
            x[i] = ServedRollout.toFloats(served.rollout.observationSpace().flatten(s.observation(i)));
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
    Policy policy = served.policies().orNull(which);
    if (policy == null || !policy.fingerprint().equals(contents.policyFingerprint())) {
      return -1;
    }
    for (Sidecar.Entry e : contents.entries()) {
      cache.put(cacheId(), e.episode(), e.computation(), e.attribution());
    }
    return contents.entries().size();
  }

  /**
   * The features of {@code name}: "features" (each flat element), "keys" (each top-level Dict
   * key), or a JSON object naming groups of feature labels, e.g. {"cart": ["cart position",
   * "cart velocity"]}; elements in no group stay features of their own.
   */
  FeatureGroups groups(String name) {
    Space obs = served.rollout.observationSpace();
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
    int d = served.rollout.observationSpace().flatDim();
    if (name.equals("zero")) {
      return new AttributionRequest.Baseline("zero", new float[d]);
    }
    if (name.equals("mean")) {
      return new AttributionRequest.Baseline("mean", meanObservation());
    }
    try {
      return AttributionRequest.Baseline.custom(name, d, this::featureLabel);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private String featureLabel(int i) {
    return served.rollout.observationSpace().features().get(i).label();
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
    Space obs = served.rollout.observationSpace();
    double[] sum = new double[obs.flatDim()];
    double[] row = new double[sum.length];
    long n = 0;
    for (EpisodeSummary e : served.rollout.episodes()) {
      for (int from = 0; from < e.observations(); from += 10_000) {
        try (Steps s = served.rollout.read(e.index(), from, Math.min(e.observations(), from + 10_000))) {
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
    Space act = served.rollout.actionSpace();
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
  Object targetLabel(int k) {
    return served.rollout.actionSpace() instanceof Discrete d ? d.start() + k : k;
  }
}
