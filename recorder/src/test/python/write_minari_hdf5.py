#!/usr/bin/env python3
"""Writes Minari 0.5.3-layout HDF5 datasets with h5py (independently of rld's code), and next to
each dataset a truth.json holding every value written, for rld's Java reader tests.

Usage: write_minari_hdf5.py ROOT  -> ROOT/<dataset_id>/data/{metadata.json,main_data.hdf5}
                                     ROOT/<dataset_id>/truth.json
Layout (minari/dataset/_storages/hdf5_storage.py): group episode_{i} per episode with attrs id,
total_steps, seed, options/<k>; datasets observations (N+1), actions, rewards, terminations,
truncations (N); Dict spaces as subgroups, Tuple as _index_k; infos as a group; uint8 images as
JPEG bytes (2-D uint8 when all frames have one length, vlen uint8 otherwise).
"""
import io
import json
import os
import sys

import h5py
import numpy as np
from PIL import Image

ROOT = sys.argv[1]


def box(dtype, shape, low, high):
    return {"type": "Box", "dtype": dtype, "shape": list(shape),
            "low": np.full(shape, low, dtype=dtype).tolist(), "high": np.full(shape, high, dtype=dtype).tolist()}


def discrete(n, start=0):
    return {"type": "Discrete", "dtype": "int64", "start": start, "n": n}


def write_leaf(group, name, data):
    group.create_dataset(name, data=data, chunks=True, maxshape=(None,) + data.shape[1:])


def write_value(group, name, data):
    """A dict of arrays -> subgroup; a tuple -> _index_k subgroup; an array -> dataset."""
    if isinstance(data, dict):
        sub = group.create_group(name)
        for k, v in data.items():
            write_value(sub, k, v)
    elif isinstance(data, tuple):
        sub = group.create_group(name)
        for i, v in enumerate(data):
            write_value(sub, f"_index_{i}", v)
    else:
        write_leaf(group, name, data)


def jsonable(data, row):
    if isinstance(data, dict):
        return {k: jsonable(v, row) for k, v in data.items()}
    if isinstance(data, tuple):
        return [jsonable(v, row) for v in data]
    return data[row].tolist()


def write_dataset(dataset_id, obs_space, act_space, episodes, extra_meta):
    base = os.path.join(ROOT, dataset_id)
    os.makedirs(os.path.join(base, "data"), exist_ok=True)
    meta = {"dataset_id": dataset_id, "data_format": "hdf5", "minari_version": "0.5.3",
            "observation_space": json.dumps(obs_space), "action_space": json.dumps(act_space),
            "total_episodes": len(episodes), "total_steps": sum(len(e["rewards"]) for e in episodes)}
    meta.update(extra_meta)
    with open(os.path.join(base, "data", "metadata.json"), "w") as f:
        json.dump(meta, f)
    truth = {"metadata": meta, "episodes": []}
    with h5py.File(os.path.join(base, "data", "main_data.hdf5"), "w", track_order=True) as h5:
        for i, ep in enumerate(episodes):
            g = h5.create_group(f"episode_{i}")
            n = len(ep["rewards"])
            g.attrs["id"] = i
            g.attrs["total_steps"] = n
            if ep.get("seed") is not None:
                g.attrs["seed"] = ep["seed"]
            for k, v in ep.get("options", {}).items():
                g.attrs[f"options/{k}"] = v
            obs = ep["observations"]
            write_value(g, "observations", ep.get("stored_observations", obs))
            write_value(g, "actions", ep["actions"])
            write_leaf(g, "rewards", ep["rewards"])
            write_leaf(g, "terminations", ep["terminations"])
            write_leaf(g, "truncations", ep["truncations"])
            if "infos" in ep:
                write_value(g, "infos", ep["infos"])
            truth["episodes"].append({
                "id": i, "seed": ep.get("seed"), "options": ep.get("options", {}),
                "observations": [jsonable(obs, t) for t in range(n + 1)],
                "actions": [jsonable(ep["actions"], t) for t in range(n)],
                "rewards": [float(r) for r in ep["rewards"]],
                "terminations": ep["terminations"].tolist(), "truncations": ep["truncations"].tolist(),
                "infos": [jsonable(ep["infos"], t) for t in range(n + 1)] if ep.get("infos") else None})
    with open(os.path.join(base, "truth.json"), "w") as f:
        json.dump(truth, f)


rng = np.random.default_rng(7)


def flags(n, terminated):
    term = np.zeros(n, dtype=bool)
    trunc = np.zeros(n, dtype=bool)
    (term if terminated else trunc)[-1] = True
    return term, trunc


# CartPole: Box float32[4] observations, Discrete(2) actions; rewards of three numeric dtypes.
cartpole = []
for n, terminated, seed, rdtype in [(5, True, 42, np.float64), (3, False, 2**64 - 1, np.float32), (7, True, None, np.int64)]:
    term, trunc = flags(n, terminated)
    ep = {"observations": rng.normal(size=(n + 1, 4)).astype(np.float32),
          "actions": rng.integers(0, 2, size=n).astype(np.int64),
          "rewards": np.arange(1, n + 1).astype(rdtype), "terminations": term, "truncations": trunc, "seed": seed}
    cartpole.append(ep)
cartpole[0]["options"] = {"difficulty": 2}
cartpole[0]["infos"] = {"x": rng.normal(size=6), "nested": {"y": np.arange(6, dtype=np.int64)}}
cartpole[1]["infos"] = {}
obs_space = box("float32", (4,), 0, 0)
obs_space["low"] = np.array([-4.8, -np.inf, -0.41887903, -np.inf], dtype=np.float32).tolist()
obs_space["high"] = np.array([4.8, np.inf, 0.41887903, np.inf], dtype=np.float32).tolist()
write_dataset("cartpole/expert-v0", obs_space, discrete(2), cartpole,
              {"env_spec": json.dumps({"id": "CartPole-v1", "entry_point": "gymnasium.envs.classic_control:CartPoleEnv"}),
               "author": ["Ada"], "author_email": ["ada@example.org"], "algorithm_name": "PPO",
               "code_permalink": "https://example.org/code", "description": "expert CartPole",
               "ref_min_score": 9.0, "ref_max_score": 500.0, "num_episodes_average_score": 100})

# Dict observations (Discrete goal, float64 position) and Tuple actions (Discrete, Box float32[2]).
dict_eps = []
for n in (4, 2):
    term, trunc = flags(n, n == 4)
    dict_eps.append({
        "observations": {"goal": rng.integers(1, 5, size=n + 1).astype(np.int64),
                         "position": rng.normal(size=(n + 1, 2))},
        "actions": (rng.integers(0, 3, size=n).astype(np.int64), rng.uniform(-1, 1, size=(n, 2)).astype(np.float32)),
        "rewards": rng.normal(size=n), "terminations": term, "truncations": trunc, "seed": 100 + n})
write_dataset("point/dict-v1",
              {"type": "Dict", "subspaces": {"goal": discrete(4, 1), "position": box("float64", (2,), -10.0, 10.0)}},
              {"type": "Tuple", "subspaces": [discrete(3), box("float32", (2,), -1.0, 1.0)]}, dict_eps, {})


# Images: uint8 (32, 32, 3), JPEG-encoded by PIL as Minari 0.5.3 does; truth = PIL's decoded pixels.
def jpeg(frame):
    buf = io.BytesIO()
    Image.fromarray(frame).save(buf, format="JPEG")
    return np.frombuffer(buf.getvalue(), dtype=np.uint8)


image_eps = []
for e, n in enumerate((3, 2)):
    if e == 0:  # identical frames: one byte length, stored as a plain 2-D uint8 dataset
        frames = np.repeat(rng.integers(0, 256, size=(1, 32, 32, 3), dtype=np.uint8), n + 1, axis=0)
    else:  # smooth gradients of different contents: different lengths, stored as vlen uint8
        yy, xx = np.mgrid[0:32, 0:32]
        frames = np.stack([np.stack([(xx * 8 + t * 40) % 256, yy * 8, (xx + yy) * 4 + t * 60], -1)
                           for t in range(n + 1)]).astype(np.uint8)
    blobs = [jpeg(f) for f in frames]
    if len({len(b) for b in blobs}) == 1:
        stored = np.stack(blobs)
    else:
        stored = np.empty(len(blobs), dtype=object)
        stored[:] = blobs
    decoded = np.stack([np.array(Image.open(io.BytesIO(b.tobytes()))) for b in blobs])
    term, trunc = flags(n, True)
    image_eps.append({"observations": decoded, "stored_observations": stored,
                      "actions": rng.integers(0, 2, size=n).astype(np.int64),
                      "rewards": np.ones(n), "terminations": term, "truncations": trunc, "seed": e})


def write_image_leaf(group, name, data):
    if data.dtype == object:
        group.create_dataset(name, data=data, dtype=h5py.vlen_dtype(np.uint8), chunks=True)
    else:
        group.create_dataset(name, data=data, chunks=True)


write_leaf_plain = write_leaf


def write_leaf(group, name, data):  # noqa: F811 - JPEG blobs have no maxshape in Minari
    if name == "observations" and (data.dtype == object or data.ndim == 2 and data.dtype == np.uint8):
        write_image_leaf(group, name, data)
    else:
        write_leaf_plain(group, name, data)


write_dataset("pixels/jpeg-v0", box("uint8", (32, 32, 3), 0, 255), discrete(2), image_eps, {})
print("wrote", ROOT)
