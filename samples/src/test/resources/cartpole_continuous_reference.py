#!/usr/bin/env python3
"""Reference trajectories for CartPoleContinuousTest, computed independently of the Java code.

Gymnasium's CartPoleEnv.step ("euler" integrator) transcribed to plain Python floats, with the
force 10 N * clip(action, -1, 1) and the two tasks of docs/samples.md:
  balance:  reward 1.0; terminated when |x| > 2.4 or |theta| > 12 degrees;
  swing-up: reward (1 + cos theta) / 2 * cos(pi * x / 4.8) of the state after the step;
            terminated only when |x| > 2.4.
Observation: [x, x_dot, cos theta, sin theta, theta_dot]. Run it once and commit its output:

    python3 cartpole_continuous_reference.py > cartpole_continuous_reference.csv

Each row is the observation *after* a step (row 0 is the initial state's observation).
"""
import math
import struct

G = 9.8
M_CART = 1.0
M_POLE = 0.1
HALF_LENGTH = 0.5
DT = 0.02
X_LIMIT = 2.4
THETA_LIMIT = 12 * 2 * math.pi / 360


def step(task, s, action):
    x, v, th, om = s
    # the action arrives as float32, as the env's Box action space holds it
    a32 = struct.unpack("f", struct.pack("f", action))[0]
    f = 10.0 * max(-1.0, min(1.0, a32))
    total = M_CART + M_POLE
    c, sn = math.cos(th), math.sin(th)
    tmp = (f + M_POLE * HALF_LENGTH * om * om * sn) / total
    alpha = (G * sn - c * tmp) / (HALF_LENGTH * (4.0 / 3.0 - M_POLE * c * c / total))
    acc = tmp - M_POLE * HALF_LENGTH * alpha * c / total
    s = (x + DT * v, v + DT * acc, th + DT * om, om + DT * alpha)
    off = abs(s[0]) > X_LIMIT
    if task == "balance":
        return s, 1.0, off or abs(s[2]) > THETA_LIMIT
    reward = (1 + math.cos(s[2])) / 2 * math.cos(math.pi * s[0] / (2 * X_LIMIT))
    return s, reward, off


def obs(s):
    return [s[0], s[1], math.cos(s[2]), math.sin(s[2]), s[3]]


def run(name, task, s, actions):
    rows = [[name, task, 0, ""] + obs(s) + ["", "false"]]
    for k, a in enumerate(actions, start=1):
        s, r, term = step(task, s, a)
        rows.append([name, task, k, repr(a)] + obs(s) + [repr(r), str(term).lower()])
        if term:
            break
    return rows


def wave(n):
    # fixed, varied forces, including some beyond [-1, 1] that the env clips
    return [round(1.5 * math.sin(0.37 * k) + 0.3 * math.cos(1.3 * k), 3) for k in range(n)]


if __name__ == "__main__":
    print("trajectory,task,step,action,x,x_dot,cos_theta,sin_theta,theta_dot,reward,terminated")
    tables = [
        run("wave", "balance", (0.01, -0.02, 0.03, 0.04), wave(40)),
        run("push", "balance", (0.0, 0.0, 0.0, 0.0), [0.4] * 500),
        run("swing", "swingup", (0.02, 0.0, math.pi - 0.03, 0.01), wave(200)),
        run("away", "swingup", (0.0, 0.0, math.pi, 0.0), [1.0] * 500),
    ]
    for table in tables:
        for row in table:
            print(",".join(v if isinstance(v, str) else repr(v) for v in row))
