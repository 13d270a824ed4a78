#!/usr/bin/python3
"""Writes the observations of one greedy episode of the trained policy, for bench_torch.py.

    /usr/bin/python3 make_episode.py [--seed 2000] [--out bench_observations.json]

The policy is the network rebuilt from cartpole_mlp.onnx, acting greedily (argmax of the
logits) in cartpole_sim from reset(seed). The file is {"observations": [[4 floats] x N]}: the N
observations at which the policy acted (the final observation is left out), so a full 500-step
episode gives 500 rows. Values are the float32 observations written as exact float64 numbers.
"""
import argparse
import json
import os

import numpy as np
import torch

import cartpole_sim as sim
import onnx_mlp

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2000)
    parser.add_argument("--out", default=os.path.join(HERE, "bench_observations.json"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    net, _ = onnx_mlp.load_mlp(os.path.join(HERE, "cartpole_mlp.onnx"))

    def act(obs):
        with torch.no_grad():
            return int(torch.argmax(net(torch.from_numpy(obs)[None])[0]))

    observations, actions, ret = sim.run_episode(args.seed, act)
    rows = [[float(v) for v in o] for o in observations[:len(actions)]]
    with open(args.out, "w") as f:
        f.write('{"seed": %d, "return": %s, "observations": [\n' % (args.seed, json.dumps(ret)))
        f.write(",\n".join(json.dumps(r) for r in rows))
        f.write("\n]}\n")
    print(f"wrote {args.out}: {len(rows)} observations, return {ret:.0f}, "
          f"max |obs| {np.abs(np.array(rows)).max(axis=0).round(3).tolist()}")


if __name__ == "__main__":
    main()
