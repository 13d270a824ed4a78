#!/usr/bin/python3
"""Upside-down RL (Schmidhuber 2019; Srivastava et al. 2019) on CartPole-v1; exports udrl.onnx.

The agent maps (state, command) to action logits, the command being (desired return, desired
horizon). Training is supervised: which action was taken at a state, given the return the play
then got and the steps it took.

  1. 500 plays with uniformly random actions fill both buffers (buffers.py): RecentPlays, the last
     200 plays (FIFO), and BestPlays, the 200 best by (return, length).
  2. Each iteration trains the network on pairs drawn from both buffers (start uniform; end the
     play's end with probability 0.75, else uniform after the start; command = (return between
     them, steps between them); label = the action at the start): Adam, cross-entropy, minibatches
     of BATCH, at most MAX_STEPS steps, early-stopped when the loss on a validation set drawn
     afresh from the buffers each iteration (pairs the minibatches did not draw) has not improved
     for PATIENCE checks; the network with the best validation loss is kept.
  3. It then plays PLAYS_PER_ITERATION episodes sampling actions from the network's softmax, with
     the exploration command: horizon = mean length of the top 100 plays, return uniform between
     their mean and mean + one standard deviation; after each step the return is decremented by
     the reward and the horizon by 1, both clipped at 0. The plays go to both buffers.

The network: state 4 -> 64 PReLU and command 2 -> 64 PReLU embeddings (the command scaled by
COMMAND_SCALE inside the network), their element-wise product, 64 -> 64 PReLU, 64 -> 2 logits.
Exported with one input `obs` float32 [batch, 6] laid out as rld flattens the Dict observation
{command: Box[2], state: Box[4]} (Gymnasium's order: keys sorted, so command first), output
`logits` [batch, 2].

Evaluation: 100 episodes (reset seeds 1000..1099) acting greedily with the final play command.
Writes udrl.onnx, train_report.json (incl. the training curve) and reference_outputs.json next to
this file (or --out-dir); with --log FILE, a JSON-lines log of every play (seed, reset state,
initial command, actions, observations, logits) that `rld-samples train --agent udrl` replays.

    /usr/bin/python3 train.py          # a few minutes on one core
"""
import argparse
import hashlib
import json
import os
import random
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cartpole"))
import cartpole_sim as sim  # noqa: E402
from buffers import BestPlays, RecentPlays, exploration_command, training_pairs  # noqa: E402

SEED = 0
RANDOM_PLAYS = 500
BUFFER_SIZE = 200
TOP_PLAYS = 100
ITERATIONS = 150
PLAYS_PER_ITERATION = 15
BATCH = 512
MAX_STEPS = 200
CHECK_EVERY = 20
PATIENCE = 3
VALIDATION_PAIRS = 2048
LEARNING_RATE = 1e-3
COMMAND_SCALE = (0.02, 0.01)    # desired return, desired horizon: both up to 500
TRAIN_SEED_BASE = 20_000
EVAL_SEEDS = range(1000, 1100)


class UdrlNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.state = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.PReLU())
        self.command = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.PReLU())
        self.head = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.PReLU(), torch.nn.Linear(64, 2))
        self.register_buffer("scale", torch.tensor(COMMAND_SCALE, dtype=torch.float32))

    def forward(self, obs):
        """obs: [batch, 6] = command (2) then state (4), the Dict's flat layout."""
        return self.head(self.state(obs[:, 2:]) * self.command(obs[:, :2] * self.scale))


def f32(values):
    return [float(v) for v in np.asarray(values, dtype=np.float32).ravel()]


def flat(command, state_obs):
    return np.concatenate([np.array(command, dtype=np.float32), state_obs])


def play(net, seed, command, greedy=False):
    """One episode from reset(seed). net None: uniformly random actions (the command is recorded
    but not used). Sampling uses numpy default_rng(seed)."""
    rng = np.random.default_rng(seed)
    reset_state = sim.reset(seed)
    state = reset_state
    desired_return, horizon = command
    observations, actions, logits_all = [flat(command, sim.observe(state))], [], []
    terminated = False
    while len(actions) < sim.MAX_STEPS and not terminated:
        if net is None:
            action = int(rng.integers(0, 2))
        else:
            with torch.no_grad():
                logits = net(torch.from_numpy(observations[-1]).unsqueeze(0))[0]
            p_right = float(torch.softmax(logits, 0)[1])
            action = int(torch.argmax(logits)) if greedy else (1 if rng.random() < p_right else 0)
            logits_all.append(logits.numpy().copy())
        state, terminated = sim.step(state, action)
        actions.append(action)
        desired_return, horizon = max(0.0, desired_return - 1.0), max(0.0, horizon - 1.0)
        observations.append(flat((desired_return, horizon), sim.observe(state)))
    n = len(actions)
    return {"seed": seed, "reset_state": list(reset_state), "command": [float(c) for c in command],
            "observations": observations, "states": [o[2:] for o in observations[:-1]], "actions": actions,
            "rewards": [1.0] * n, "return": float(n), "length": n, "logits": logits_all if net else None}


def tensors(pairs):
    states, commands, actions = zip(*pairs)
    x = np.concatenate([np.array(commands, dtype=np.float32), np.stack(states)], axis=1)
    return torch.from_numpy(x), torch.tensor(actions)


def fit(net, optimizer, recent, best, rng):
    """Trains on fresh pairs until the validation loss stops improving; keeps the best weights."""
    loss_fn = torch.nn.CrossEntropyLoss()
    vx, vy = tensors(training_pairs(recent, best, VALIDATION_PAIRS, rng))
    best_loss, best_weights, stale, steps = float("inf"), None, 0, 0
    while steps < MAX_STEPS and stale < PATIENCE:
        for _ in range(CHECK_EVERY):
            x, y = tensors(training_pairs(recent, best, BATCH, rng))
            optimizer.zero_grad()
            loss_fn(net(x), y).backward()
            optimizer.step()
            steps += 1
        with torch.no_grad():
            loss = float(loss_fn(net(vx), vy))
        if loss < best_loss:
            best_loss, best_weights, stale = loss, {k: v.clone() for k, v in net.state_dict().items()}, 0
        else:
            stale += 1
    net.load_state_dict(best_weights)
    return best_loss, steps


def log_play(log, index, kind, p):
    if log:
        log.write(json.dumps({"episode": index, "kind": kind, "seed": p["seed"],
                              "reset_options": {"state": p["reset_state"], "command": p["command"]},
                              "actions": p["actions"], "observations": [f32(o) for o in p["observations"]],
                              "logits": None if p["logits"] is None else [f32(l) for l in p["logits"]]}) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out-dir", default=HERE)
    parser.add_argument("--log", help="write every play to this JSON-lines file")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(args.seed)  # training pairs and exploration commands
    started = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    log = open(args.log, "w") if args.log else None
    seed_base = TRAIN_SEED_BASE + args.seed * 1_000_000

    recent, best = RecentPlays(BUFFER_SIZE), BestPlays(BUFFER_SIZE)
    plays = 0
    for _ in range(RANDOM_PLAYS):
        p = play(None, seed_base + plays, (0.0, 0.0))
        recent.add(p)
        best.add(p)
        log_play(log, plays, "random", p)
        plays += 1
    total = RANDOM_PLAYS + ITERATIONS * PLAYS_PER_ITERATION
    net = UdrlNet()
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    curve = []
    for iteration in range(ITERATIONS):
        loss, steps = fit(net, optimizer, recent, best, rng)
        returns = []
        for _ in range(PLAYS_PER_ITERATION):
            desired_return, horizon, _ = exploration_command(best, TOP_PLAYS, rng)
            p = play(net, seed_base + plays, (desired_return, horizon))
            recent.add(p)
            best.add(p)
            log_play(log, plays, "exploration", p)
            returns.append(p["return"])
            plays += 1
        _, _, stats = exploration_command(best, TOP_PLAYS, rng)
        curve.append({"iteration": iteration, "plays": plays, "train_steps": steps, "validation_loss": loss,
                      "mean_return_of_new_plays": float(np.mean(returns)),
                      "top_100_return_mean": stats["return_mean"], "top_100_return_std": stats["return_std"],
                      "top_100_mean_length": stats["horizon"]})
        print(f"progress {plays} {total} iteration {iteration}, loss {loss:.3f} ({steps} steps), new plays "
              f"{np.mean(returns):.1f}, top-100 mean {stats['return_mean']:.1f}", flush=True)
    if log:
        log.close()

    _, _, command = exploration_command(best, TOP_PLAYS, rng)
    eval_rng = random.Random(args.seed + 1)
    evaluation = [play(net, seed, (command["return_mean"] + eval_rng.random() * command["return_std"],
                                   command["horizon"]), greedy=True)["return"] for seed in EVAL_SEEDS]
    mean = float(np.mean(evaluation))
    print(f"evaluation: mean return {mean:.2f} over 100 greedy episodes", flush=True)

    path = os.path.join(args.out_dir, "udrl.onnx")
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 6), path, input_names=["obs"], output_names=["logits"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    probes = [flat((command["return_mean"], command["horizon"]), sim.observe(sim.reset(s))) for s in (1000, 1001)]
    probes += [np.array(o, dtype=np.float32) for o in ([20, 20, 0.1, -0.5, 0.05, 0.8], [0, 0, -2.0, 1.5, -0.2, -2.5],
                                                        [500, 500, 0.0, 0.3, -0.02, -0.4], [3, 250, 0, 0, 0, 0])]
    with torch.no_grad():
        logits = net(torch.from_numpy(np.stack(probes))).numpy()
    with open(os.path.join(args.out_dir, "reference_outputs.json"), "w") as f:
        json.dump({"observations": [f32(o) for o in probes], "udrl.onnx": {"logits": [f32(l) for l in logits]}},
                  f, indent=1)
        f.write("\n")
    report = {
        "method": "upside-down RL: supervised (state, command) -> action on pairs from a FIFO buffer of recent "
                  "plays and a priority buffer of the best (see train.py's docstring)",
        "network": "state 4 -> 64 PReLU, command 2 (scaled by %s) -> 64 PReLU, product, 64 -> 64 PReLU, "
                   "64 -> 2 logits" % (list(COMMAND_SCALE),),
        "seeds": {"torch.manual_seed": args.seed, "random.Random (pairs, commands)": args.seed,
                  "play k": f"reset seed and action-sampling numpy default_rng seed {seed_base} + k",
                  "evaluation": {"reset seeds": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1],
                                 "desired return draws": f"random.Random({args.seed + 1})"}},
        "hyperparameters": {"random_plays": RANDOM_PLAYS, "buffer_size": BUFFER_SIZE, "top_plays": TOP_PLAYS,
                            "iterations": ITERATIONS, "plays_per_iteration": PLAYS_PER_ITERATION,
                            "batch": BATCH, "max_steps": MAX_STEPS, "check_every": CHECK_EVERY,
                            "patience": PATIENCE, "validation_pairs": VALIDATION_PAIRS,
                            "learning_rate": LEARNING_RATE, "optimizer": "Adam", "end_probability": 0.75},
        "training_curve": curve,
        "play_command": command,
        "evaluation": {"policy": "greedy (argmax of the logits, ties to action 0), command drawn as in play, "
                                 "decremented each step and clipped at 0",
                       "seeds": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1], "mean_return": mean,
                       "min_return": float(min(evaluation)),
                       "episodes_reaching_500": sum(1 for g in evaluation if g >= 500)},
        "onnx": {"file": "udrl.onnx", "sha256": sha, "opset": 13,
                 "inputs": [["obs", "float32", ["batch", 6], "desired return, desired horizon, x, x_dot, theta, "
                                                             "theta_dot"]],
                 "outputs": [["logits", "float32", ["batch", 2]]]},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": 1},
        "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(args.out_dir, "train_report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"done in {time.time() - started:.1f} s: mean evaluation return {mean:.2f}", flush=True)


if __name__ == "__main__":
    main()
