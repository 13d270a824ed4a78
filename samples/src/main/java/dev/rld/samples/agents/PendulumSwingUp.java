package dev.rld.samples.agents;

import dev.rld.env.Env;
import dev.rld.format.AgentOutput;
import dev.rld.samples.envs.Pendulum;

/**
 * A hand-written controller for {@link Pendulum}: it pumps energy into the pendulum until it
 * reaches the top, then holds it there with a linear (PD) controller. Deterministic, no learning;
 * over seeds 0..99 it scores a mean return of about -153 and ends upright in all 100, where {@link RandomAgent} scores about
 * -1200 (see {@code PendulumSwingUpTest}).
 *
 * <p>Swing-up: the pendulum's energy E = ½·(m l²/3)·θ̇² + m g (l/2)·cos θ is m g l/2 = 5 J when it
 * stands still upright (θ = 0). A torque u changes it at the rate dE/dt = u·θ̇, so pushing along
 * the motion with a torque proportional to the missing energy raises E to the upright value and
 * no further; the 2 N·m limit is too weak to lift the 5 N·m of gravity directly, so this takes a
 * few swings. Balancing: within about 25° of the top (cos θ > 0.9) the linearised dynamics are
 * θ̈ = 15·θ + 3·u, and u = -(10·θ + 2·θ̇) turns them into θ̈ = -15·θ - 6·θ̇, a damped oscillator
 * (damping ratio ≈ 0.77) that settles in about a second.
 *
 * <p>Each decision records the energy the agent computed as the scalar {@code "energy"} (J), so
 * a recording shows the pumping. A Box action has no probabilities to record.
 */
public final class PendulumSwingUp implements Agent<float[], float[]> {
  // Pendulum-v1's constants: g = 10, m = 1, l = 1, a uniform rod hinged at one end.
  private static final double INERTIA = 1.0 / 3.0; // m l² / 3
  private static final double TOP_ENERGY = 10.0 * 1.0 * 0.5; // m g (l / 2)
  private static final double MAX_TORQUE = 2.0;

  private static final double KP = 10.0;
  private static final double KD = 2.0;
  private static final double PUMP_GAIN = 2.0; // N·m per J missing
  private static final double CATCH_COS = 0.9;

  /** The agent for {@code env}, which must be {@link Pendulum}: its gains are tuned to it. */
  public static PendulumSwingUp forEnv(Env<?, ?> env) {
    if (!Pendulum.ID.equals(env.id())) {
      throw new IllegalArgumentException("agent 'swingup' only controls " + Pendulum.ID
          + ", not " + env.id());
    }
    return new PendulumSwingUp();
  }

  @Override
  public Decision<float[]> act(float[] observation) {
    double cos = observation[0];
    double sin = observation[1];
    double thetaDot = observation[2];
    double theta = Math.atan2(sin, cos); // from upright, in [-π, π]
    double energy = energy(cos, thetaDot);
    double u;
    if (cos > CATCH_COS) {
      u = -(KP * theta + KD * thetaDot);
    } else {
      // Push along the motion; at rest (e.g. hanging still) any direction starts the swing.
      double direction = thetaDot >= 0 ? 1 : -1;
      u = PUMP_GAIN * (TOP_ENERGY - energy) * direction;
    }
    u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, u));
    return new Decision<>(new float[] {(float) u}, AgentOutput.none().withScalar("energy", energy));
  }

  /** The pendulum's kinetic plus potential energy in J, zero potential at the hinge's height. */
  static double energy(double cosTheta, double thetaDot) {
    return 0.5 * INERTIA * thetaDot * thetaDot + TOP_ENERGY * cosTheta;
  }
}
