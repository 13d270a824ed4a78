#!/usr/bin/python3
"""Times batched PyTorch attributions of the CartPole policy, for the Java performance comparison.

    /usr/bin/python3 bench_torch.py OBS.json [--repeats 25] [--warmup 5]

OBS.json is {"observations": [[4 floats] x N]} (make_episode.py writes one with N = 500). The
model is rebuilt from cartpole_mlp.onnx (onnx_mlp.load_mlp), float32, one thread. Timed, each
as the median of --repeats runs after --warmup untimed runs, from the float32 observations to
the float64 attributions of every action:

  ablation_ms: ablation, baseline zero, output probability, target all: one forward call on the
               N x (4 + 1) rows (x and x with each feature zeroed);
  shapley_ms:  Shapley value sampling, 25 permutations, seed 0, baseline zero, output
               probability, target all: the SplitMix64 permutations of every step (vectorised
               over steps), then one forward call on the N x 25 x (4 + 1) rows, then the
               contributions and their means.

Before timing, both results are checked against reference.py's implementation (1e-9). Prints one
JSON line on stdout: {"ablation_ms": .., "shapley_ms": .., "torch": version, "threads": 1};
details go to stderr.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

import onnx_mlp
import reference

HERE = os.path.dirname(os.path.abspath(__file__))
PERMUTATIONS = 25
SEED = 0
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)


def permutations_batched(seed, steps, count, m):
    """reference.permutations for every step at once: [steps, count, m] int64."""
    state = np.arange(steps, dtype=np.uint64) + np.uint64(seed % (1 << 64))
    perms = np.empty((steps, count, m), dtype=np.int64)
    rows = np.arange(steps)
    with np.errstate(over="ignore"):
        for p in range(count):
            perm = np.tile(np.arange(m, dtype=np.int64), (steps, 1))
            for i in range(m - 1, 0, -1):
                state = state + GOLDEN
                z = state
                z = (z ^ (z >> np.uint64(30))) * M1
                z = (z ^ (z >> np.uint64(27))) * M2
                z = z ^ (z >> np.uint64(31))
                j = (z % np.uint64(i + 1)).astype(np.int64)
                pi = perm[:, i].copy()
                perm[:, i] = perm[rows, j]
                perm[rows, j] = pi
            perms[:, p] = perm
    return perms


def ablation_zero_probability(net, x):
    """x: [n, d] float32 tensor. Returns [n, d, A] float64 (one feature per element)."""
    n, d = x.shape
    keep = 1.0 - torch.cat([torch.zeros(1, d), torch.eye(d)])  # row 0: x; row 1 + g: x_g = 0
    Z = (x[:, None, :] * keep[None]).reshape(-1, d)
    with torch.no_grad():
        F = torch.softmax(net(Z).double(), dim=-1).reshape(n, d + 1, -1)
    return F[:, :1] - F[:, 1:]


def shapley_zero_probability(net, x, seed, count):
    n, d = x.shape
    perms = torch.from_numpy(permutations_batched(seed, n, count, d))    # [n, P, d]
    rank = torch.argsort(perms, dim=-1)                                  # position of each g
    prefix = torch.arange(d + 1)[None, None, :, None]                   # z_k: first k set
    mask = rank[:, :, None, :] < prefix                                  # [n, P, d+1, d]
    Z = torch.where(mask, x[:, None, None, :], torch.zeros(()))          # baseline zero
    with torch.no_grad():
        F = torch.softmax(net(Z.reshape(-1, d)).double(), dim=-1).reshape(n, count, d + 1, -1)
    D = F[:, :, 1:] - F[:, :, :-1]                     # contribution of the feature at position k
    contrib = torch.gather(D, 2, rank[..., None].expand(-1, -1, -1, D.shape[-1]))
    return contrib.sum(dim=1) / count


def blas_libraries():
    """The BLAS/LAPACK shared objects loaded into this process (torch's float32 GEMM uses them)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in line or "mkl" in line}
    return sorted(os.path.realpath(p) for p in paths if p.startswith("/"))


def median_ms(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("observations")
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    if args.repeats < 20:
        parser.error("--repeats must be at least 20")
    reference.setup_torch()
    net, _ = onnx_mlp.load_mlp(os.path.join(HERE, "cartpole_mlp.onnx"))
    with open(args.observations) as f:
        obs = np.array(json.load(f)["observations"], dtype=np.float32)
    x = torch.from_numpy(obs)
    n, d = obs.shape

    # Same results as reference.py's (looped) implementation.
    policy = reference.Policy(net)
    groups = [[i] for i in range(d)]
    zero = np.zeros(d, dtype=np.float32)
    want = reference.ablation(policy, obs, zero, groups, "probability")
    got = ablation_zero_probability(net, x).numpy()
    check = float(np.abs(got - want).max())
    perms = [reference.permutations(SEED, t, PERMUTATIONS, d) for t in range(n)]
    if not np.array_equal(permutations_batched(SEED, n, PERMUTATIONS, d), np.array(perms)):
        raise SystemExit("batched SplitMix64 permutations differ from reference.permutations")
    want = reference.shapley(policy, obs, zero, groups, "probability", perms)[0]
    got = shapley_zero_probability(net, x, SEED, PERMUTATIONS).numpy()
    check = max(check, float(np.abs(got - want).max()))
    if check > 1e-9:
        raise SystemExit(f"batched attributions differ from reference.py by {check}")

    ablation_ms, a_times = median_ms(lambda: ablation_zero_probability(net, x),
                                     args.repeats, args.warmup)
    shapley_ms, s_times = median_ms(lambda: shapley_zero_probability(net, x, SEED, PERMUTATIONS),
                                    args.repeats, args.warmup)
    perm_ms, _ = median_ms(lambda: permutations_batched(SEED, n, PERMUTATIONS, d),
                           args.repeats, args.warmup)
    print(f"{n} steps; ablation {n * (d + 1)} rows, Shapley {n * PERMUTATIONS * (d + 1)} rows "
          f"in one forward call each; max |diff| to reference.py {check:.3g}; ablation ms "
          f"min {min(a_times):.3f} max {max(a_times):.3f}; Shapley ms min {min(s_times):.3f} "
          f"max {max(s_times):.3f}, of which permutations {perm_ms:.3f} (median); BLAS "
          f"{', '.join(blas_libraries()) or 'none loaded'}", file=sys.stderr)
    print(json.dumps({"ablation_ms": round(ablation_ms, 3), "shapley_ms": round(shapley_ms, 3),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
