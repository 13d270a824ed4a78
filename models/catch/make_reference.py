#!/usr/bin/python3
"""Writes samples/src/test/resources/catch_reference.json: episodes of catch_sim.Catch that
CatchTest replays in the Java env from the same initial states and actions.

For every episode: the initial state [ball_x, ball_vx, paddle_x], the actions, and for the reset
and every step the info (positions, outcome), reward, terminated and the SHA-256 of the
observation's bytes ([2, 84, 84] uint8, C order, as the Java env's byte[]); equal hashes mean
equal pixels. The last observation of the first episode is also written in full (hex), so a
mismatch can be looked at pixel by pixel.

The episodes cover: bounces off both walls, the paddle stopping at both walls, a ball falling
straight down, caught and missed balls, expert and random actions.

    /usr/bin/python3 make_reference.py
"""
import hashlib
import json
import os

import numpy as np

import catch_sim as sim

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "samples", "src", "test", "resources", "catch_reference.json")


def play(name, state, policy):
    env = sim.Catch()
    obs, info = env.reset_to(*state)
    rows = [{"info": info, "sha256": hashlib.sha256(obs.tobytes()).hexdigest()}]
    actions = []
    terminated = False
    while not terminated:
        action = policy(env, len(actions))
        actions.append(action)
        obs, reward, terminated, info = env.step(action)
        rows.append({"reward": reward, "terminated": terminated, "info": info,
                     "sha256": hashlib.sha256(obs.tobytes()).hexdigest()})
    return {"name": name, "state": list(state), "actions": actions, "rows": rows}, obs


def main():
    rng = np.random.default_rng(7)

    def expert(env, t):
        return sim.expert(env.ball_x, env.ball_y, env.ball_vx, env.paddle_x)

    def random(env, t):
        return int(rng.integers(0, 3))

    def always(action):
        return lambda env, t: action

    episodes = []
    first, last_obs = play("left wall bounce, random actions", (1, -3, 36), random)
    episodes.append(first)
    episodes.append(play("right wall bounce, paddle stops at the right wall", (78, 3, 66), always(sim.RIGHT))[0])
    episodes.append(play("straight down, paddle stops at the left wall", (40, 0, 4), always(sim.LEFT))[0])
    episodes.append(play("expert catches after two bounces", (10, -3, 36), expert)[0])
    episodes.append(play("expert catches at the right wall", (80, 1, 0), expert)[0])
    episodes.append(play("staying misses", (0, 2, 36), always(sim.STAY))[0])
    for seed in (3, 4):
        env = sim.Catch()
        env.reset(seed)
        episodes.append(play(f"numpy reset seed {seed}, random actions",
                             (env.ball_x, env.ball_vx, env.paddle_x), random)[0])

    outcomes = [e["rows"][-1]["info"]["outcome"] for e in episodes]
    assert "caught" in outcomes and "missed" in outcomes, outcomes
    assert all(len(e["actions"]) == sim.EPISODE_STEPS for e in episodes)
    xs = [r["info"]["ball_x"] for e in episodes for r in e["rows"]]
    assert min(xs) == 0 or 0 < min(xs) < sim.MAX_VX, "a bounce off the left wall"
    assert max(xs) > sim.MAX_BALL_X - sim.MAX_VX, "a bounce off the right wall"
    paddles = [r["info"]["paddle_x"] for e in episodes for r in e["rows"]]
    assert min(paddles) == 0 and max(paddles) == sim.MAX_PADDLE_X

    reference = {
        "about": "written by models/catch/make_reference.py from catch_sim.py; read by CatchTest",
        "episodes": episodes,
        "first_episode_last_observation_hex": last_obs.tobytes().hex(),
    }
    with open(OUT, "w") as f:
        json.dump(reference, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: {len(episodes)} episodes, outcomes {outcomes}")


if __name__ == "__main__":
    main()
