package dev.rld.attribution;

import dev.rld.space.Feature;
import dev.rld.space.Space;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features attributions are reported for: a partition of the flattened observation's
 * elements, each part with a label. By default each element is a feature; Dict keys (and Tuple
 * elements) may count as one feature each; users may name their own groups.
 */
public record FeatureGroups(List<String> labels, List<int[]> members) {

  /** One feature per flat element, labelled as the space labels it. */
  public static FeatureGroups perElement(Space space) {
    List<String> labels = new ArrayList<>();
    List<int[]> members = new ArrayList<>();
    List<Feature> features = space.features();
    for (int i = 0; i < features.size(); i++) {
      labels.add(features.get(i).label());
      members.add(new int[] {i});
    }
    return new FeatureGroups(labels, members);
  }

  /** One feature per top-level Dict key or Tuple element; other spaces stay per element. */
  public static FeatureGroups byTopLevelKey(Space space) {
    List<Feature> features = space.features();
    if (features.stream().allMatch(f -> f.group().isEmpty())) {
      return perElement(space);
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      groups.computeIfAbsent(features.get(i).group(), k -> new ArrayList<>()).add(i);
    }
    return of(groups);
  }

  /**
   * User-defined groups: label to feature labels (as {@link #perElement} names them). Elements
   * in no group are features of their own.
   */
  public static FeatureGroups custom(Space space, Map<String, List<String>> named) {
    List<Feature> features = space.features();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      index.put(features.get(i).label(), i);
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    boolean[] taken = new boolean[features.size()];
    named.forEach((label, members) -> {
      List<Integer> ids = new ArrayList<>();
      for (String m : members) {
        Integer i = index.get(m);
        if (i == null) {
          throw new IllegalArgumentException("group '" + label + "' names unknown feature '" + m
              + "' (features: " + index.keySet() + ")");
        }
        if (taken[i]) {
          throw new IllegalArgumentException("feature '" + m + "' is in more than one group");
        }
        taken[i] = true;
        ids.add(i);
      }
      groups.put(label, ids);
    });
    for (int i = 0; i < features.size(); i++) {
      if (!taken[i]) {
        groups.put(features.get(i).label(), List.of(i));
      }
    }
    return of(groups);
  }

  private static FeatureGroups of(Map<String, List<Integer>> groups) {
    List<String> labels = new ArrayList<>(groups.keySet());
    List<int[]> members = new ArrayList<>();
    groups.values().forEach(ids -> members.add(ids.stream().mapToInt(Integer::intValue).toArray()));
    return new FeatureGroups(labels, members);
  }

  public int size() {
    return members.size();
  }
}
