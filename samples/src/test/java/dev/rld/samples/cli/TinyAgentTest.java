package dev.rld.samples.cli;

import static dev.rld.samples.cli.SamplesCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.format.EpisodeSummary;
import dev.rld.format.Rollout;
import dev.rld.format.Steps;
import dev.rld.samples.agents.SamplePolicies;
import dev.rld.attribution.AttributionRequest;
import dev.rld.landscape.PolicyLandscape;
import dev.rld.policy.Policy;
import dev.rld.samples.envs.CartPoleContinuous;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped tiny policies meet their targets on the recorded evaluation episodes of
 * docs/samples.md's hall of fame ({@code record --agent tiny --episodes 100 --seed 1000}), and
 * attach to the server as policies of the force.
 */
class TinyAgentTest {
  @TempDir Path dir;

  @Test
  void theLinearPolicyBalancesInEveryEvaluationEpisode() throws Exception {
    try (Rollout rollout = record("CartPoleBalance-v0")) {
      double mean = rollout.episodes().stream().mapToDouble(EpisodeSummary::totalReturn).average().orElseThrow();
      System.out.println("tiny in CartPoleBalance-v0: mean return " + mean);
      assertTrue(mean >= 475, "balance target: mean return >= 475 of 500, got " + mean);
    }
  }

  @Test
  void theMlpSwingsUpAndHoldsThePoleInMostEvaluationEpisodes() throws Exception {
    try (Rollout rollout = record("CartPoleSwingUp-v0")) {
      double mean = rollout.episodes().stream().mapToDouble(EpisodeSummary::totalReturn).average().orElseThrow();
      int upright = 0;
      for (EpisodeSummary e : rollout.episodes()) {
        boolean up = e.length() == 500;
        // upright: |θ| < 0.3 rad over the last 50 steps
        try (Steps steps = rollout.read(e.index(), e.length() - 50, e.length())) {
          for (int i = 0; i < steps.size() && up; i++) {
            up = ((float[]) steps.observation(i))[2] > Math.cos(0.3);
          }
        }
        upright += up ? 1 : 0;
      }
      System.out.println("tiny in CartPoleSwingUp-v0: mean return " + mean + ", upright at the end " + upright + "/100");
      assertTrue(mean >= 440, "swing-up target: mean return >= 440 of 500, got " + mean);
      assertTrue(upright >= 95, "swing-up target: upright over the last 50 steps in >= 95 of 100, got " + upright);
    }
  }

  @Test
  void theTinyPoliciesAttachAsPoliciesOfTheForce() {
    Policy balance = SamplePolicies.tiny("CartPoleBalance-v0");
    assertEquals(Policy.Output.ACTIONS, balance.output());
    assertEquals(5, balance.inputSize());
    assertEquals("tiny linear", balance.name());
    // pole leaning right (sin θ > 0): push right; leaning left: push left
    float[] forces = balance.evaluate(new float[] {0, 0, 0.99f, 0.14f, 0, 0, 0, 0.99f, -0.14f, 0}, 2);
    assertTrue(forces[0] > 0 && forces[1] < 0, forces[0] + ", " + forces[1]);
    Policy swingUp = SamplePolicies.tiny("CartPoleSwingUp-v0");
    assertEquals("tiny mlp", swingUp.name());
    float f = swingUp.evaluate(new float[] {0, 0, -1, 0, 0}, 1)[0];
    assertTrue(f >= -1 && f <= 1, "a force in [-1, 1]: " + f);
  }

  @Test
  void theLandscapeShowsTheForceOverCartAndPoleFeatures() {
    Policy policy = SamplePolicies.tiny("CartPoleBalance-v0");
    CartPoleContinuous env = CartPoleContinuous.balance();
    PolicyLandscape landscape = new PolicyLandscape(policy, env.observationSpace(), env.actionSpace());
    float[] upright = {0, 0, 1, 0, 0};
    // sin θ (feature 3) × θ̇ (feature 4): the pole falling right is pushed right, falling left pushed left
    PolicyLandscape.Answer pole = landscape.sweep(upright, new PolicyLandscape.Axis(3, -0.2, 0.2, 5),
        new PolicyLandscape.Axis(4, -1.0, 1.0, 5), PolicyLandscape.Target.GREEDY, AttributionRequest.OutputKind.PROBABILITY);
    assertEquals("action", pole.output());
    assertTrue(pole.xFeature().contains("sin θ"), pole.xFeature());
    assertTrue(pole.values()[4][4] > 0.5 && pole.values()[0][0] < -0.5,
        "force " + pole.values()[0][0] + " .. " + pole.values()[4][4]);
    PolicyLandscape.Answer cart = landscape.sweep(upright, new PolicyLandscape.Axis(0, -2.0, 2.0, 5),
        new PolicyLandscape.Axis(1, -1.0, 1.0, 5), PolicyLandscape.Target.GREEDY, AttributionRequest.OutputKind.PROBABILITY);
    assertTrue(cart.xFeature().contains("cart position"), cart.xFeature());
    assertEquals(5, cart.values().length);
  }

  private Rollout record(String env) throws Exception {
    Path out = dir.resolve(env + ".arrow");
    SamplesCliTest.Run r = run("record", "--env", env, "--agent", "tiny", "--episodes", "100", "--seed", "1000",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    return Rollout.open(out);
  }
}
