package dev.rld.hotspot;

import static dev.rld.hotspot.Recordings.probabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.AgentOutput;
import dev.rld.format.Rollout;
import dev.rld.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detectors on recordings with events put there on purpose: each must be found at its
 * step, ranked by score, and detectors without their columns must say so.
 */
class HotspotFinderTest {
  static final EpisodeSignals.PolicyBudget BUDGET = new EpisodeSignals.PolicyBudget(1 << 24, 1L << 30);
  @TempDir Path dir;

  private static HotspotReport find(Path file, int episode, Policy policy) throws IOException {
    try (Rollout r = Rollout.open(file)) {
      return HotspotFinder.find(EpisodeSignals.read(r, episode, policy, BUDGET), null, "none computed");
    }
  }

  private static Map<String, DetectorRun> byKind(HotspotReport report) {
    return report.detectors().stream().collect(Collectors.toMap(DetectorRun::kind, Function.identity()));
  }

  private static List<Hotspot> ofKind(HotspotReport report, String kind) {
    return report.hotspots().stream().filter(h -> h.kind().equals(kind)).toList();
  }

  @Test
  void anUnlikelyActionAndARewardSpikeRankFirst() throws IOException {
    // 30 steps of action 0 at p = 0.9 and reward 1; step 7 takes action 1 at p = 0.01, step 19 earns +50.
    Path file = Recordings.write(dir.resolve("events.arrow"), new Recordings.Episode(30, true,
        t -> new Recordings.Step(t == 7 ? 1 : 0, t == 19 ? 50 : 1, probabilities(t == 7 ? 0.99 : 0.9))));
    HotspotReport report = find(file, 0, null);
    assertEquals(0, report.episode());
    Hotspot first = report.hotspots().get(0);
    Hotspot second = report.hotspots().get(1);
    assertEquals(new Hotspot(7, 7, Hotspot.UNLIKELY_ACTION, 0.9, "picked action 1 with probability 0.01 at step 7"),
        first);
    assertEquals(19, second.from());
    assertEquals(19, second.to());
    assertEquals(Hotspot.REWARD, second.kind());
    // median 1, MAD 0: the scale is 1.2533 × the mean absolute deviation 49/30
    double z = 49 / (1.2533 * 49 / 30);
    assertEquals(Math.round((1 - 3.5 / z) * 1e4) / 1e4, second.score(), 1e-9);
    assertEquals("high reward +50.0 at step 19 (episode median 1.0, mean 2.633)", second.reason());
    assertEquals(new Hotspot(20, 29, Hotspot.TERMINATION, 0.5, "terminated at step 29: the last 10 steps before the end"),
        report.hotspots().get(2));
    assertEquals(3, report.hotspots().size(), report.hotspots().toString());
    Map<String, DetectorRun> runs = byKind(report);
    assertEquals(Hotspot.KINDS, report.detectors().stream().map(DetectorRun::kind).toList());
    assertEquals(new DetectorRun(Hotspot.UNLIKELY_ACTION, true, 1, null), runs.get(Hotspot.UNLIKELY_ACTION));
    assertEquals(new DetectorRun(Hotspot.UNDECIDED, true, 0, null), runs.get(Hotspot.UNDECIDED));
    assertEquals(new DetectorRun(Hotspot.OSCILLATION, true, 0, null), runs.get(Hotspot.OSCILLATION));
    assertEquals(new DetectorRun(Hotspot.VALUE_DROP, false, null, "the recording has no value column"),
        runs.get(Hotspot.VALUE_DROP));
    assertEquals(new DetectorRun(Hotspot.ATTRIBUTION_SHIFT, false, null, "none computed"),
        runs.get(Hotspot.ATTRIBUTION_SHIFT));
    assertFalse(runs.get(Hotspot.POLICY_DISAGREES).ran());
    assertTrue(runs.get(Hotspot.POLICY_DISAGREES).why().startsWith("no policy is attached"));
  }

  @Test
  void withoutAgentColumnsOnlyTheEnvironmentsDetectorsRun() throws IOException {
    Path file = Recordings.write(dir.resolve("bare.arrow"), new Recordings.Episode(20, false,
        t -> new Recordings.Step(0, t == 4 ? -30 : 0.5, AgentOutput.none())));
    HotspotReport report = find(file, 0, null);
    Map<String, DetectorRun> runs = byKind(report);
    assertEquals("the recording has no action_probabilities column", runs.get(Hotspot.UNLIKELY_ACTION).why());
    assertEquals("the recording has no action_probabilities column", runs.get(Hotspot.UNDECIDED).why());
    assertEquals("the recording has neither action_probabilities nor action_logits",
        runs.get(Hotspot.OSCILLATION).why());
    assertEquals("the recording has no value column", runs.get(Hotspot.VALUE_DROP).why());
    for (String kind : List.of(Hotspot.UNLIKELY_ACTION, Hotspot.UNDECIDED, Hotspot.OSCILLATION, Hotspot.VALUE_DROP)) {
      assertFalse(runs.get(kind).ran(), kind);
      assertNull(runs.get(kind).found(), kind);
    }
    assertEquals(new DetectorRun(Hotspot.REWARD, true, 1, null), runs.get(Hotspot.REWARD));
    assertEquals(new DetectorRun(Hotspot.TERMINATION, true, 0, null), runs.get(Hotspot.TERMINATION), "truncated");
    Hotspot low = report.hotspots().get(0);
    assertEquals(List.of(4, 4, Hotspot.REWARD), List.of(low.from(), low.to(), low.kind()));
    assertTrue(low.reason().startsWith("low reward -30.0 at step 4"), low.reason());
  }

  @Test
  void terminationCoversTheLastStepsOfATerminatedEpisodeOnly() throws IOException {
    Recordings.Step plain = new Recordings.Step(0, 1, AgentOutput.none());
    Path file = Recordings.write(dir.resolve("ends.arrow"), new Recordings.Episode(25, true, t -> plain),
        new Recordings.Episode(25, false, t -> plain), new Recordings.Episode(4, true, t -> plain));
    assertEquals(List.of(new Hotspot(15, 24, Hotspot.TERMINATION, 0.5,
        "terminated at step 24: the last 10 steps before the end")), find(file, 0, null).hotspots());
    assertEquals(List.of(), find(file, 1, null).hotspots(), "a truncated episode was cut from outside");
    assertEquals(List.of(new Hotspot(0, 3, Hotspot.TERMINATION, 0.5,
        "terminated at step 3: the last 4 steps before the end")), find(file, 2, null).hotspots());
  }

  @Test
  void tdErrorsAreTheHandComputedOnes() throws IOException {
    float[] v = {2.0f, 1.5f, 3.25f, 0.5f, 4.0f};
    double[] r = {1, 0, 2, 0, 3};
    Path file = Recordings.write(dir.resolve("values.arrow"),
        new Recordings.Episode(5, true, t -> new Recordings.Step(0, r[t], AgentOutput.none().withValue(v[t]))),
        new Recordings.Episode(5, false, t -> new Recordings.Step(0, r[t], AgentOutput.none().withValue(v[t]))));
    try (Rollout rollout = Rollout.open(file)) {
      double[] terminated = ValueDetector.tdErrors(EpisodeSignals.read(rollout, 0, null, BUDGET), 0.9);
      // r_t + 0.9·V(s_{t+1}) − V(s_t); the terminal step bootstraps nothing
      double[] want = {1 + 0.9 * 1.5 - 2.0, 0 + 0.9 * 3.25 - 1.5, 2 + 0.9 * 0.5 - 3.25, 0 + 0.9 * 4.0 - 0.5, 3 - 4.0};
      for (int t = 0; t < 5; t++) {
        assertEquals(want[t], terminated[t], 1e-6, "step " + t);
      }
      double[] truncated = ValueDetector.tdErrors(EpisodeSignals.read(rollout, 1, null, BUDGET), 0.9);
      assertEquals(want[3], truncated[3], 1e-6);
      assertTrue(Double.isNaN(truncated[4]), "the final row's value is not recorded: nothing to bootstrap from");
    }
  }

  @Test
  void aSharpValueDropIsFoundAtItsStep() throws IOException {
    // V = r / (1 − γ) holds at every step (TD error 0) but one: V falls from 10 to 4 after step 11.
    Path file = Recordings.write(dir.resolve("drop.arrow"), new Recordings.Episode(30, false,
        t -> new Recordings.Step(0, t <= 11 ? 0.1 : 0.04, AgentOutput.none().withValue(t <= 11 ? 10 : 4))));
    List<Hotspot> drops = ofKind(find(file, 0, null), Hotspot.VALUE_DROP);
    assertEquals(1, drops.size(), drops.toString());
    Hotspot drop = drops.get(0);
    assertEquals(List.of(11, 11), List.of(drop.from(), drop.to()));
    assertEquals("TD error -5.94 at step 11: r + γ·V(s') − V(s) = 0.1 + 0.99·4.0 − 10.0 (episode median 0.0)",
        drop.reason());
    // 28 TD errors of 0 and one of −5.94: the scale is 1.2533 × 5.94 / 29
    double z = 5.94 / (1.2533 * 5.94 / 29);
    assertEquals(Math.round((1 - 3.5 / z) * 1e4) / 1e4, drop.score(), 1e-4);
  }

  @Test
  void undecidedStepsMergeIntoOneRange() throws IOException {
    Path file = Recordings.write(dir.resolve("torn.arrow"), new Recordings.Episode(12, false,
        t -> new Recordings.Step(0, 1, probabilities(t == 3 || t == 4 ? 0.52 : t == 5 ? 0.55 : 0.9))));
    List<Hotspot> torn = ofKind(find(file, 0, null), Hotspot.UNDECIDED);
    assertEquals(1, torn.size(), torn.toString());
    assertEquals(List.of(3, 5), List.of(torn.get(0).from(), torn.get(0).to()));
    assertTrue(torn.get(0).reason().endsWith("at step 3 (strongest of steps 3–5)"), torn.get(0).reason());
    assertTrue(torn.get(0).score() <= ActionDetectors.UNDECIDED_WEIGHT);
  }

  @Test
  void anOscillatingGreedyActionIsFoundFromLogits() throws IOException {
    int[] greedy = {0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0};
    Path file = Recordings.write(dir.resolve("flip.arrow"), new Recordings.Episode(greedy.length, false,
        t -> new Recordings.Step(0, 1, AgentOutput.ofLogits(greedy[t] == 0 ? 1 : 0, greedy[t]))));
    HotspotReport report = find(file, 0, null);
    assertEquals("the recording has no action_probabilities column", byKind(report).get(Hotspot.UNLIKELY_ACTION).why());
    // windows A B A B end at steps 5, 6, 7 and 8: one range, steps 2 to 8, six flips
    assertEquals(List.of(new Hotspot(2, 8, Hotspot.OSCILLATION, 0.48,
        "greedy action flipped between 0 and 1 6 times in steps 2–8")), ofKind(report, Hotspot.OSCILLATION));
  }

  @Test
  void theAttachedPolicyDisagreesWhereItPrefersAnotherAction() throws IOException {
    Path file = Recordings.write(dir.resolve("policy.arrow"), new Recordings.Episode(20, false,
        t -> new Recordings.Step(0, 1, AgentOutput.none())));
    // Logits [3, 0], except at observations 12 and 13 (steps 12, 13): [0, 3].
    Policy policy = Policy.of(2, 2, Policy.Output.LOGITS, (x, batch) -> {
      float[] out = new float[2 * batch];
      for (int b = 0; b < batch; b++) {
        boolean right = x[2 * b] == 12 || x[2 * b] == 13;
        out[2 * b] = right ? 0 : 3;
        out[2 * b + 1] = right ? 3 : 0;
      }
      return out;
    });
    HotspotReport report = find(file, 0, policy);
    double sure = 1 / (1 + Math.exp(-3));
    List<Hotspot> found = ofKind(report, Hotspot.POLICY_DISAGREES);
    assertEquals(1, found.size(), found.toString());
    assertEquals(List.of(12, 13), List.of(found.get(0).from(), found.get(0).to()));
    assertEquals(Math.round(0.9 * (sure - (1 - sure)) * 1e4) / 1e4, found.get(0).score(), 1e-9);
    assertTrue(found.get(0).reason().startsWith("the attached policy picks action 1 (probability 0.953), the "
        + "recording took 0 (0.047) at step 12"), found.get(0).reason());
    try (Rollout r = Rollout.open(file)) {
      // Batches of at most 3 observations (6 values): the same answer, in 7 calls.
      java.util.List<Integer> batches = new java.util.ArrayList<>();
      Policy counted = Policy.of(2, 2, Policy.Output.LOGITS, (x, batch) -> {
        batches.add(batch);
        return policy.evaluate(x, batch);
      });
      assertEquals(report, HotspotFinder.find(EpisodeSignals.read(r, 0, counted,
          new EpisodeSignals.PolicyBudget(1 << 20, 1 << 20, 6)), null, "none computed"));
      assertEquals(List.of(3, 3, 3, 3, 3, 3, 2), batches);
      EpisodeSignals tight = EpisodeSignals.read(r, 0, policy, new EpisodeSignals.PolicyBudget(10, 1 << 20));
      DetectorRun skipped = byKind(HotspotFinder.find(tight, null, "")).get(Hotspot.POLICY_DISAGREES);
      assertFalse(skipped.ran());
      assertTrue(skipped.why().contains("over the server's budget of 10 observations"), skipped.why());
    }
  }

  @Test
  void attributionShiftsAreTheStepsWhoseTopFeatureChanged() throws IOException {
    Path file = Recordings.write(dir.resolve("shift.arrow"), new Recordings.Episode(8, false,
        t -> new Recordings.Step(0, 1, AgentOutput.none())));
    int[] top = {0, 0, 0, 1, 1, 0, 0, 0};
    double[] share = {0.6, 0.6, 0.6, 0.8, 0.7, 0.5, 0.6, 0.6};
    try (Rollout r = Rollout.open(file)) {
      HotspotReport report = HotspotFinder.find(EpisodeSignals.read(r, 0, null, BUDGET),
          new AttributionTrack(List.of("x", "v"), top, share, "ablation"), "unused");
      assertEquals(List.of(
          new Hotspot(3, 3, Hotspot.ATTRIBUTION_SHIFT, 0.56,
              "most attributed feature (ablation) changed from x to v at step 3 (80 % of the attribution)"),
          new Hotspot(5, 5, Hotspot.ATTRIBUTION_SHIFT, 0.35,
              "most attributed feature (ablation) changed from v to x at step 5 (50 % of the attribution)")),
          ofKind(report, Hotspot.ATTRIBUTION_SHIFT));
    }
  }

  @Test
  void manyEventsAreCappedStrongestFirst() throws IOException {
    // An unlikely action every other step: 500 separate ranges of varying strength.
    Path file = Recordings.write(dir.resolve("many.arrow"), new Recordings.Episode(1000, false,
        t -> new Recordings.Step(t % 2 == 0 ? 1 : 0, 1, probabilities(t % 2 == 0 ? 1 - 0.0001 * (t % 97 + 1) : 0.9))));
    HotspotReport report = find(file, 0, null);
    assertEquals(HotspotFinder.MAX_PER_KIND, report.hotspots().size());
    assertEquals(500, byKind(report).get(Hotspot.UNLIKELY_ACTION).found());
    for (int i = 1; i < report.hotspots().size(); i++) {
      Hotspot a = report.hotspots().get(i - 1);
      Hotspot b = report.hotspots().get(i);
      assertTrue(a.score() > b.score() || (a.score() == b.score() && a.from() < b.from()), a + " before " + b);
    }
    assertEquals(1 - 0.0001 / 0.1, report.hotspots().get(0).score(), 1e-4);
  }
}
