#!/usr/bin/python3
"""Interaction models for rld's Shapley estimator benchmark, with their exact Shapley values.

Two deterministic models, m = 10 and m = 16 inputs, one scalar output per row:

    f(x) = sum_i a_i x_i + sum_{(i,j) in PAIRS} b_ij x_i x_j + sum_{(i,j,k) in TRIPLES} c_ijk x_i x_j x_k
           + tanh(u . x)

with 2m distinct random pairs i < j, m distinct random triples i < j < k, and coefficients
a ~ U[-1, 1], b, c ~ N(0, 0.5^2), u ~ N(0, (2 / sqrt(m))^2), all from numpy default_rng(seed)
(seed 10 for m = 10, 16 for m = 16). The tanh term interacts all features at every order, so
f is not a polynomial. Exported with torch.onnx.export (opset 13) as interactions_<m>.onnx: input
`obs` float32 [batch, m], output `value` float32 [batch, 1], dynamic batch axis.

interactions_exact.json: for each model, 20 observations x ~ U[-1, 1]^m (numpy default_rng(1000 + m),
rounded to float32), baseline zero, f(x), f(b) and the exact Shapley values by enumerating the 2^m
coalitions (float32 forward passes of the torch model, float64 combination with the weights
|S|!(m-|S|-1)!/m!, by models/cartpole/reference.py's exact_shapley_from), and the gap
sum(phi) - (f(x) - f(b)). Self-checks (fail loudly): the gap is below 1e-9; with the tanh term
removed, exact Shapley equals the closed form (a_i x_i + half of each pair term + a third of each
triple term containing i, for b = 0) to 1e-9.

    /usr/bin/python3 make_models.py      # ~10 s
"""
import json
import os
import sys

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cartpole"))
from reference import exact_shapley_from, dumps, fnum  # noqa: E402

SIZES = (10, 16)
OBSERVATIONS = 20
ROWS_PER_CALL = 65536


class Interactions(torch.nn.Module):
    def __init__(self, m, seed, with_tanh=True):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.m = m
        pairs = set()
        while len(pairs) < 2 * m:
            i, j = sorted(rng.choice(m, size=2, replace=False).tolist())
            pairs.add((i, j))
        triples = set()
        while len(triples) < m:
            triples.add(tuple(sorted(rng.choice(m, size=3, replace=False).tolist())))
        self.pairs, self.triples = sorted(pairs), sorted(triples)
        self.a_np = rng.uniform(-1, 1, size=m).astype(np.float32)
        self.b_np = rng.normal(0, 0.5, size=len(self.pairs)).astype(np.float32)
        self.c_np = rng.normal(0, 0.5, size=len(self.triples)).astype(np.float32)
        self.u_np = rng.normal(0, 2 / np.sqrt(m), size=m).astype(np.float32)
        self.with_tanh = with_tanh
        P, T = np.array(self.pairs), np.array(self.triples)
        self.register_buffer("a", torch.from_numpy(self.a_np)[:, None])
        self.register_buffer("b", torch.from_numpy(self.b_np)[:, None])
        self.register_buffer("c", torch.from_numpy(self.c_np)[:, None])
        self.register_buffer("u", torch.from_numpy(self.u_np)[:, None])
        for name, idx in (("pi", P[:, 0]), ("pj", P[:, 1]), ("ti", T[:, 0]), ("tj", T[:, 1]),
                          ("tk", T[:, 2])):
            self.register_buffer(name, torch.from_numpy(idx.astype(np.int64)))

    def forward(self, obs):
        pair = obs.index_select(1, self.pi) * obs.index_select(1, self.pj)
        triple = (obs.index_select(1, self.ti) * obs.index_select(1, self.tj)
                  * obs.index_select(1, self.tk))
        out = obs @ self.a + pair @ self.b + triple @ self.c
        if self.with_tanh:
            out = out + torch.tanh(obs @ self.u)
        return out

    def closed_form_shapley(self, x):
        """Shapley values of the polynomial part for baseline 0: each term's value is shared
        equally among its features."""
        x = x.astype(np.float64)
        phi = x * self.a_np.astype(np.float64)
        for (i, j), b in zip(self.pairs, self.b_np.astype(np.float64)):
            phi[:, i] += b * x[:, i] * x[:, j] / 2
            phi[:, j] += b * x[:, i] * x[:, j] / 2
        for (i, j, k), c in zip(self.triples, self.c_np.astype(np.float64)):
            for g in (i, j, k):
                phi[:, g] += c * x[:, i] * x[:, j] * x[:, k] / 3
        return phi


def forward(module, X, dtype=torch.float32):
    out = []
    with torch.no_grad():
        for start in range(0, len(X), ROWS_PER_CALL):
            out.append(module.to(dtype)(torch.from_numpy(X[start:start + ROWS_PER_CALL]).to(dtype)))
    return torch.cat(out).to(torch.float64).numpy()


def exact(module, x, b, dtype=torch.float32):
    """phi[n, m] by enumeration: one forward pass per coalition (bit g = feature g)."""
    n, m = x.shape
    masks = np.arange(1 << m)
    member = ((masks[:, None] >> np.arange(m)[None, :]) & 1).astype(bool)  # [2^m, m]
    phi, f_empty, f_full = [], [], []
    for k in range(n):
        Z = np.where(member, x[k][None, :], b[None, :])
        F = forward(module, Z, dtype)  # [2^m, 1]
        phi.append(exact_shapley_from(F[None], m)[0, :, 0])
        f_empty.append(F[0, 0])
        f_full.append(F[-1, 0])
    return np.array(phi), np.array(f_empty), np.array(f_full)


class CheckFailed(Exception):
    pass


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    models = []
    for m in SIZES:
        module = Interactions(m, seed=m).eval()
        path = os.path.join(HERE, f"interactions_{m}.onnx")
        torch.onnx.export(module, torch.zeros(1, m), path, input_names=["obs"],
                          output_names=["value"],
                          dynamic_axes={"obs": {0: "batch"}, "value": {0: "batch"}},
                          opset_version=13, do_constant_folding=True, export_params=True)
        onnx.checker.check_model(onnx.load(path))
        rng = np.random.default_rng(1000 + m)
        x = rng.uniform(-1, 1, size=(OBSERVATIONS, m)).astype(np.float32)
        b = np.zeros(m, dtype=np.float32)
        phi, f_empty, f_full = exact(module, x, b)
        fx = forward(module, x)[:, 0]
        fb = forward(module, b[None, :])[0, 0]
        gap = phi.sum(axis=1) - (fx - fb)
        if not (np.all(f_full == fx) and np.all(f_empty == fb)):
            raise CheckFailed("f(x), f(b) differ inside and outside the enumeration batch")
        if np.abs(gap).max() >= 1e-9:
            raise CheckFailed(f"m={m}: exact Shapley gap {np.abs(gap).max()}")
        # Closed form for the polynomial part (float64 forward passes, so 1e-9 is meaningful).
        poly = Interactions(m, seed=m, with_tanh=False).eval()
        got = exact(poly, x, b, torch.float64)[0]
        closed_err = float(np.abs(got - poly.closed_form_shapley(x)).max())
        if closed_err >= 1e-9:
            raise CheckFailed(f"m={m}: exact Shapley of the polynomial differs from the closed "
                              f"form by {closed_err}")
        print(f"m={m}: {path}; max |gap| {np.abs(gap).max():.3g}; polynomial part vs closed form "
              f"{closed_err:.3g}; f(x) in [{fx.min():.3f}, {fx.max():.3f}], |phi| max "
              f"{np.abs(phi).max():.3f}")
        models.append({
            "file": f"interactions_{m}.onnx", "m": m, "input": "obs", "output": "value",
            "model_seed": m, "observation_seed": 1000 + m,
            "pairs": [list(p) for p in module.pairs], "triples": [list(t) for t in module.triples],
            "baseline": [0.0] * m, "f_baseline": fnum(fb),
            "observations": [{"index": k, "x": [fnum(v) for v in x[k]], "f_x": fnum(fx[k]),
                              "shapley": [fnum(v) for v in phi[k]], "gap": fnum(gap[k])}
                             for k in range(OBSERVATIONS)]})
    result = {
        "description": "exact Shapley values (baseline zero) of interactions_10.onnx and "
                       "interactions_16.onnx by enumerating all 2^m coalitions",
        "precision": "forward passes in float32 (torch " + torch.__version__ + "), the "
                     "combination in float64; x are float32 values",
        "models": models}
    with open(os.path.join(HERE, "interactions_exact.json"), "w") as f:
        f.write(dumps(result))


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as e:
        print(f"SELF-CHECK FAILED: {e}", file=sys.stderr)
        sys.exit(1)
