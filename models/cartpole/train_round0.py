#!/usr/bin/python3
"""Exports the CartPole policy as it was after round 0 of train.py: an early checkpoint of the
same training run, the weaker "before" policy that `rld serve --compare-policy` compares the
trained cartpole_mlp.onnx with.

Round 0 of train.py collects 20 episodes acting as the expert only (reset seeds 0..19), labels
them with the soft expert and fits the freshly initialised network for 10 epochs; DAgger's later
rounds, which teach the network the states its own mistakes lead to, have not happened yet. This
script runs exactly that round with train.py's functions, seeds and settings (so the weights are
those train.py's network has after round 0: the training loss must equal train_report.json's
round 0 figure), exports it like train.py (input `obs` [batch, 4], output `logits` [batch, 2],
opset 13), reads it back, evaluates it greedily on train.py's 100 evaluation episodes and writes
round0_report.json.

    /usr/bin/python3 train_round0.py
"""
import hashlib
import json
import os

import numpy as np
import torch

import onnx_mlp
import train

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_PATH = os.path.join(HERE, "cartpole_mlp_round0.onnx")
REPORT_PATH = os.path.join(HERE, "round0_report.json")


def main():
    # train.main()'s set-up, in its order: the same generators see the same draws.
    torch.manual_seed(train.SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(train.SEED)
    generator = torch.Generator().manual_seed(train.SEED)
    net = train.make_net().float()
    net.eval()
    optimizer = torch.optim.Adam(net.parameters(), lr=train.LEARNING_RATE)

    seeds = range(0, train.EPISODES_PER_ROUND)
    X, Y, returns = train.collect(net, seeds, 1.0, rng)
    loss, accuracy = train.fit(net, optimizer, X, Y, generator)
    print(f"round 0: {len(X)} states, loss {loss:.4f}, greedy agreement with the expert {accuracy:.4f}",
          flush=True)
    with open(os.path.join(HERE, "train_report.json")) as f:
        logged = json.load(f)["rounds"][0]
    same = abs(logged["train_loss"] - loss) < 1e-6 and abs(logged["train_greedy_agreement_with_expert"] - accuracy) < 1e-6
    print(f"train_report.json's round 0: loss {logged['train_loss']:.4f}, agreement "
          f"{logged['train_greedy_agreement_with_expert']:.4f} ({'the same' if same else 'DIFFERENT'})", flush=True)

    torch.onnx.export(net, torch.zeros(1, 4), ONNX_PATH, input_names=["obs"], output_names=["logits"],
                      dynamic_axes={"obs": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True, export_params=True)
    shipped, model = onnx_mlp.load_mlp(ONNX_PATH)
    probe = torch.from_numpy(X[:1000])
    with torch.no_grad():
        if not torch.equal(shipped(probe), net(probe)):
            raise SystemExit("the network rebuilt from the ONNX file differs from the trained one")
    evaluation = train.evaluate(shipped)
    solved = sum(1 for g in evaluation if g >= 500)
    print(f"evaluation: {solved}/100 episodes reach return 500, mean return {np.mean(evaluation):.2f}, "
          f"min {min(evaluation):.0f}", flush=True)
    with open(ONNX_PATH, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    report = {
        "what": "train.py's network after its round 0 (expert-only data, before any DAgger round): an early "
                "checkpoint of the same training run, for comparing policies",
        "round": {"episode_seeds": [seeds.start, seeds.stop - 1], "states": len(X),
                  "mean_return_while_collecting": float(np.mean(returns)), "train_loss": loss,
                  "train_greedy_agreement_with_expert": accuracy,
                  "equals_train_report_round_0": bool(same)},
        "evaluation": {"policy": "greedy (argmax of the logits) with the weights read back from "
                                 "cartpole_mlp_round0.onnx",
                       "episodes": len(evaluation), "seeds": [train.EVAL_SEEDS.start, train.EVAL_SEEDS.stop - 1],
                       "episodes_reaching_500": solved, "mean_return": float(np.mean(evaluation)),
                       "min_return": float(min(evaluation)), "returns": evaluation},
        "onnx": {"file": "cartpole_mlp_round0.onnx", "sha256": digest, "opset": 13,
                 "inputs": [list(v) for v in onnx_mlp.io_signature(model)[0]],
                 "outputs": [list(v) for v in onnx_mlp.io_signature(model)[1]]},
        "environment": {"torch": torch.__version__, "numpy": np.__version__, "threads": 1},
    }
    with open(REPORT_PATH, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"wrote {ONNX_PATH} and {REPORT_PATH}")
    if not same:
        raise SystemExit("round 0 differs from train_report.json's: not the same training run")


if __name__ == "__main__":
    main()
