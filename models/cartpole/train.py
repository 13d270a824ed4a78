#!/usr/bin/python3
"""Trains the CartPole-v1 policy network and exports it to cartpole_mlp.onnx.

Method: behaviour cloning of a linear balancing controller with DAgger. The expert
(cartpole_sim.controller) pushes right when its score s = theta + 0.5 theta_dot + 0.01 x
+ 0.1 x_dot is positive. Round 0 collects the states the expert itself visits; each later round r
plays episodes in which every action is the expert's with probability beta = 0.5^r and the
network's greedy action otherwise, labels every visited observation, adds them to the data set
and retrains the network on all of it. The labels are soft: the network is fitted (cross-entropy
against target probabilities) to the Boltzmann version of the expert, P(right) = sigmoid(s / T)
with T = TEMPERATURE, whose greedy action is the expert's. Hard labels would let the logits grow
without bound on this separable data (they reached +-140, every probability 0 or 1, which makes
probability attributions meaningless and float32 logits too coarse to compare to 1e-5); soft
labels keep them near s / T. The network is an MLP 4 -> 64 -> 64 -> 2 with tanh hidden layers
that outputs action logits.

The exported file is then loaded back (onnx_mlp.load_mlp) and evaluated greedily (argmax of the
logits, ties to action 0) on 100 episodes with seeds 1000..1099; the figures go to
train_report.json. Everything is seeded and single-threaded, so reruns give the same file.

    /usr/bin/python3 train.py
"""
import hashlib
import json
import os
import time

import numpy as np
import torch

import cartpole_sim as sim
import onnx_mlp

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_PATH = os.path.join(HERE, "cartpole_mlp.onnx")
REPORT_PATH = os.path.join(HERE, "train_report.json")

SEED = 0
ROUNDS = 8                  # DAgger rounds after the expert-only round 0
EPISODES_PER_ROUND = 20
EPOCHS_PER_ROUND = 10
BATCH_SIZE = 256
LEARNING_RATE = 1e-3
TEMPERATURE = 0.1           # of the soft expert labels P(right) = sigmoid(score / TEMPERATURE)
EVAL_SEEDS = range(1000, 1100)


def make_net():
    return torch.nn.Sequential(
        torch.nn.Linear(4, 64), torch.nn.Tanh(),
        torch.nn.Linear(64, 64), torch.nn.Tanh(),
        torch.nn.Linear(64, 2))


def greedy(net):
    def act(obs):
        with torch.no_grad():
            logits = net(torch.from_numpy(obs).unsqueeze(0))
        return int(torch.argmax(logits[0]).item())  # first maximum: ties go to action 0
    return act


def collect(net, episode_seeds, beta, rng):
    """Plays episodes mixing expert and network.

    Returns the observations, their soft expert labels [P(left), P(right)] and the returns.
    """
    net_act = greedy(net)
    observations, scores, returns = [], [], []

    def act(obs):
        observations.append(obs)
        scores.append(sim.controller_score(obs))
        return sim.controller(obs) if rng.random() < beta else net_act(obs)

    for seed in episode_seeds:
        returns.append(sim.run_episode(seed, act)[2])
    p_right = 1.0 / (1.0 + np.exp(-np.array(scores) / TEMPERATURE))
    labels = np.stack([1.0 - p_right, p_right], axis=1).astype(np.float32)
    return np.stack(observations), labels, returns


def fit(net, optimizer, X, Y, generator):
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    loss_fn = torch.nn.CrossEntropyLoss()
    net.train()
    for _ in range(EPOCHS_PER_ROUND):
        order = torch.randperm(len(X), generator=generator)
        for start in range(0, len(X), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(net(X[idx]), Y[idx])
            loss.backward()
            optimizer.step()
    net.eval()
    with torch.no_grad():
        logits = net(X)
        loss = float(loss_fn(logits, Y))
        accuracy = float((logits.argmax(1) == Y.argmax(1)).double().mean())
    return loss, accuracy


def evaluate(net):
    act = greedy(net)
    return [sim.run_episode(seed, act)[2] for seed in EVAL_SEEDS]


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(SEED)
    generator = torch.Generator().manual_seed(SEED)
    started = time.time()

    net = make_net().float()
    net.eval()
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    data_x, data_y, rounds = [], [], []
    for r in range(ROUNDS + 1):
        beta = 0.5 ** r
        seeds = range(r * 100, r * 100 + EPISODES_PER_ROUND)  # never the evaluation seeds
        X, Y, returns = collect(net, seeds, beta, rng)
        data_x.append(X)
        data_y.append(Y)
        loss, accuracy = fit(net, optimizer, np.concatenate(data_x), np.concatenate(data_y),
                             generator)
        rounds.append({"round": r, "beta": beta, "episode_seeds": [seeds.start, seeds.stop - 1],
                       "new_states": len(X), "total_states": int(sum(len(x) for x in data_x)),
                       "mean_return_while_collecting": float(np.mean(returns)),
                       "train_loss": loss, "train_greedy_agreement_with_expert": accuracy})
        print(f"round {r}: beta {beta:.4f}, {len(X)} new states, mean return while collecting "
              f"{np.mean(returns):.1f}, loss {loss:.4f}, greedy agreement {accuracy:.4f}", flush=True)

    torch.onnx.export(net, torch.zeros(1, 4), ONNX_PATH, input_names=["obs"],
                      output_names=["logits"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)

    # Evaluate the shipped file: the network rebuilt from cartpole_mlp.onnx's weights.
    shipped, model = onnx_mlp.load_mlp(ONNX_PATH)
    probe = torch.from_numpy(np.concatenate(data_x)[:1000])
    with torch.no_grad():
        if not torch.equal(shipped(probe), net(probe)):
            raise SystemExit("the network rebuilt from the ONNX file differs from the trained one")
    returns = evaluate(shipped)
    solved = sum(1 for g in returns if g >= 500)
    print(f"evaluation: {solved}/100 episodes reach return 500, mean return "
          f"{np.mean(returns):.2f}, min {min(returns):.0f}", flush=True)
    with open(ONNX_PATH, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()

    report = {
        "method": "behaviour cloning of a linear balancing controller with DAgger "
                  "(expert action = 1 if s > 0 else 0, s = theta + 0.5*theta_dot + 0.01*x + "
                  "0.1*x_dot); round r collects episodes acting as the expert with probability "
                  "0.5^r and greedily with the network otherwise, labels every visited state "
                  "with the soft expert P(right) = sigmoid(s / 0.1) and retrains on all states "
                  "so far (cross-entropy against the soft labels, Adam)",
        "network": "MLP 4 -> 64 -> tanh -> 64 -> tanh -> 2 (action logits), float32",
        "seeds": {"torch.manual_seed": SEED, "numpy default_rng (expert/network mixing)": SEED,
                  "torch.Generator (minibatch order)": SEED,
                  "training episodes": "round r uses reset seeds 100r .. 100r+19",
                  "evaluation episodes": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1]},
        "hyperparameters": {"rounds": ROUNDS + 1, "episodes_per_round": EPISODES_PER_ROUND,
                            "epochs_per_round": EPOCHS_PER_ROUND, "batch_size": BATCH_SIZE,
                            "learning_rate": LEARNING_RATE, "optimizer": "Adam",
                            "label_temperature": TEMPERATURE},
        "rounds": rounds,
        "evaluation": {
            "policy": "greedy (argmax of the logits) with the weights read back from "
                      "cartpole_mlp.onnx",
            "episodes": len(returns), "seeds": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1],
            "episodes_reaching_500": solved, "mean_return": float(np.mean(returns)),
            "min_return": float(min(returns)), "returns": returns},
        "onnx": {"file": "cartpole_mlp.onnx", "sha256": digest, "opset": 13,
                 "inputs": [list(v) for v in onnx_mlp.io_signature(model)[0]],
                 "outputs": [list(v) for v in onnx_mlp.io_signature(model)[1]]},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": 1},
    }
    with open(REPORT_PATH, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"wrote {ONNX_PATH} and {REPORT_PATH} in {time.time() - started:.1f} s")
    if solved < 95:
        raise SystemExit(f"only {solved}/100 evaluation episodes reach 500")


if __name__ == "__main__":
    main()
