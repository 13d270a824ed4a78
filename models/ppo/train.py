#!/usr/bin/python3
"""PPO on CartPole-v1 with the RLlib tutorial's first network; exports ppo_initial.onnx and ppo.onnx.

The network (RLlib's fcnet_hiddens=[32], fcnet_activation="linear", vf_share_layers=False): the
actor is 4 -> 32 (no activation) -> 2 action logits, the critic a separate 4 -> 32 (no
activation) -> 1 value. Both are exported in one graph: input `obs` float32 [batch, 4], outputs
`logits` [batch, 2] then `value` [batch, 1] (rld's OnnxPolicy takes the output named `value` as
V(x), so `target=value` applies).

PPO (Schulman et al. 2017), one environment (models/cartpole/cartpole_sim.py, the dynamics the
Java CartPole is tested against): rollouts of ROLLOUT_STEPS steps, advantages by GAE(gamma,
lambda) with the critic bootstrapping truncated episodes (500 steps) and not terminated ones,
advantages normalised per rollout, then EPOCHS epochs of minibatches on the clipped surrogate
loss plus VF_COEF * squared value error minus ENT_COEF * entropy, Adam with the learning rate falling linearly to 0, gradient norms clipped per network.
Training episode k is reset with seed TRAIN_SEED_BASE + k; actions are drawn as
action = 1 if u < P(right) else 0 with u from numpy default_rng(seed): language-neutral, so the
Java trainer can replay the log.

Writes, next to this file (or --out-dir):
  ppo_initial.onnx    the network before any update (same layout)
  ppo.onnx            the trained network
  train_report.json   seeds, hyperparameters, the training curve, greedy evaluations of both files
  reference_outputs.json  logits and value of both files, from PyTorch, for a few observations
and with --log FILE a JSON-lines log of every training episode (seed, initial state, actions,
observations, logits and values at that time) that `rld-samples train --agent ppo` replays.
Progress lines on stdout: "progress STEPS TOTAL_STEPS status".

    /usr/bin/python3 train.py            # ~2 min, 2 cores shared
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cartpole"))
import cartpole_sim as sim  # noqa: E402

SEED = 0
TOTAL_STEPS = 200_000
ROLLOUT_STEPS = 2048
EPOCHS = 10
MINIBATCH = 64
GAMMA = 0.99
LAMBDA = 0.95
CLIP = 0.2
LEARNING_RATE = 1e-3
VF_COEF = 0.5
ENT_COEF = 0.0
MAX_GRAD_NORM = 0.5
TRAIN_SEED_BASE = 10_000
EVAL_SEEDS = range(1000, 1100)


class LinearActorCritic(torch.nn.Module):
    """RLlib's tutorial network: one linear hidden layer of 32 for the actor, another for the critic."""

    def __init__(self):
        super().__init__()
        self.actor = torch.nn.Sequential(torch.nn.Linear(4, 32), torch.nn.Linear(32, 2))
        self.critic = torch.nn.Sequential(torch.nn.Linear(4, 32), torch.nn.Linear(32, 1))

    def forward(self, obs):
        return self.actor(obs), self.critic(obs)


def f32(values):
    """float32 values as JSON numbers (their exact double value)."""
    return [float(v) for v in np.asarray(values, dtype=np.float32).ravel()]


def play(net, seed):
    """One training episode from reset(seed), sampling actions; returns its transitions."""
    rng = np.random.default_rng(seed)
    reset_state = sim.reset(seed)
    state = reset_state
    obs, actions, logps, logits_all, values = [sim.observe(state)], [], [], [], []
    terminated = False
    while len(actions) < sim.MAX_STEPS and not terminated:
        with torch.no_grad():
            logits, value = net(torch.from_numpy(obs[-1]).unsqueeze(0))
        logp = torch.log_softmax(logits[0], 0)
        action = 1 if rng.random() < float(torch.exp(logp[1])) else 0
        state, terminated = sim.step(state, action)
        actions.append(action)
        logps.append(float(logp[action]))
        logits_all.append(logits[0].numpy().copy())
        values.append(float(value[0, 0]))
        obs.append(sim.observe(state))
    with torch.no_grad():
        last_value = 0.0 if terminated else float(net(torch.from_numpy(obs[-1]).unsqueeze(0))[1][0, 0])
    return {"seed": seed, "reset_state": list(reset_state), "obs": obs, "actions": actions,
            "logps": logps, "logits": logits_all, "values": values, "terminated": terminated,
            "last_value": last_value}


def gae(episode):
    """GAE advantages and value targets of one episode (reward 1 per step)."""
    v = episode["values"] + [episode["last_value"]]
    adv = np.zeros(len(episode["actions"]))
    running = 0.0
    for t in range(len(adv) - 1, -1, -1):
        delta = 1.0 + GAMMA * v[t + 1] - v[t]
        running = delta + GAMMA * LAMBDA * running
        adv[t] = running
    return adv, adv + np.array(v[:-1])


def update(net, optimizer, batch, generator):
    obs, actions, old_logp, adv, targets = batch
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    stats = []
    for _ in range(EPOCHS):
        order = torch.randperm(len(obs), generator=generator)
        for start in range(0, len(obs), MINIBATCH):
            i = order[start:start + MINIBATCH]
            logits, value = net(obs[i])
            logp_all = torch.log_softmax(logits, 1)
            logp = logp_all.gather(1, actions[i].unsqueeze(1))[:, 0]
            ratio = torch.exp(logp - old_logp[i])
            surrogate = torch.min(ratio * adv[i], torch.clamp(ratio, 1 - CLIP, 1 + CLIP) * adv[i])
            entropy = -(logp_all.exp() * logp_all).sum(1)
            value_loss = ((value[:, 0] - targets[i]) ** 2).mean()
            loss = -surrogate.mean() + VF_COEF * value_loss - ENT_COEF * entropy.mean()
            optimizer.zero_grad()
            loss.backward()
            # Clipped per network: the critic's gradient (returns up to 100) would otherwise
            # set the scale for the actor's.
            torch.nn.utils.clip_grad_norm_(net.actor.parameters(), MAX_GRAD_NORM)
            torch.nn.utils.clip_grad_norm_(net.critic.parameters(), MAX_GRAD_NORM)
            optimizer.step()
            stats.append((float(value_loss), float(entropy.mean())))
    return np.mean(stats, axis=0)


def greedy_returns(net, seeds=EVAL_SEEDS):
    def act(o):
        with torch.no_grad():
            return int(torch.argmax(net(torch.from_numpy(o).unsqueeze(0))[0][0]))  # ties: action 0
    return [sim.run_episode(seed, act)[2] for seed in seeds]


def export(net, path):
    torch.onnx.export(net, torch.zeros(1, 4), path, input_names=["obs"], output_names=["logits", "value"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}, "value": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def reference(net, observations):
    with torch.no_grad():
        logits, value = net(torch.from_numpy(np.stack(observations)))
    return {"logits": [f32(r) for r in logits.numpy()], "value": f32(value.numpy())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out-dir", default=HERE)
    parser.add_argument("--log", help="write every training episode to this JSON-lines file")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(args.seed)
    started = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    log = open(args.log, "w") if args.log else None

    net = LinearActorCritic()
    initial = LinearActorCritic()
    initial.load_state_dict(net.state_dict())
    initial_sha = export(initial, os.path.join(args.out_dir, "ppo_initial.onnx"))
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    steps, episode, curve, returns = 0, 0, [], []
    while steps < TOTAL_STEPS:
        batch = [[] for _ in range(5)]
        while len(batch[0]) < ROLLOUT_STEPS:
            e = play(net, TRAIN_SEED_BASE + args.seed * 1_000_000 + episode)
            adv, targets = gae(e)
            for part, values in zip(batch, (e["obs"][:-1], e["actions"], e["logps"], adv, targets)):
                part.extend(values)
            returns.append(len(e["actions"]))
            if log:
                log.write(json.dumps({"episode": episode, "seed": e["seed"], "reset_state": e["reset_state"],
                                      "actions": e["actions"], "observations": [f32(o) for o in e["obs"]],
                                      "logits": [f32(l) for l in e["logits"]], "value": f32(e["values"]),
                                      "training_steps_before": steps}) + "\n")
            episode += 1
            steps += len(e["actions"])
        tensors = (torch.from_numpy(np.stack(batch[0])), torch.tensor(batch[1]),
                   torch.tensor(batch[2], dtype=torch.float32), torch.tensor(batch[3], dtype=torch.float32),
                   torch.tensor(batch[4], dtype=torch.float32))
        # The learning rate falls linearly to 0 over training (as rl-zoo's CartPole PPO does).
        for group in optimizer.param_groups:
            group["lr"] = LEARNING_RATE * max(0.0, 1 - steps / TOTAL_STEPS)
        value_loss, entropy = update(net, optimizer, tensors, generator)
        recent = float(np.mean(returns[-20:]))
        curve.append({"steps": steps, "episodes": episode, "mean_return_last_20_episodes": recent,
                      "value_loss": float(value_loss), "entropy": float(entropy)})
        print(f"progress {min(steps, TOTAL_STEPS)} {TOTAL_STEPS} episode {episode}, mean return (last 20) "
              f"{recent:.1f}, entropy {entropy:.3f}", flush=True)
    if log:
        log.close()

    trained_sha = export(net, os.path.join(args.out_dir, "ppo.onnx"))
    evaluation = greedy_returns(net)
    initial_evaluation = greedy_returns(initial)
    mean = float(np.mean(evaluation))
    print(f"evaluation: mean return {mean:.2f} over 100 greedy episodes (initial policy: "
          f"{np.mean(initial_evaluation):.2f})", flush=True)

    # Reference outputs: observations from a greedy episode of each policy, and extreme ones.
    probes = [sim.run_episode(1000, lambda o: 0)[0][i] for i in (0, 3, 6)]
    probes += [np.array(o, dtype=np.float32) for o in ([0.1, -0.5, 0.05, 0.8], [-2.0, 1.5, -0.2, -2.5])]
    probes += [np.array(sim.observe(sim.reset(s)), dtype=np.float32) for s in (1001, 1002, 1003)]
    references = {"observations": [f32(o) for o in probes], "ppo.onnx": reference(net, probes),
                  "ppo_initial.onnx": reference(initial, probes)}
    with open(os.path.join(args.out_dir, "reference_outputs.json"), "w") as f:
        json.dump(references, f, indent=1)
        f.write("\n")

    report = {
        "method": "PPO: clipped surrogate, GAE, minibatch epochs, one environment",
        "network": "actor 4 -> 32 (linear) -> 2 logits; separate critic 4 -> 32 (linear) -> 1 value",
        "seeds": {"torch.manual_seed": args.seed, "torch.Generator (minibatch order)": args.seed,
                  "training episode k": f"reset seed and action-sampling numpy default_rng seed "
                                        f"{TRAIN_SEED_BASE} + {args.seed} * 1000000 + k",
                  "evaluation episodes": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1]},
        "hyperparameters": {"total_steps": TOTAL_STEPS, "rollout_steps": ROLLOUT_STEPS, "epochs": EPOCHS,
                            "minibatch": MINIBATCH, "gamma": GAMMA, "gae_lambda": LAMBDA, "clip": CLIP,
                            "learning_rate": LEARNING_RATE, "vf_coef": VF_COEF, "ent_coef": ENT_COEF,
                            "max_grad_norm": MAX_GRAD_NORM, "optimizer": "Adam"},
        "training_curve": curve,
        "training_episodes": episode,
        "evaluation": {"policy": "greedy (argmax of the logits, ties to action 0)",
                       "seeds": [EVAL_SEEDS.start, EVAL_SEEDS.stop - 1],
                       "ppo.onnx": {"mean_return": mean, "min_return": float(min(evaluation)),
                                    "episodes_reaching_500": sum(1 for g in evaluation if g >= 500)},
                       "ppo_initial.onnx": {"mean_return": float(np.mean(initial_evaluation)),
                                            "min_return": float(min(initial_evaluation))}},
        "onnx": {"inputs": [["obs", "float32", ["batch", 4]]],
                 "outputs": [["logits", "float32", ["batch", 2]], ["value", "float32", ["batch", 1]]],
                 "opset": 13, "ppo.onnx sha256": trained_sha, "ppo_initial.onnx sha256": initial_sha},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": 1},
        "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(args.out_dir, "train_report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"done in {time.time() - started:.1f} s: mean evaluation return {mean:.2f}", flush=True)


if __name__ == "__main__":
    main()
