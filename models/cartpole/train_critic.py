#!/usr/bin/python3
"""Fits a critic V^pi for the shipped CartPole policy and exports the actor-critic cartpole_ac.onnx.

The actor is cartpole_mlp.onnx, unchanged (its weights are read from the file and exported as
they are). The critic is an MLP 4 -> 64 -> tanh -> 64 -> tanh -> 1 fitted by regression (mean
squared error) to Monte-Carlo discounted returns (gamma = 0.99, reward 1 per step) of the shipped
policy acting greedily (argmax of the logits, ties to action 0) in cartpole_sim.py.

Data. Episode i starts from cartpole_sim.reset(seed) (Gymnasium's reset(seed=...)) and first takes
k random actions (k uniform in 0..PREFIX_MAX, actions uniform, both from
numpy default_rng(seed)), so that the greedy policy also starts from the tilted, fast states a
random agent reaches (like those of recording.json), some of which it cannot recover from. The
greedy policy then acts until the episode terminates or reaches CartPole-v1's 500-step limit,
counted from the reset (the prefix included). Only the states at which the greedy policy acts are
training samples (the prefix's states are not: their returns are not the policy's). Episodes that
terminate during the prefix give no samples.

Truncation is handled by bootstrapping from the critic: the target of state s_t is
    G_t = sum_{j=t}^{T-1} gamma^(j-t)  +  [truncated] gamma^(T-t) V(s_T),
with T the last step; a terminated episode has no bootstrap term (the terminating step's reward
is counted). The fit runs in ROUNDS rounds: round 0 bootstraps with V = 1 / (1 - gamma) = 100
(the value of balancing for ever, which the policy does from the states where episodes are cut),
each later round recomputes the targets with the critic of the round before and continues
training it; the report gives how much the bootstrap values moved. Every STATE_STRIDE-th state of
each greedy segment is a training sample (neighbouring states are nearly the same).

The critic is trained on targets / 100 (1 / (1 - gamma) = 100 is the largest return); the scale is
folded into its last layer before the export, so the exported `value` is V itself.

Everything is seeded and single-threaded: reruns give the same file.

    /usr/bin/python3 train_critic.py     # ~1-2 min: cartpole_ac.onnx, critic_report.json
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
ACTOR_PATH = os.path.join(HERE, "cartpole_mlp.onnx")
ONNX_PATH = os.path.join(HERE, "cartpole_ac.onnx")
REPORT_PATH = os.path.join(HERE, "critic_report.json")
RECORDING_PATH = os.path.join(HERE, "recording.json")

SEED = 0
GAMMA = 0.99
SCALE = 100.0                       # targets are fitted as G / SCALE
PREFIX_MAX = 20                     # random actions before the greedy policy takes over
TRAIN_SEEDS = range(5000, 5800)     # never train.py's (0..819) nor its evaluation seeds
TEST_SEEDS = range(6000, 6100)
ROUNDS = 4
EPOCHS = (30, 15, 15, 15)             # per round
STATE_STRIDE = 2
BATCH_SIZE = 256
LEARNING_RATE = 1e-3


class ActorCritic(torch.nn.Module):
    """One graph, two outputs: the actor's logits and the critic's value."""

    def __init__(self, actor, critic):
        super().__init__()
        self.actor = actor
        self.critic = critic

    def forward(self, obs):
        return self.actor(obs), self.critic(obs)


def make_critic():
    return torch.nn.Sequential(
        torch.nn.Linear(4, 64), torch.nn.Tanh(),
        torch.nn.Linear(64, 64), torch.nn.Tanh(),
        torch.nn.Linear(64, 1))


def play(actor, seeds):
    """Plays one episode per seed (all in lockstep, the greedy actions of all live episodes in one
    forward call). Returns per episode: the greedy segment's float32 observations [L, 4], the
    observation after the last step, whether it terminated, and the prefix length."""
    episodes = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        k = int(rng.integers(0, PREFIX_MAX + 1))
        prefix = [int(a) for a in rng.integers(0, 2, size=k)]
        episodes.append({"seed": seed, "prefix": k, "actions": prefix, "state": sim.reset(seed),
                         "steps": 0, "obs": [], "done": False, "terminated": False})
    while True:
        live = [e for e in episodes if not e["done"]]
        if not live:
            break
        greedy = [e for e in live if e["steps"] >= e["prefix"]]
        if greedy:
            X = torch.from_numpy(np.stack([sim.observe(e["state"]) for e in greedy]))
            with torch.no_grad():
                actions = torch.argmax(actor(X), dim=1).tolist()  # first maximum on ties
            for e, a in zip(greedy, actions):
                e["obs"].append(sim.observe(e["state"]))
                e["next"] = a
        for e in live:
            a = e["actions"][e["steps"]] if e["steps"] < e["prefix"] else e["next"]
            e["state"], terminated = sim.step(e["state"], a)
            e["steps"] += 1
            if terminated or e["steps"] >= sim.MAX_STEPS:
                e["done"], e["terminated"] = True, terminated
    out = []
    for e in episodes:
        if not e["obs"]:
            continue  # terminated during the random prefix
        out.append({"seed": e["seed"], "prefix": e["prefix"], "obs": np.stack(e["obs"]),
                    "final": sim.observe(e["state"]), "terminated": e["terminated"]})
    return out


def returns(episode, v_final):
    """The discounted returns of the greedy segment, bootstrapped with v_final if truncated."""
    L = len(episode["obs"])
    G = np.empty(L)
    g = 0.0 if episode["terminated"] else float(v_final)
    for t in range(L - 1, -1, -1):
        g = 1.0 + GAMMA * g
        G[t] = g
    return G


OUTPUT_SCALE = {"critic": SCALE}  # 1 once the scale is folded into the critic's last layer


def value(critic, X):
    with torch.no_grad():
        out = critic(torch.from_numpy(np.asarray(X, dtype=np.float32)))[:, 0].double().numpy()
    return out * OUTPUT_SCALE["critic"]


def targets(critic, episodes):
    finals = np.stack([e["final"] for e in episodes])
    v_final = value(critic, finals) if critic is not None else np.full(len(episodes), SCALE)
    return np.concatenate([returns(e, v)[::STATE_STRIDE] for e, v in zip(episodes, v_final)]), v_final


def fit(critic, optimizer, X, Y, epochs, generator):
    X = torch.from_numpy(X)
    Y = torch.from_numpy((Y / SCALE).astype(np.float32))[:, None]
    loss_fn = torch.nn.MSELoss()
    critic.train()
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=generator)
        for start in range(0, len(X), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(critic(X[idx]), Y[idx])
            loss.backward()
            optimizer.step()
    critic.eval()


def errors(critic, X, Y):
    d = value(critic, X) - Y
    return {"rmse": float(np.sqrt(np.mean(d * d))), "mean_abs": float(np.mean(np.abs(d))),
            "max_abs": float(np.max(np.abs(d))), "states": int(len(Y))}


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(SEED)
    started = time.time()

    actor, _ = onnx_mlp.load_mlp(ACTOR_PATH)
    train_eps = play(actor, TRAIN_SEEDS)
    test_eps = play(actor, TEST_SEEDS)
    X = np.concatenate([e["obs"][::STATE_STRIDE] for e in train_eps])
    Xt = np.concatenate([e["obs"][::STATE_STRIDE] for e in test_eps])
    print(f"played: {len(train_eps)} training episodes ({len(X)} states), {len(test_eps)} test "
          f"episodes ({len(Xt)} states) in {time.time() - started:.1f} s", flush=True)

    critic = make_critic().float()
    critic.eval()
    optimizer = torch.optim.Adam(critic.parameters(), lr=LEARNING_RATE)
    rounds, prev_boot = [], None
    for r in range(ROUNDS):
        Y, boot = targets(critic if r > 0 else None, train_eps)
        Yt, _ = targets(critic if r > 0 else None, test_eps)
        fit(critic, optimizer, X, Y, EPOCHS[r], generator)
        moved = None if prev_boot is None else float(np.max(np.abs(boot - prev_boot)))
        prev_boot = boot
        rounds.append({"round": r, "epochs": EPOCHS[r],
                       "bootstrap": "V = 100" if r == 0 else f"critic after round {r - 1}",
                       "max_change_of_bootstrap_values_from_previous_round": moved,
                       "train": errors(critic, X, Y), "test": errors(critic, Xt, Yt)})
        print(f"round {r}: train rmse {rounds[-1]['train']['rmse']:.3f}, test rmse "
              f"{rounds[-1]['test']['rmse']:.3f}, bootstrap values moved by {moved}", flush=True)

    # The final targets, bootstrapped with the final critic, for the report.
    Y, _ = targets(critic, train_eps)
    Yt, _ = targets(critic, test_eps)

    # Fold the target scale into the last layer, then export actor and critic as one graph.
    with torch.no_grad():
        critic[4].weight.mul_(SCALE)
        critic[4].bias.mul_(SCALE)
    OUTPUT_SCALE["critic"] = 1.0
    ac = ActorCritic(actor, critic).eval()
    torch.onnx.export(ac, torch.zeros(1, 4), ONNX_PATH, input_names=["obs"],
                      output_names=["logits", "value"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"},
                                    "value": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)

    # Read the file back: the actor is the shipped one, bit for bit; the critic is the fitted one.
    chains, model = onnx_mlp.load_chains(ONNX_PATH)
    if list(chains) != ["logits", "value"]:
        raise SystemExit(f"outputs {list(chains)}")
    probe = torch.from_numpy(np.concatenate([X[:2000], Xt[:2000]]))
    with torch.no_grad():
        shipped, _ = onnx_mlp.load_mlp(ACTOR_PATH)
        if not torch.equal(chains["logits"](probe), shipped(probe)):
            raise SystemExit("the actor in cartpole_ac.onnx differs from cartpole_mlp.onnx")
        if not torch.equal(chains["value"](probe), critic(probe)):
            raise SystemExit("the critic read back from cartpole_ac.onnx differs from the fitted one")
        np_value = onnx_mlp.numpy_forward(model, probe.numpy(), "value")
        np_err = float(np.max(np.abs(np_value - critic(probe).numpy())))
    final_train, final_test = errors(critic, X, Y), errors(critic, Xt, Yt)

    # A few states of the first test episodes: V(s) against the observed (bootstrapped) return.
    examples = []
    offset = 0
    for e in test_eps[:6]:
        L = len(e["obs"][::STATE_STRIDE])
        G = Yt[offset:offset + L]
        V = value(critic, e["obs"][::STATE_STRIDE])
        for t in sorted({0, L // 2, max(L - 10, 0), L - 1}):
            examples.append({"seed": e["seed"], "prefix": e["prefix"],
                             "greedy_step": t * STATE_STRIDE, "greedy_steps": len(e["obs"]),
                             "terminated": e["terminated"],
                             "obs": [float(v) for v in e["obs"][t * STATE_STRIDE]],
                             "V": float(V[t]), "observed_return": float(G[t])})
        offset += L
    with open(RECORDING_PATH) as f:
        recording = json.load(f)
    rec_obs = np.concatenate([np.array(e["observations"], dtype=np.float32)
                              for e in recording["episodes"]])
    rec_V = value(critic, rec_obs)
    lengths = [len(e["obs"]) for e in train_eps]
    with open(ONNX_PATH, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    report = {
        "method": "critic V^pi of the shipped greedy policy: MLP 4 -> 64 -> tanh -> 64 -> tanh "
                  "-> 1 fitted (MSE, Adam) to Monte-Carlo discounted returns, gamma = 0.99; "
                  "episodes from seeded resets with a random prefix of 0..20 actions, then the "
                  "greedy policy until termination or step 500 from the reset; truncated "
                  "episodes bootstrap with the critic (fitted value iteration over the rounds, "
                  "round 0 with V = 1/(1-gamma) = 100); every 2nd state is a sample",
        "truncation": "bootstrapping from the critic: G_t = sum_{j<T} gamma^(j-t) + "
                      "gamma^(T-t) V(s_T) for episodes cut at 500 steps",
        "gamma": GAMMA,
        "seeds": {"torch.manual_seed": SEED, "torch.Generator (minibatch order)": SEED,
                  "training episodes": [TRAIN_SEEDS.start, TRAIN_SEEDS.stop - 1],
                  "test episodes": [TEST_SEEDS.start, TEST_SEEDS.stop - 1],
                  "prefix": "numpy default_rng(seed): k = integers(0, 21), then k actions "
                            "integers(0, 2)"},
        "hyperparameters": {"rounds": ROUNDS, "epochs": list(EPOCHS), "batch_size": BATCH_SIZE,
                            "learning_rate": LEARNING_RATE, "target_scale": 100.0},
        "data": {"training_episodes_with_greedy_steps": len(train_eps),
                 "training_states": int(len(X)), "test_states": int(len(Xt)),
                 "terminated": int(sum(e["terminated"] for e in train_eps)),
                 "truncated_at_500": int(sum(not e["terminated"] for e in train_eps)),
                 "greedy_steps_min_median_max": [int(min(lengths)), float(np.median(lengths)),
                                                 int(max(lengths))],
                 "training_target_quantiles_0_10_50_90_100": [
                     float(q) for q in np.quantile(Y, [0, 0.1, 0.5, 0.9, 1])]},
        "rounds": rounds,
        "fit": {"train": final_train, "test": final_test,
                "test_states_with_return_below_90": errors(critic, Xt[Yt < 90], Yt[Yt < 90])},
        "examples": examples,
        "recording_values": {"rows": int(len(rec_V)), "min": float(rec_V.min()),
                             "median": float(np.median(rec_V)), "max": float(rec_V.max())},
        "onnx": {"file": "cartpole_ac.onnx", "sha256": digest, "opset": 13,
                 "inputs": [list(v) for v in onnx_mlp.io_signature(model)[0]],
                 "outputs": [list(v) for v in onnx_mlp.io_signature(model)[1]],
                 "actor": "cartpole_mlp.onnx's weights, unchanged (checked bit for bit)",
                 "numpy_vs_torch_value_max_abs": np_err},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": 1},
    }
    with open(REPORT_PATH, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"fit: train rmse {final_train['rmse']:.3f}, test rmse {final_test['rmse']:.3f}; "
          f"wrote {ONNX_PATH} and {REPORT_PATH} in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
