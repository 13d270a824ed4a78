#!/usr/bin/python3
"""A plain-Python CartPole-v1 simulator shared by train.py and make_episode.py.

The dynamics are imported from samples/src/test/resources/cartpole_reference.py (Gymnasium's
CartPoleEnv.step, "euler" integrator, float64 state).

reset(seed) draws the initial state as Gymnasium's CartPoleEnv.reset(seed=seed) does:
np.random.default_rng(seed).uniform(-0.05, 0.05, size=4), i.e. PCG64 seeded through
SeedSequence(seed) (gymnasium.utils.seeding.np_random), uniform in [-0.05, 0.05).
Observations are the state rounded to float32, as Gymnasium returns them. An episode is
terminated when |x| > 2.4 or |theta| > 12 * 2 * pi / 360, truncated after 500 steps, and every
step (the terminating one included) gives reward 1.
"""
import sys
from pathlib import Path

import numpy as np

# The dynamics live in one place: the transcription of Gymnasium's step that the Java CartPole
# test is checked against.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "samples" / "src" / "test" / "resources"))
from cartpole_reference import (  # noqa: E402  (after the path is set)
    THETA_THRESHOLD_RADIANS, X_THRESHOLD, step)

MAX_STEPS = 500


def reset(seed):
    """The initial float64 state for `seed`, as Gymnasium's CartPoleEnv.reset(seed=seed)."""
    rng = np.random.default_rng(seed)
    return tuple(float(v) for v in rng.uniform(low=-0.05, high=0.05, size=(4,)))


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
