package dev.rld.hotspot;

import java.util.List;

/**
 * The most attributed observation feature of each step of an episode, from attributions that
 * were already computed (hotspots never compute attributions themselves).
 *
 * @param features the features' labels
 * @param top per step, the index into {@code features} of the feature with the largest |attribution|
 * @param share per step, that feature's share of the step's total |attribution|, in [0, 1]
 * @param computation what the attributions are, for reasons (e.g. "ablation")
 */
public record AttributionTrack(List<String> features, int[] top, double[] share, String computation) {}
