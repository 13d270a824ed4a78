#!/usr/bin/python3
"""Reference attributions for the CartPole policy, computed independently of the Java code.

Implements docs/attributions.md (ablation; Shapley values exactly, by enumerating the 2^m
coalitions, and by sampling SplitMix64-seeded permutations, plain or antithetic, with standard
errors; the efficiency gap; targets, zero/mean baselines, Captum's normalisation) in batched
PyTorch, with the network rebuilt from the weights stored in cartpole_mlp.onnx, and writes
reference_attributions.json for the Java tests to compare with (to 1e-5).

JSON layout of an entry of "attributions" (README.md has the whole file):
  method          "ablation" | "shapley"
  estimator       shapley: "exact" | "sampled"; ablation: null
  sampling        sampled: "plain" | "antithetic"; otherwise null
  baseline        "zero" | "mean";  output "probability" | "logit" (null for target=value)
  target          "all" | "picked" | "top-1" | "value"
  permutations, seed   sampled: P and s; otherwise null
  units           sampled: n (plain P, antithetic ceil(P/2)); otherwise null
  baseline_outputs     f(b) for every action (target=value: [V(b)])
  episodes        [{episode, steps: [{step, targets: [{action, value, raw, gap, stderr}]}]}]
                  action: absent for target=value; value: f(x); raw: the m attributions;
                  gap: sum(raw) - (value - f(b)); stderr: sampled only, m standard errors
                  (null when units = 1)
  normalized      null, or per mode the same episodes with `values` in place of raw/gap

Precision: the model's forward pass is float32 (inputs, weights and logits, like ONNX Runtime);
everything after it is float64: the softmax of the float32 logits, the differences f(x) - f(z),
the Shapley sums and means, the mean baseline (accumulated in float64 over the float32
observations; the model is fed its float32 rounding) and the normalisation.

Also writes reference_value_attributions.json: target=value (f = V(x)) for the actor-critic
cartpole_ac.onnx (made by train_critic.py), same entry layout with "target": "value".

    /usr/bin/python3 reference.py [--out reference_attributions.json]
                                  [--value-out reference_value_attributions.json] [--no-value]

Fails loudly (non-zero exit) when a self-check does not hold.
"""
import argparse
import itertools
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
import torch

import onnx_mlp

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_FILE = "cartpole_mlp.onnx"
AC_MODEL_FILE = "cartpole_ac.onnx"   # actor-critic: outputs `logits` and `value`
RECORDING_FILE = "recording.json"
FEATURES = ["cart position", "cart velocity", "pole angle", "pole angular velocity"]
MAX_ROWS_PER_CALL = 65536
MASK64 = (1 << 64) - 1


def setup_torch():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


# ---------------------------------------------------------------------------------------------
# Permutations: SplitMix64 seeded with s + t, Fisher-Yates from the identity for each of P.

def splitmix64(state):
    """One SplitMix64 step: returns (new state, output), both unsigned 64-bit Python ints."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def permutations(seed, step, count, m):
    """The `count` permutations of range(m) used for row `step` of an episode with seed `seed`."""
    state = (seed + step) & MASK64  # the 64-bit two's complement of seed + step
    perms = []
    for _ in range(count):
        perm = list(range(m))
        for i in range(m - 1, 0, -1):
            state, z = splitmix64(state)
            j = z % (i + 1)  # z is already unsigned
            perm[i], perm[j] = perm[j], perm[i]
        perms.append(perm)
    return perms


# ---------------------------------------------------------------------------------------------
# The model and the scalar outputs f.

class Policy:
    """f evaluated in batches: forward(X) gives float64 logits of the model applied to X."""

    def __init__(self, module, dtype=torch.float32):
        self.module = module
        self.dtype = dtype
        self.calls = 0

    def logits(self, X):
        """X: float64 or float32 array [n, d]; rows are cast to the model's dtype first."""
        X = torch.as_tensor(np.asarray(X)).to(self.dtype)
        out = []
        with torch.no_grad():
            for start in range(0, len(X), MAX_ROWS_PER_CALL):
                out.append(self.module(X[start:start + MAX_ROWS_PER_CALL]))
                self.calls += 1
        return torch.cat(out).to(torch.float64).numpy()


def outputs_of(logits, output):
    """f for every action: float64 softmax of the logits (`probability`) or the logits."""
    logits = np.asarray(logits, dtype=np.float64)
    if output == "logit":
        return logits
    if output == "probability":
        t = torch.from_numpy(logits)
        return torch.softmax(t, dim=-1).numpy()
    if output is None:  # target=value: f is the model's (value) output itself
        return logits
    raise ValueError(output)


# ---------------------------------------------------------------------------------------------
# Methods, batched over many steps at once. x: [n, d] observations, b: [d] baseline (float32
# values), groups: list of index lists (the features). Results: attr[n, m, A] for every action.

def ablation(policy, x, b, groups, output):
    n, d = x.shape
    m = len(groups)
    Z = np.repeat(x[:, None, :], m + 1, axis=1)  # row 0: x; row 1 + g: x[G_g <- b]
    for g, G in enumerate(groups):
        Z[:, 1 + g, G] = b[G]
    F = outputs_of(policy.logits(Z.reshape(-1, d)), output).reshape(n, m + 1, -1)
    return F[:, :1, :] - F[:, 1:, :]


def shapley(policy, x, b, groups, output, perms):
    """perms[k]: the list of P permutations for row k of x. Returns (attr, per-permutation
    contributions [n, P, m, A], f of the first z = b per permutation, f of the last z = x)."""
    n, d = x.shape
    m = len(groups)
    P = len(perms[0])
    Z = np.empty((n, P, m + 1, d), dtype=x.dtype)
    for k in range(n):
        for p, perm in enumerate(perms[k]):
            z = b.copy()
            Z[k, p, 0] = z
            for pos, g in enumerate(perm):
                z[groups[g]] = x[k, groups[g]]
                Z[k, p, pos + 1] = z
    F = outputs_of(policy.logits(Z.reshape(-1, d)), output).reshape(n, P, m + 1, -1)
    contrib = np.zeros((n, P, m, F.shape[-1]))
    for k in range(n):
        for p, perm in enumerate(perms[k]):
            for pos, g in enumerate(perm):
                contrib[k, p, g] = F[k, p, pos + 1] - F[k, p, pos]  # cur - prev
    attr = np.zeros((n, m, F.shape[-1]))
    for p in range(P):  # attr_g += ... in permutation order, then / P
        attr += contrib[:, p]
    return attr / P, contrib, F[:, :, 0], F[:, :, m]


def shapley_weights(m):
    """w[s] = s! (m - s - 1)! / m! for s = 0 .. m-1, as float64 (exact rationals rounded once)."""
    return np.array([float(Fraction(math.factorial(s) * math.factorial(m - s - 1), math.factorial(m)))
                     for s in range(m)])


def coalition_rows(x, b, groups):
    """Z[k, S] = z_S for row k: b with the features in bitmask S (bit g for feature g, i.e.
    sum over g in S of 2^(g-1) with features numbered from 1) set to their values in x[k]."""
    n, d = x.shape
    m = len(groups)
    Z = np.empty((n, 1 << m, d), dtype=x.dtype)
    Z[:] = b
    for S in range(1 << m):
        for g in range(m):
            if S >> g & 1:
                Z[:, S, groups[g]] = x[:, groups[g]]
    return Z


def exact_shapley_from(F, m):
    """F[k, S, A]: f at every coalition (float64). Returns phi[k, m, A] by the weighted sum of
    docs/attributions.md, combined in float64."""
    w = shapley_weights(m)
    masks = np.arange(1 << m)
    size = np.array([bin(S).count("1") for S in masks])
    phi = np.zeros((F.shape[0], m, F.shape[2]))
    for g in range(m):
        without = masks[(masks >> g & 1) == 0]  # coalitions S not containing g, ascending
        diff = F[:, without | (1 << g)] - F[:, without]
        phi[:, g] = (diff * w[size[without]][None, :, None]).sum(axis=1)
    return phi


def exact_shapley(policy, x, b, groups, output):
    """Exact Shapley values by enumerating the 2^m coalitions (one float32 forward pass per
    coalition, all in one batch). Returns (phi[n, m, A], f(b) and f(x) from the enumeration)."""
    n, d = x.shape
    m = len(groups)
    Z = coalition_rows(x, b, groups)
    F = outputs_of(policy.logits(Z.reshape(-1, d)), output).reshape(n, 1 << m, -1)
    return exact_shapley_from(F, m), F[:, 0], F[:, (1 << m) - 1]


def passes_for(seed, step, P, m, sampling):
    """The permutation passes of one step: plain, P permutations; antithetic, K = ceil(P / 2)
    permutations (the first K of plain's) each followed by its reverse."""
    if sampling == "plain":
        return permutations(seed, step, P, m)
    if sampling == "antithetic":
        out = []
        for perm in permutations(seed, step, (P + 1) // 2, m):
            out += [perm, perm[::-1]]
        return out
    raise ValueError(sampling)


def sampled_shapley(policy, x, b, groups, output, passes, sampling):
    """Shapley value sampling over the given passes (passes[k]: the list for row k).
    Returns (estimate[n, m, A], stderr[n, m, A] or None when n_units = 1, contributions
    [n, passes, m, A], f of the first z per pass, f of the last z per pass, n_units)."""
    _, contrib, f_first, f_last = shapley(policy, x, b, groups, output, passes)
    if sampling == "plain":
        units = contrib
    else:
        units = (contrib[:, 0::2] + contrib[:, 1::2]) / 2  # the mean of each pair
    n_units = units.shape[1]
    est = np.zeros(units.shape[:1] + units.shape[2:])
    for k in range(n_units):  # summed in order, then divided by n
        est += units[:, k]
    est = est / n_units
    stderr = None
    if n_units > 1:
        stderr = units.std(axis=1, ddof=1) / math.sqrt(n_units)
    return est, stderr, contrib, f_first, f_last, n_units


# ---------------------------------------------------------------------------------------------
# Targets and normalisation.

def targets_for(kind, probabilities, action):
    """The target actions of one row: `all`, `picked` (action None on final rows) or `top-K`."""
    A = len(probabilities)
    if kind == "all":
        return list(range(A))
    if kind == "picked":
        return [] if action is None else [int(action)]
    if kind.startswith("top-"):
        k = int(kind[4:])
        return sorted(range(A), key=lambda a: (-probabilities[a], a))[:k]
    raise ValueError(kind)


def tau(u, q):
    """Captum's cumulative-sum threshold as docs/attributions.md states it."""
    s = np.sort(np.asarray(u, dtype=np.float64))
    c = np.cumsum(s)
    reach = c[-1] * (100 - q) / 100
    return s[np.nonzero(c >= reach)[0][0]]


def normalise(a, mode, q):
    a = np.asarray(a, dtype=np.float64)
    if mode == "all":
        v, T = a, tau(np.abs(a), q)
    elif mode == "positive":
        v = np.maximum(a, 0.0)
        T = tau(v, q)
    elif mode == "negative":
        v = np.minimum(a, 0.0)
        T = -tau(np.abs(v), q)
    elif mode == "absolute":
        v = np.abs(a)
        T = tau(v, q)
    else:
        raise ValueError(mode)
    if T == 0:
        return np.zeros_like(v)
    return np.clip(v / T, -1.0, 1.0)


# ---------------------------------------------------------------------------------------------
# Self-checks.

class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def check_splitmix64():
    # The SplitMix64 test vector for seed 1234567 (Rosetta Code's "Pseudo-random numbers/
    # Splitmix64"); java.util.SplittableRandom(seed).nextLong() gives the same sequence.
    state, outs = 1234567, []
    for _ in range(5):
        state, z = splitmix64(state)
        outs.append(z)
    check(outs == [6457827717110365317, 3203168211198807973, 9817491932198370423,
                   4593380528125082431, 16408922859458223821], f"SplitMix64 outputs {outs}")
    check(splitmix64(0)[1] == 0xE220A8397B1DCDAF, "SplitMix64 from 0")
    # Negative seeds: s + t as 64-bit two's complement.
    check(permutations(-1, 0, 3, 4) == permutations(MASK64, 0, 3, 4), "two's complement seed")
    for perm in permutations(12345, 7, 50, 6):
        check(sorted(perm) == list(range(6)), f"not a permutation: {perm}")


def check_forward(net, model, X):
    with torch.no_grad():
        t = net(torch.from_numpy(X)).numpy()
    ref = onnx_mlp.numpy_forward(model, X)
    err = float(np.max(np.abs(t.astype(np.float64) - ref.astype(np.float64))))
    check(t.dtype == np.float32 and ref.dtype == np.float32 and t.shape == ref.shape,
          "forward dtypes/shapes")
    check(err < 1e-5, f"torch forward differs from the ONNX graph evaluated in numpy by {err}")
    return err


def check_linear(groups):
    """Ablation and Shapley of a linear model's logit equal w . (x - b) per feature."""
    rng = np.random.default_rng(1)
    linear = torch.nn.Linear(4, 2).double()
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(rng.normal(size=(2, 4))))
        linear.bias.copy_(torch.from_numpy(rng.normal(size=2)))
    policy = Policy(linear, dtype=torch.float64)
    w = linear.weight.detach().numpy()
    x = rng.normal(size=(7, 4))
    worst = 0.0
    for b in (np.zeros(4), rng.normal(size=4)):
        expected = np.stack([np.stack([(w[:, G] * (x[k, G] - b[G])).sum(axis=1) for G in groups])
                             for k in range(len(x))])
        got = ablation(policy, x, b, groups, "logit")
        err = float(np.max(np.abs(got - expected)))
        check(err < 1e-12, f"ablation of a linear model differs from w.(x-b) by {err}")
        worst = max(worst, err)
        perms = [permutations(3, k, 5, len(groups)) for k in range(len(x))]
        got = shapley(policy, x, b, groups, "logit", perms)[0]
        err = float(np.max(np.abs(got - expected)))
        check(err < 1e-12, f"Shapley of a linear model differs from w.(x-b) by {err}")
        worst = max(worst, err)
        got = exact_shapley(policy, x, b, groups, "logit")[0]
        err = float(np.max(np.abs(got - expected)))
        check(err < 1e-12, f"exact Shapley of a linear model differs from w.(x-b) by {err}")
        worst = max(worst, err)
    return worst


class Pairwise(torch.nn.Module):
    """A toy model with only pairwise interactions: f(x) = a.x + sum_{i<j} B_ij x_i x_j + c
    plus a product of two tanh's of single features (still pairwise), float64."""

    def __init__(self, m, rng):
        super().__init__()
        self.a = torch.from_numpy(rng.normal(size=m))
        self.B = torch.from_numpy(np.triu(rng.normal(size=(m, m)), 1))
        self.c = float(rng.normal())

    def forward(self, x):
        quad = torch.einsum("ni,ij,nj->n", x, self.B, x)
        return (x @ self.a + quad + self.c + torch.tanh(x[:, 0]) * torch.tanh(2 * x[:, 3]))[:, None]


def check_pairwise():
    """For a model with only pairwise interactions, antithetic sampling with P = 2 (one
    permutation and its reverse) equals exact Shapley; and the gap of both is 0."""
    rng = np.random.default_rng(2)
    m = 6
    policy = Policy(Pairwise(m, rng), dtype=torch.float64)
    groups = [[i] for i in range(m)]
    x = rng.uniform(-1, 1, size=(9, m))
    worst = 0.0
    for b in (np.zeros(m), rng.uniform(-1, 1, size=m)):
        exact, f_b, f_x = exact_shapley(policy, x, b, groups, None)
        gap = exact.sum(axis=1) - (f_x - f_b)
        check(np.abs(gap).max() < 1e-9, f"exact Shapley of the pairwise model: gap {np.abs(gap).max()}")
        for P in (2, 7):
            passes = [passes_for(5, k, P, m, "antithetic") for k in range(len(x))]
            est = sampled_shapley(policy, x, b, groups, None, passes, "antithetic")[0]
            err = float(np.max(np.abs(est - exact)))
            check(err < 1e-9, f"antithetic P={P} differs from exact on a pairwise model by {err}")
            worst = max(worst, err)
        # plain sampling with one permutation is not exact here (a control for the check)
        passes = [passes_for(5, k, 1, m, "plain") for k in range(len(x))]
        est = sampled_shapley(policy, x, b, groups, None, passes, "plain")[0]
        check(np.abs(est - exact).max() > 1e-3, "plain P=1 unexpectedly exact on a pairwise model")
    return worst


def check_exact_against_all_permutations(policy, x, b, groups, output):
    """Exact Shapley equals the mean marginal contribution over all m! permutations (the
    definition of the Shapley value, independent of the coalition weights)."""
    m = len(groups)
    every = [list(p) for p in itertools.permutations(range(m))]
    mean = shapley(policy, x, b, groups, output, [every] * len(x))[0]
    exact = exact_shapley(policy, x, b, groups, output)[0]
    err = float(np.max(np.abs(mean - exact)))
    check(err < 1e-12, f"exact Shapley differs from the mean over all {len(every)} permutations "
                       f"by {err}")
    return err


def check_normalise():
    # Hand-worked cases of the table in docs/attributions.md (q = 2).
    a = np.array([0.5, -1.0, 2.0, 0.0])
    # all: |a| sorted 0, .5, 1, 2; sums 0, .5, 1.5, 3.5; reach 3.43 -> T = 2.
    check(np.allclose(normalise(a, "all", 2), [0.25, -0.5, 1.0, 0.0]), "normalise all")
    check(np.allclose(normalise(a, "positive", 2), [0.25, 0.0, 1.0, 0.0]), "normalise positive")
    # negative: v = 0, -1, 0, 0; T = -1; v / T = 0, 1, 0, 0.
    check(np.allclose(normalise(a, "negative", 2), [0.0, 1.0, 0.0, 0.0]), "normalise negative")
    check(np.allclose(normalise(a, "absolute", 2), [0.25, 0.5, 1.0, 0.0]), "normalise absolute")
    check(np.all(normalise(np.zeros(4), "all", 2) == 0), "normalise zeros")
    # 100 ones and one 10: the sums reach 0.98 * 110 = 107.8 only at the 10, so T = 10; with
    # q = 10 they reach 99 at the 99th one, so T = 1 and the outlier 10 is clipped to 1.
    u = np.array([1.0] * 100 + [10.0])
    check(normalise(u, "all", 2)[-1] == 1.0 and normalise(u, "all", 2)[0] == 0.1, "q = 2")
    check(np.all(normalise(u, "all", 10) == 1.0), "q = 10")


# ---------------------------------------------------------------------------------------------

def fnum(v):
    """A JSON number: float64 value, -0.0 written as 0.0."""
    return float(v) + 0.0


def config(method, baseline, output, target, estimator=None, sampling=None, P=None, seed=None):
    return {"method": method, "estimator": estimator, "sampling": sampling, "baseline": baseline,
            "output": output, "target": target, "permutations": P, "seed": seed}


def compute_entry(cfg, policy, episodes, baselines, groups, stats, normalised=False, Q=2):
    """One entry of "attributions": cfg's method on every row of every episode, with the gap
    (and the standard errors for sampling) per step and target. Runs the self-checks that
    hold for every entry (Shapley efficiency) and records the worst figures in `stats`."""
    method, base, output, target = cfg["method"], cfg["baseline"], cfg["output"], cfg["target"]
    m = len(groups)
    b = baselines[base]
    fb = outputs_of(policy.logits(b[None, :]), output)[0]
    what = f"{method}/{cfg['estimator']}/{cfg['sampling']}/P={cfg['permutations']}/{base}/{output}"
    out_eps = []
    norm_eps = {mode: [] for mode in ("all", "positive", "negative", "absolute")}
    n_units = None
    for e in episodes:
        x = e["obs"]
        fx = outputs_of(e["logits"], output)
        stderr = None
        if method == "ablation":
            attr = ablation(policy, x, b, groups, output)
        elif cfg["estimator"] == "exact":
            attr, f_empty, f_full = exact_shapley(policy, x, b, groups, output)
            # Efficiency, in float64, against the enumeration's own f(z_F) - f(z_0).
            err = np.abs(attr.sum(axis=1) - (f_full - f_empty)).max()
            stats["exact_efficiency"] = max(stats["exact_efficiency"], float(err))
            check(err < 1e-9, f"exact Shapley misses f(x) - f(b) by {err} ({what})")
            check(np.all(np.abs(f_empty - fb) < 1e-6) and np.all(np.abs(f_full - fx) < 1e-6),
                  f"z_0 is b and z_F is x ({what})")
        else:
            passes = [passes_for(cfg["seed"], t, cfg["permutations"], m, cfg["sampling"])
                      for t in range(len(x))]
            attr, stderr, contrib, f_first, f_last, n_units = sampled_shapley(
                policy, x, b, groups, output, passes, cfg["sampling"])
            # Each pass's contributions sum to f(x) - f(b) ...
            err = np.abs(contrib.sum(axis=2) - (fx[:, None, :] - fb[None, None, :]))
            stats["pass_sum"] = max(stats["pass_sum"], float(err.max()))
            check(err.max() < 1e-6, f"Shapley pass sums miss f(x) - f(b) by {err.max()} ({what})")
            # ... and, exactly up to float64 rounding, to f(last z) - f(first z): the sum
            # telescopes (the 1e-6 above covers the float32 forward of x and b in other
            # batches, which may round differently).
            err = np.abs(contrib.sum(axis=2) - (f_last - f_first))
            check(err.max() < 1e-12, f"Shapley contributions do not telescope ({err.max()})")
            check(np.all(np.abs(f_first - fb) < 1e-6), "first z is b")
            check(np.all(np.abs(f_last - fx[:, None, :]) < 1e-6), "last z is x")
        gap = attr.sum(axis=1) - (fx - fb[None, :])  # [rows, A]
        if method == "shapley":
            stats["shapley_gap"] = max(stats["shapley_gap"], float(np.abs(gap).max()))
            check(np.abs(gap).max() < 1e-6, f"Shapley gap {np.abs(gap).max()} ({what})")
        else:
            stats["ablation_gap"] = max(stats["ablation_gap"], float(np.abs(gap).max()))
        steps = []
        norm_steps = {mode: [] for mode in norm_eps}
        for t in range(len(x)):
            if target == "value":
                tl = [None]
            else:
                action = e["actions"][t] if t < len(e["actions"]) else None
                tl = targets_for(target, e["probs"][t], action)
            objs = []
            for a in tl:
                k = 0 if a is None else a
                o = {} if a is None else {"action": a}
                o["value"] = fnum(fx[t, k])
                o["raw"] = [fnum(v) for v in attr[t, :, k]]
                o["gap"] = fnum(gap[t, k])
                if cfg["estimator"] == "sampled":
                    o["stderr"] = None if stderr is None else [fnum(v) for v in stderr[t, :, k]]
                objs.append(o)
            steps.append({"step": t, "targets": objs})
            if normalised:
                for mode in norm_eps:
                    norm_steps[mode].append({"step": t, "targets": [
                        {"action": a, "value": fnum(fx[t, a]),
                         "values": [fnum(v) for v in normalise(attr[t, :, a], mode, Q)]}
                        for a in tl]})
        out_eps.append({"episode": e["episode"], "steps": steps})
        for mode in norm_eps:
            norm_eps[mode].append({"episode": e["episode"], "steps": norm_steps[mode]})
    entry = dict(cfg)
    entry["units"] = n_units
    entry["baseline_outputs"] = [fnum(v) for v in fb]
    entry["episodes"] = out_eps
    entry["normalized"] = norm_eps if normalised else None
    return entry


def load_episodes():
    with open(os.path.join(HERE, RECORDING_FILE)) as f:
        recording = json.load(f)
    episodes = []
    for e in recording["episodes"]:
        obs = np.array(e["observations"], dtype=np.float32)  # the float32 values of the file
        check(obs.ndim == 2 and obs.shape[1] == 4, "observation rows of 4")
        check(len(e["actions"]) == len(obs) - 1, "N actions for N + 1 observations")
        episodes.append({"episode": e["index"], "obs": obs, "actions": e["actions"]})
    all_obs = np.concatenate([e["obs"] for e in episodes])
    # Baselines: zero, and the mean over every observation row (final rows included).
    mean64 = all_obs.astype(np.float64).mean(axis=0)
    baselines = {"zero": np.zeros(4, dtype=np.float32), "mean": mean64.astype(np.float32)}
    return episodes, all_obs, mean64, baselines


def new_stats():
    return {"exact_efficiency": 0.0, "pass_sum": 0.0, "shapley_gap": 0.0, "ablation_gap": 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(HERE, "reference_attributions.json"))
    parser.add_argument("--value-out",
                        default=os.path.join(HERE, "reference_value_attributions.json"))
    parser.add_argument("--no-value", action="store_true",
                        help="skip reference_value_attributions.json (needs cartpole_ac.onnx)")
    args = parser.parse_args()
    setup_torch()

    net, model = onnx_mlp.load_mlp(os.path.join(HERE, MODEL_FILE))
    episodes, all_obs, mean64, baselines = load_episodes()
    groups = [[i] for i in range(4)]  # default features: one per flat element
    policy = Policy(net)

    check_splitmix64()
    linear_err = check_linear(groups)
    pairwise_err = check_pairwise()
    check_normalise()
    forward_err = check_forward(net, model, all_obs)
    perm_err = max(check_exact_against_all_permutations(policy, all_obs[:8], baselines[base],
                                                        groups, output)
                   for base in ("zero", "mean") for output in ("probability", "logit"))

    # Outputs at every row.
    for e in episodes:
        e["logits"] = policy.logits(e["obs"])
        e["probs"] = outputs_of(e["logits"], "probability")
        check(np.all(np.abs(e["probs"].sum(axis=1) - 1) < 1e-12), "probabilities sum to 1")

    P, SEED, Q = 25, 0, 2
    perms_of = {}
    for e in episodes:
        perms_of[e["episode"]] = [permutations(SEED, t, P, 4) for t in range(len(e["obs"]))]

    # The entries of the first version, in their order (Shapley: plain sampling, P = 25), then
    # exact Shapley and antithetic sampling with P = 25 and P = 8.
    configs = []
    for method in ("ablation", "shapley"):
        for base in ("zero", "mean"):
            for output in ("probability", "logit"):
                if method == "ablation":
                    configs.append(config("ablation", base, output, "all"))
                else:
                    configs.append(config("shapley", base, output, "all", "sampled", "plain", P, SEED))
    configs.append(config("ablation", "zero", "probability", "picked"))
    configs.append(config("ablation", "zero", "probability", "top-1"))
    for base in ("zero", "mean"):
        for output in ("probability", "logit"):
            configs.append(config("shapley", base, output, "all", "exact"))
    for p in (P, 8):
        for base in ("zero", "mean"):
            for output in ("probability", "logit"):
                configs.append(config("shapley", base, output, "all", "sampled", "antithetic", p, SEED))

    stats = new_stats()
    attributions = [compute_entry(c, policy, episodes, baselines, groups, stats,
                                  normalised=(c["method"], c["baseline"], c["output"], c["target"])
                                  == ("ablation", "zero", "probability", "all"), Q=Q)
                    for c in configs]

    ep0 = episodes[0]["episode"]
    result = {
        "model": MODEL_FILE,
        "recording": RECORDING_FILE,
        "features": FEATURES,
        "mean_baseline": [fnum(v) for v in mean64],
        "permutations": {"seed": SEED, "episode": ep0,
                         "steps": {"0": perms_of[ep0][0], "1": perms_of[ep0][1]}},
        "outputs": [{"episode": e["episode"], "steps": [
            {"step": t, "logits": [fnum(v) for v in e["logits"][t]],
             "probabilities": [fnum(v) for v in e["probs"][t]]} for t in range(len(e["obs"]))]}
            for e in episodes],
        "attributions": attributions,
        "precision": "model forward in float32 (torch " + torch.__version__ + ", weights read "
                     "from cartpole_mlp.onnx; inputs are the float32 observations and float32 "
                     "baselines); softmax of the float32 logits, differences, Shapley sums and "
                     "normalisation in float64. mean_baseline is the float64 mean of the float32 "
                     "observations; the model is fed its float32 rounding.",
        "outlier_percentile": Q,
    }
    text = dumps(result)
    with open(args.out, "w") as f:
        f.write(text)
    print(f"wrote {args.out}: {len(text)} bytes; torch vs numpy ONNX forward max |diff| "
          f"{forward_err:.3g}; {policy.calls} forward calls")
    report_checks(stats, linear_err, pairwise_err, perm_err)
    if not args.no_value:
        value_reference(args.value_out, episodes, mean64, baselines, groups)


def value_reference(path, episodes, mean64, baselines, groups):
    """reference_value_attributions.json: target=value (f = V(x), the `value` output of the
    actor-critic cartpole_ac.onnx) with ablation, exact Shapley and antithetic sampling."""
    chains, model = onnx_mlp.load_chains(os.path.join(HERE, AC_MODEL_FILE))
    check(list(chains) == ["logits", "value"], f"outputs of {AC_MODEL_FILE}: {list(chains)}")
    all_obs = np.concatenate([e["obs"] for e in episodes])
    # The actor of the actor-critic is the shipped policy: the same logits, bit for bit.
    check(np.array_equal(Policy(chains["logits"]).logits(all_obs),
                         np.concatenate([e["logits"] for e in episodes])),
          "the actor-critic's logits differ from cartpole_mlp.onnx's")
    # The critic rebuilt in torch against the ONNX graph evaluated in numpy, on the rows and on
    # every coalition of the rows with the zero and mean baselines.
    probe = np.concatenate([coalition_rows(all_obs, baselines[k], groups).reshape(-1, 4)
                            for k in ("zero", "mean")])
    with torch.no_grad():
        t = chains["value"](torch.from_numpy(probe)).numpy().astype(np.float64)
    ref = onnx_mlp.numpy_forward(model, probe, "value").astype(np.float64)
    value_err = float(np.max(np.abs(t - ref)))
    value_rel = float(np.max(np.abs(t - ref) / np.maximum(1.0, np.abs(ref))))
    # float32 sums in another order: a few ulps of the critic's scale (V up to ~100)
    check(value_err < 1e-4, f"torch critic differs from the ONNX graph in numpy by {value_err}")
    policy = Policy(chains["value"])
    vepisodes = []
    for e in episodes:
        v = dict(e)
        v["logits"] = policy.logits(e["obs"])  # [rows, 1]: V(x)
        vepisodes.append(v)
    P, SEED = 25, 0
    configs = [config("ablation", "zero", None, "value"),
               config("shapley", "zero", None, "value", "exact"),
               config("shapley", "mean", None, "value", "exact"),
               config("shapley", "zero", None, "value", "sampled", "antithetic", P, SEED),
               config("shapley", "mean", None, "value", "sampled", "antithetic", P, SEED)]
    stats = new_stats()
    attributions = [compute_entry(c, policy, vepisodes, baselines, groups, stats) for c in configs]
    result = {
        "model": AC_MODEL_FILE,
        "recording": RECORDING_FILE,
        "features": FEATURES,
        "mean_baseline": [fnum(v) for v in mean64],
        "outputs": [{"episode": e["episode"], "steps": [
            {"step": t, "value": fnum(e["logits"][t, 0])} for t in range(len(e["obs"]))]}
            for e in vepisodes],
        "attributions": attributions,
        "precision": "critic forward in float32 (torch " + torch.__version__ + ", weights read "
                     "from cartpole_ac.onnx's `value` output chain); differences, Shapley sums, "
                     "standard errors and gaps in float64. V is about 100 for balanced states, "
                     "where one float32 ulp is 7.6e-6: compare with a tolerance relative to "
                     "max(1, |V|).",
    }
    text = dumps(result)
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path}: {len(text)} bytes; torch vs numpy ONNX critic max |diff| "
          f"{value_err:.3g} (relative to max(1, |V|): {value_rel:.3g}); {policy.calls} forward calls")
    report_checks(stats)


def report_checks(stats, linear_err=None, pairwise_err=None, perm_err=None):
    if linear_err is not None:
        print(f"self-checks: linear model exact/sampled/ablation vs w.(x-b) {linear_err:.3g}; "
              f"pairwise model antithetic (P=2, 7) vs exact {pairwise_err:.3g}; exact vs mean "
              f"over all 24 permutations {perm_err:.3g}")
    print(f"self-checks: exact efficiency (float64) {stats['exact_efficiency']:.3g}; worst "
          f"Shapley pass sum error {stats['pass_sum']:.3g}; worst |gap| Shapley "
          f"{stats['shapley_gap']:.3g}, ablation {stats['ablation_gap']:.3g}")


def dumps(obj, indent=0):
    """JSON with one line per step object and per short list; nested containers indented."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict):
        if "step" in obj or not any(isinstance(v, (dict, list)) for v in obj.values()):
            return json.dumps(obj, allow_nan=False)
        items = [f"{inner}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, dict) for v in obj):
            return json.dumps(obj, allow_nan=False)
        return "[\n" + ",\n".join(inner + dumps(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as e:
        print(f"SELF-CHECK FAILED: {e}", file=sys.stderr)
        sys.exit(1)
