package dev.rld.samples.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rld.env.Step;
import dev.rld.samples.envs.CartPole;
import dev.rld.samples.envs.Envs;
import dev.rld.samples.envs.Pendulum;
import org.junit.jupiter.api.Test;

class PendulumSwingUpTest {

  record Result(double meanReturn, int upright) {}

  /** Runs seeds 0..99; an episode ends upright when |θ| < 0.3 over its last 20 steps. */
  @SuppressWarnings("unchecked")
  static Result evaluate(String agentName) {
    Pendulum env = new Pendulum();
    double total = 0;
    int upright = 0;
    for (long seed = 0; seed < 100; seed++) {
      Agent<float[], float[]> agent = (Agent<float[], float[]>) (Agent<?, ?>) Agents.make(agentName, env, seed);
      agent.beginEpisode(seed);
      float[] obs = env.reset(seed).observation();
      boolean up = true;
      Step<float[]> step;
      int t = 0;
      do {
        Object action = agent.act(obs).action();
        step = env.step((float[]) action);
        obs = step.observation();
        total += step.reward();
        t++;
        if (t > Pendulum.MAX_EPISODE_STEPS - 20) {
          up &= Math.abs(Math.atan2(obs[1], obs[0])) < 0.3;
        }
      } while (!step.done());
      assertEquals(Pendulum.MAX_EPISODE_STEPS, t);
      upright += up ? 1 : 0;
    }
    return new Result(total / 100, upright);
  }

  @Test
  void swingsUpAndHoldsFarBetterThanRandom() {
    Result swing = evaluate("swingup");
    Result random = evaluate("random");
    System.out.printf("Pendulum-v1, seeds 0..99: swingup mean return %.1f, %d/100 upright; "
        + "random mean return %.1f, %d/100 upright%n",
        swing.meanReturn(), swing.upright(), random.meanReturn(), random.upright());
    assertTrue(swing.meanReturn() > -400, "swingup mean return " + swing.meanReturn());
    assertTrue(swing.upright() >= 90, "swingup upright in " + swing.upright() + "/100");
    assertTrue(random.meanReturn() < -900, "random mean return " + random.meanReturn());
    assertTrue(swing.meanReturn() > random.meanReturn() + 500);
  }

  @Test
  void isDeterministicAndReportsItsEnergy() {
    PendulumSwingUp a = PendulumSwingUp.forEnv(new Pendulum());
    PendulumSwingUp b = PendulumSwingUp.forEnv(Envs.make(Pendulum.ID));
    float[] hanging = {-1f, 0f, 0f};
    var d = a.act(hanging);
    assertArrayEquals(d.action(), b.act(hanging).action());
    assertEquals(2f, d.action()[0], "at rest below, pump at full torque");
    assertEquals(-5.0, d.output().scalars().get("energy"), 1e-12);
    assertEquals(null, d.output().probabilities());
    // Upright and still: energy 5 J, no torque needed.
    var top = a.act(new float[] {1f, 0f, 0f});
    assertEquals(0f, top.action()[0], 0f);
    assertEquals(5.0, top.output().scalars().get("energy"), 1e-12);
    // Leaning right (θ > 0) near the top: push back.
    assertTrue(a.act(new float[] {(float) Math.cos(0.1), (float) Math.sin(0.1), 0f}).action()[0] < 0);
  }

  @Test
  void onlyControlsThePendulum() {
    var e = assertThrows(IllegalArgumentException.class, () -> Agents.make("swingup", new CartPole(), 0));
    assertTrue(e.getMessage().contains("Pendulum-v1"), e.getMessage());
  }
}
