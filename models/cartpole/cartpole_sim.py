#!/usr/bin/python3
"""A plain-Python CartPole-v1 simulator shared by train.py and make_episode.py.

The dynamics are samples/src/test/resources/cartpole_reference.py (Gymnasium's CartPoleEnv.step,
"euler" integrator, float64 state), copied here so that this directory stands alone.

reset(seed) draws the initial state as Gymnasium's CartPoleEnv.reset(seed=seed) does:
np.random.default_rng(seed).uniform(-0.05, 0.05, size=4), i.e. PCG64 seeded through
SeedSequence(seed) (gymnasium.utils.seeding.np_random), uniform in [-0.05, 0.05).
Observations are the state rounded to float32, as Gymnasium returns them. An episode is
terminated when |x| > 2.4 or |theta| > 12 * 2 * pi / 360, truncated after 500 steps, and every
step (the terminating one included) gives reward 1.
"""
import math

import numpy as np

GRAVITY = 9.8
MASSCART = 1.0
MASSPOLE = 0.1
TOTAL_MASS = MASSPOLE + MASSCART
LENGTH = 0.5  # half the pole's length
POLEMASS_LENGTH = MASSPOLE * LENGTH
FORCE_MAG = 10.0
TAU = 0.02
THETA_THRESHOLD_RADIANS = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4
MAX_STEPS = 500


def reset(seed):
    """The initial float64 state for `seed`, as Gymnasium's CartPoleEnv.reset(seed=seed)."""
    rng = np.random.default_rng(seed)
    return tuple(float(v) for v in rng.uniform(low=-0.05, high=0.05, size=(4,)))


def step(state, action):
    """One step of Gymnasium's CartPoleEnv: returns (next state, terminated)."""
    x, x_dot, theta, theta_dot = state
    force = FORCE_MAG if action == 1 else -FORCE_MAG
    costheta = math.cos(theta)
    sintheta = math.sin(theta)
    temp = (force + POLEMASS_LENGTH * theta_dot * theta_dot * sintheta) / TOTAL_MASS
    thetaacc = (GRAVITY * sintheta - costheta * temp) / (
        LENGTH * (4.0 / 3.0 - MASSPOLE * costheta * costheta / TOTAL_MASS))
    xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS
    x = x + TAU * x_dot
    x_dot = x_dot + TAU * xacc
    theta = theta + TAU * theta_dot
    theta_dot = theta_dot + TAU * thetaacc
    terminated = (x < -X_THRESHOLD or x > X_THRESHOLD
                  or theta < -THETA_THRESHOLD_RADIANS or theta > THETA_THRESHOLD_RADIANS)
    return (x, x_dot, theta, theta_dot), terminated


def observe(state):
    """The observation the agent sees: the state as float32."""
    return np.array(state, dtype=np.float32)


def run_episode(seed, act):
    """Plays one episode from reset(seed) with act(obs) -> action.

    Returns (observations, actions, total reward): N + 1 float32 observations (the last one is
    the final observation) and N actions; the reward is N.
    """
    state = reset(seed)
    observations = [observe(state)]
    actions = []
    for _ in range(MAX_STEPS):
        action = int(act(observations[-1]))
        state, terminated = step(state, action)
        actions.append(action)
        observations.append(observe(state))
        if terminated:
            break
    return observations, actions, float(len(actions))


def controller_score(obs):
    """The linear balancing controller's score: positive when the pole falls (or will) right."""
    x, x_dot, theta, theta_dot = (float(v) for v in obs)
    return theta + 0.5 * theta_dot + 0.01 * x + 0.1 * x_dot


def controller(obs):
    """A linear balancing controller: push right (1) when its score is positive, else left (0)."""
    return 1 if controller_score(obs) > 0 else 0
