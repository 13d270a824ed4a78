#!/usr/bin/python3
"""Trains the Catch-v0 policy network (a small CNN on the two stacked frames) and exports it to
catch_cnn.onnx.

Method: behaviour cloning of an expert with DAgger. The expert (catch_sim.expert) knows the
ball's velocity, plays the ball forward to the row of the paddle and moves the paddle toward that
column, staying once it is centred there. Round 0 plays episodes with the expert; each later
round r plays episodes in which every action is the expert's with probability beta = 0.5^r and
the network's greedy action otherwise, labels every visited observation with the expert's
action, adds them to the data set and retrains the network on all of it. Labels are smoothed
(the expert's action gets 1 - SMOOTHING, the other two SMOOTHING / 2 each): with hard labels the
logits grow without bound and every probability ends up 0 or 1, which makes probability
attributions meaningless. Training batches are augmented with grey patches painted over the
background (augment()): the env's background never changes, and without them the network reacted
to background next to the ball almost as much as to the ball.

The network takes the observation as the env gives it, float32 [batch, 2, 84, 84] in 0..255, and
scales it by 1/255 itself; it outputs the logits of stay, left, right. The exported file is
checked against the trained network (a NumPy evaluation of the ONNX graph, onnx_cnn.py) and the
network is evaluated greedily (argmax, ties to the lower action) on the episodes with reset seeds
EVAL_SEEDS; the figures go to train_report.json. Everything is seeded and runs on
THREADS threads, so reruns give the same file.

    /usr/bin/python3 train.py
"""
import hashlib
import json
import os
import time

import numpy as np
import onnx
import torch

import catch_sim as sim
import onnx_cnn

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_PATH = os.path.join(HERE, "catch_cnn.onnx")
REPORT_PATH = os.path.join(HERE, "train_report.json")

SEED = 0
THREADS = 2
ROUNDS = 5                  # DAgger rounds after the expert-only round 0
EPISODES_PER_ROUND = 150
EPOCHS_PER_ROUND = 4
BATCH_SIZE = 64
LEARNING_RATE = 1e-3
SMOOTHING = 0.2
PATCH_PROBABILITY = 0.75    # of a training observation getting background patches (augment())
MAX_PATCHES = 4
PATCH_SIZES = (2, 9)        # side lengths drawn from [2, 9)
PATCH_CLEARANCE = 1         # pixels kept clear around the ball and the paddle
NEAR = 10                   # half the patches are centred this close to the ball or the paddle
EVAL_SEEDS = range(100_000, 100_200)


class Scale(torch.nn.Module):
    """Pixels 0..255 to 0..1 inside the network, so that callers feed the raw observation."""

    def forward(self, x):
        return x / 255.0


def make_net():
    return torch.nn.Sequential(
        Scale(),
        torch.nn.Conv2d(2, 16, kernel_size=8, stride=4), torch.nn.ReLU(),   # 16 x 20 x 20
        torch.nn.Conv2d(16, 32, kernel_size=4, stride=2), torch.nn.ReLU(),  # 32 x 9 x 9
        torch.nn.Flatten(),
        torch.nn.Linear(32 * 9 * 9, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 3))


def greedy_actions(net, observations):
    with torch.no_grad():
        logits = net(torch.from_numpy(observations.astype(np.float32)))
    return logits.argmax(1).numpy()  # first maximum: ties go to the lower action


def play(net, episode_seeds, beta, rng):
    """Plays one episode per seed, all at once (one network call per step for all of them).

    Every action is the expert's with probability beta, else the network's greedy one. Returns
    the observations, the expert's actions for them and whether each ball was caught.
    """
    envs = [sim.Catch() for _ in episode_seeds]
    obs = np.stack([env.reset(seed)[0] for env, seed in zip(envs, episode_seeds)])
    observations, labels = [], []
    caught = [None] * len(envs)
    for _ in range(sim.EPISODE_STEPS):
        expert = np.array([sim.expert(*env.state()) for env in envs])
        chosen = greedy_actions(net, obs) if beta < 1 else expert
        mix = rng.random(len(envs)) < beta
        actions = np.where(mix, expert, chosen)
        observations.append(obs)
        labels.append(expert)
        nxt = []
        for i, env in enumerate(envs):
            o, _, terminated, info = env.step(int(actions[i]))
            nxt.append(o)
            if terminated:
                caught[i] = info["outcome"] == "caught"
        obs = np.stack(nxt)
    return np.concatenate(observations), np.concatenate(labels), caught


def soft_labels(actions):
    y = np.full((len(actions), 3), SMOOTHING / 2, dtype=np.float32)
    y[np.arange(len(actions)), actions] = 1.0 - SMOOTHING
    return y


def augment(x, generator):
    """Paints up to MAX_PATCHES rectangles of a random grey level (0..127) over the background of
    about PATCH_PROBABILITY of the observations x (float [n, 2, 84, 84]), both frames alike,
    never on or within PATCH_CLEARANCE pixels of the ball or the paddle (pixels of 200 and more),
    so the expert's label stays right. Half the patches are centred within NEAR pixels of the
    ball or the paddle, where they are most confusing.

    Why: the background never changes in the env, so nothing in the expert's data tells the
    network to ignore it, and it did not: occluding background a few pixels beside the ball moved
    its probabilities half as much as occluding the ball (the first layer's 8x8 windows see the
    ball and its surroundings together). The patches teach it that only the ball and the paddle
    matter, which is also what the attribution-locality test checks.
    """
    n = x.shape[0]
    objects = (x >= sim.PADDLE_LEVEL).any(1, keepdim=True).float()

    def dilate(mask, radius):
        # A square max filter as a row pass and a column pass: 2k comparisons a pixel, not k^2.
        k = 2 * radius + 1
        mask = torch.nn.functional.max_pool2d(mask, (1, k), stride=1, padding=(0, radius))
        mask = torch.nn.functional.max_pool2d(mask, (k, 1), stride=1, padding=(radius, 0))
        return mask[:, 0] > 0

    keep_clear = dilate(objects, PATCH_CLEARANCE)
    near = (dilate(objects, NEAR) & ~keep_clear).reshape(n, -1).float()
    near[near.sum(1) == 0] = 1  # (every frame has a paddle; this only guards the sampling)
    rows = torch.arange(sim.SIZE).view(1, -1, 1)
    cols = torch.arange(sim.SIZE).view(1, 1, -1)
    paint = torch.zeros(n, sim.SIZE, sim.SIZE, dtype=torch.bool)
    level = torch.zeros(n, sim.SIZE, sim.SIZE)
    chosen = torch.rand(n, generator=generator) < PATCH_PROBABILITY
    beside = torch.multinomial(near, MAX_PATCHES, replacement=True, generator=generator)
    for i in range(MAX_PATCHES):
        h = torch.randint(*PATCH_SIZES, (n, 1, 1), generator=generator)
        w = torch.randint(*PATCH_SIZES, (n, 1, 1), generator=generator)
        anywhere = torch.randint(0, sim.SIZE * sim.SIZE, (n,), generator=generator)
        centre = torch.where(torch.rand(n, generator=generator) < 0.5, beside[:, i], anywhere)
        r = (centre // sim.SIZE).view(n, 1, 1) - h // 2
        c = (centre % sim.SIZE).view(n, 1, 1) - w // 2
        grey = torch.randint(0, 128, (n, 1, 1), generator=generator).float()
        use = chosen.view(-1, 1, 1) & (torch.rand(n, 1, 1, generator=generator) < 0.75)
        rect = use & (rows >= r) & (rows < r + h) & (cols >= c) & (cols < c + w)
        level = torch.where(rect, grey, level)
        paint |= rect
    paint &= ~keep_clear
    return torch.where(paint.unsqueeze(1), level.unsqueeze(1), x)


def fit(net, optimizer, X, actions, generator):
    Y = torch.from_numpy(soft_labels(actions))
    loss_fn = torch.nn.CrossEntropyLoss()
    net.train()
    for _ in range(EPOCHS_PER_ROUND):
        order = torch.randperm(len(X), generator=generator)
        for start in range(0, len(X), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            x = augment(torch.from_numpy(X[idx.numpy()].astype(np.float32)), generator)
            loss = loss_fn(net(x), Y[idx])
            loss.backward()
            optimizer.step()
    net.eval()
    losses, agree = [], 0
    with torch.no_grad():
        for start in range(0, len(X), 1024):
            logits = net(torch.from_numpy(X[start:start + 1024].astype(np.float32)))
            losses.append(float(loss_fn(logits, Y[start:start + 1024])) * len(logits))
            agree += int((logits.argmax(1).numpy() == actions[start:start + 1024]).sum())
    return sum(losses) / len(X), agree / len(X)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
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
        seeds = range(r * 1000, r * 1000 + EPISODES_PER_ROUND)  # never the evaluation seeds
        X, A, caught = play(net, seeds, beta, rng)
        data_x.append(X)
        data_y.append(A)
        loss, agreement = fit(net, optimizer, np.concatenate(data_x), np.concatenate(data_y), generator)
        rounds.append({"round": r, "beta": beta, "episode_seeds": [seeds.start, seeds.stop - 1],
                       "new_states": len(X), "total_states": int(sum(len(x) for x in data_x)),
                       "catch_rate_while_collecting": float(np.mean(caught)),
                       "train_loss": loss, "train_greedy_agreement_with_expert": agreement,
                       "seconds_so_far": round(time.time() - started, 1)})
        print(f"round {r}: beta {beta:.4f}, {len(X)} new states, caught while collecting "
              f"{np.mean(caught):.3f}, loss {loss:.4f}, greedy agreement {agreement:.4f}, "
              f"{time.time() - started:.0f} s", flush=True)
    training_seconds = time.time() - started

    torch.onnx.export(net, torch.zeros(1, sim.FRAMES, sim.SIZE, sim.SIZE), ONNX_PATH,
                      input_names=["obs"], output_names=["logits"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)
    model = onnx.load(ONNX_PATH)
    onnx.checker.check_model(model)
    probe = np.concatenate(data_x)[::97][:256].astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(probe)).numpy()
    difference = float(np.abs(onnx_cnn.numpy_forward(model, probe) - expected).max())
    if difference > 1e-4:
        raise SystemExit(f"the ONNX graph differs from the trained network by {difference}")

    _, _, caught = play(net, EVAL_SEEDS, 0.0, rng)
    rate = float(np.mean(caught))
    print(f"evaluation: caught {sum(caught)}/{len(caught)} ({rate:.3f}); ONNX vs torch max "
          f"difference {difference:.2e}", flush=True)
    with open(ONNX_PATH, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    inputs, outputs = onnx_cnn.io_signature(model)
    report = {
        "method": "behaviour cloning of an expert with DAgger: the expert plays the ball forward to "
                  "the paddle's row and moves the paddle toward that column (catch_sim.expert); "
                  "round r plays episodes acting as the expert with probability 0.5^r and greedily "
                  "with the network otherwise, labels every visited observation with the expert's "
                  f"action (smoothed: {1 - SMOOTHING:.2f} / {SMOOTHING / 2:.2f} / "
                  f"{SMOOTHING / 2:.2f}) and retrains on all observations so far "
                  "(cross-entropy, Adam); training batches get grey patches painted over the "
                  "background (augment()), half of them beside the ball or the paddle",
        "network": "x / 255 -> Conv 2->16 8x8 stride 4 -> ReLU -> Conv 16->32 4x4 stride 2 -> ReLU "
                   "-> Linear 2592->64 -> ReLU -> Linear 64->3 (logits of stay, left, right), float32",
        "seeds": {"torch.manual_seed": SEED, "numpy default_rng (expert/network mixing)": SEED,
                  "torch.Generator (minibatch order)": SEED,
                  "training episodes": f"round r uses reset seeds 1000r .. 1000r+{EPISODES_PER_ROUND - 1}",
                  "evaluation episodes": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1]},
        "hyperparameters": {"rounds": ROUNDS + 1, "episodes_per_round": EPISODES_PER_ROUND,
                            "epochs_per_round": EPOCHS_PER_ROUND, "batch_size": BATCH_SIZE,
                            "learning_rate": LEARNING_RATE, "optimizer": "Adam",
                            "label_smoothing": SMOOTHING,
                            "augmentation": {"patch_probability": PATCH_PROBABILITY,
                                             "max_patches": MAX_PATCHES,
                                             "patch_sides": list(PATCH_SIZES),
                                             "clearance_px": PATCH_CLEARANCE,
                                             "near_px": NEAR}},
        "rounds": rounds,
        "training_seconds": round(training_seconds, 1),
        "evaluation": {
            "policy": "greedy (argmax of the logits) with the trained network, whose outputs the "
                      "ONNX file reproduces (checked with onnx_cnn.numpy_forward)",
            "episodes": len(caught), "seeds": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1],
            "caught": int(sum(caught)), "catch_rate": rate,
            "onnx_max_abs_difference": difference},
        "onnx": {"file": "catch_cnn.onnx", "sha256": digest, "opset": 13,
                 "inputs": [list(v) for v in inputs], "outputs": [list(v) for v in outputs]},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": THREADS},
    }
    with open(REPORT_PATH, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"wrote {ONNX_PATH} and {REPORT_PATH}; training took {training_seconds:.0f} s")
    if rate < 0.9:
        raise SystemExit(f"only {rate:.3f} of the evaluation balls were caught; the target is 0.9")


if __name__ == "__main__":
    main()
