#!/usr/bin/env python3
"""Reference trajectories for CartPoleTest, computed independently of the Java code.

This is Gymnasium's CartPoleEnv.step (gymnasium/envs/classic_control/cartpole.py, the "euler"
kinematics integrator) transcribed to plain Python floats, which are float64 like Gymnasium's
state. It needs neither NumPy nor Gymnasium. Run it once and commit its output:

    python3 cartpole_reference.py > cartpole_reference.csv

Two trajectories are printed, each from a fixed initial state:
  "mixed": 30 fixed actions during which the pole stays up;
  "right": always push right, until the episode terminates.
Each row is the state *after* a step, so row `step` k is observation k (k >= 1).
"""
import math

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


def step(state, action):
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


def run(name, state, actions):
    rows = [f"{name},0,,{state[0]!r},{state[1]!r},{state[2]!r},{state[3]!r},,false"]
    for k, action in enumerate(actions, start=1):
        state, terminated = step(state, action)
        rows.append(f"{name},{k},{action},{state[0]!r},{state[1]!r},{state[2]!r},{state[3]!r},"
                    f"1.0,{str(terminated).lower()}")
        if terminated:
            break
    return rows


MIXED = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0,
         0, 1, 0, 1, 1, 0, 0, 1, 0, 1]

if __name__ == "__main__":
    print("trajectory,step,action,x,x_dot,theta,theta_dot,reward,terminated")
    for row in run("mixed", (0.01, -0.02, 0.03, 0.04), MIXED):
        print(row)
    for row in run("right", (0.0, 0.0, 0.0, 0.0), [1] * 500):
        print(row)
