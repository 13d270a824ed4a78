#!/usr/bin/env python3
"""Reference trajectories for PendulumTest, computed independently of the Java code.

This is Gymnasium's PendulumEnv.step (gymnasium/envs/classic_control/pendulum.py) transcribed to
plain Python floats, which are float64 like Gymnasium's state. It needs neither NumPy nor
Gymnasium. Run it once and commit its output:

    python3 pendulum_reference.py > pendulum_reference.csv

Two trajectories are printed, each from a fixed initial state:
  "mixed": 40 fixed torques, some outside [-2, 2] so that they are clipped;
  "spin": always +2 from near upright, long enough that the speed hits the +8 rad/s clip;
  "spin_back": always -2, the mirror image, so that angle_normalize wraps negative angles.
Each row is the state *after* a step, so row `step` k is observation k (k >= 1); the reward is
the one that step returned. theta is the unwrapped angle Gymnasium keeps in its state.
"""
import math

MAX_SPEED = 8.0
MAX_TORQUE = 2.0
DT = 0.05
G = 10.0
M = 1.0
L = 1.0


def angle_normalize(x):
    return ((x + math.pi) % (2 * math.pi)) - math.pi


def clip(v, lo, hi):
    return min(max(v, lo), hi)


def step(state, u):
    th, thdot = state
    u = clip(u, -MAX_TORQUE, MAX_TORQUE)
    costs = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * (u ** 2)
    newthdot = thdot + (3 * G / (2 * L) * math.sin(th) + 3.0 / (M * L ** 2) * u) * DT
    newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED)
    newth = th + newthdot * DT
    return (newth, newthdot), -costs


def run(name, state, torques):
    rows = [f"{name},0,,{state[0]!r},{state[1]!r},"]
    for k, u in enumerate(torques, start=1):
        state, reward = step(state, u)
        rows.append(f"{name},{k},{u!r},{state[0]!r},{state[1]!r},{reward!r}")
    return rows


MIXED = [0.5, -1.25, 2.0, -2.0, 3.5, -7.0, 0.0, 1.0, -0.75, 2.5,
         -2.5, 1.5, 0.25, -1.0, 10.0, -10.0, 0.125, 1.75, -1.75, 0.0,
         2.0, 2.0, 2.0, -2.0, -2.0, -2.0, 0.5, 0.5, -0.5, -0.5,
         4.0, 4.0, -3.0, 1.0, 1.0, -1.0, 0.0, 0.0, 2.25, -2.25]

if __name__ == "__main__":
    print("trajectory,step,torque,theta,theta_dot,reward")
    for row in run("mixed", (2.5, -0.5), MIXED):
        print(row)
    for row in run("spin", (-0.3, 0.0), [2.0] * 120):
        print(row)
    for row in run("spin_back", (0.4, 0.0), [-2.0] * 120):
        print(row)
