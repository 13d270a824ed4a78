// Writes Minari 0.5.3 Arrow-store datasets with Apache Arrow JS, following Minari's layout
// (minari/dataset/_storages/arrow_storage.py) and nothing of rld's, plus a truth.json per dataset
// holding every value written, for rld's Java reader tests (MinariArrowTest).
//
//   node write_minari_arrow.mjs ROOT   -> ROOT/<dataset_id>/data/{metadata.json,<i>/part-0.arrow,<i>/metadata.json}
//
// Per episode: one IPC *file* with one record batch of N+1 rows. observations: N+1 rows;
// actions, rewards, terminations, truncations: N rows plus one zero/false padding row; Box as
// fixed_size_list<T>[prod(shape)], Discrete as int64, Dict/Tuple as structs (Tuple fields "0",
// "1", …), infos as a struct; uint8 images as JPEG binary (frames encoded and decoded by PIL).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Binary, Bool, Field, FixedSizeList, Float32, Float64, Int64, RecordBatch, Schema, Struct, Table,
  makeData, tableToIPC, vectorFromArray,
} from 'apache-arrow';

const root = process.argv[2];
const f32 = Math.fround;
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const fsl = (n, t) => new FixedSizeList(n, new Field('item', t, true));
const i64 = (xs) => makeData({ type: new Int64(), length: xs.length, nullCount: 0, data: BigInt64Array.from(xs.map(BigInt)) });

function columnData(values, type) {
  if (type instanceof Int64) return i64(values);
  return vectorFromArray(values, type).data[0];
}

function writeDataset(id, obsSpace, actSpace, episodes, extraMeta, columns) {
  const data = join(root, id, 'data');
  mkdirSync(data, { recursive: true });
  const meta = {
    dataset_id: id, data_format: 'arrow', minari_version: '0.5.3',
    observation_space: spaceJson(obsSpace), action_space: spaceJson(actSpace),
    total_episodes: episodes.length, total_steps: episodes.reduce((s, e) => s + e.rewards.length, 0),
    ...extraMeta,
  };
  writeFileSync(join(data, 'metadata.json'), JSON.stringify(meta));
  episodes.forEach((ep, i) => {
    const dir = join(data, String(i));
    mkdirSync(dir, { recursive: true });
    const n = ep.rewards.length;
    const epMeta = { id: i, total_steps: n };
    if (ep.seed !== undefined) epMeta.seed = ep.seed;
    if (ep.options) epMeta.options = ep.options;
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify(epMeta));
    const cols = columns(ep);
    const fields = cols.map(([name, type]) => new Field(name, type, true));
    const children = cols.map(([, type, values]) => columnData(values, type));
    const schema = new Schema(fields);
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n + 1, nullCount: 0, children }));
    writeFileSync(join(dir, 'part-0.arrow'), tableToIPC(new Table(schema, [batch]), 'file'));
  });
  const truth = {
    metadata: meta,
    episodes: episodes.map((ep, i) => ({
      id: i, seed: ep.seed ?? null, options: ep.options ?? {},
      observations: ep.truthObservations ?? ep.observations, actions: ep.actions, rewards: ep.rewards,
      terminations: ep.terminations, truncations: ep.truncations, infos: ep.infos ?? null,
    })),
  };
  writeFileSync(join(root, id, 'truth.json'), JSON.stringify(truth));
}

// Python's json writes bare Infinity tokens, which JSON.stringify cannot: the spaces here hold
// the strings "Infinity" / "-Infinity", unquoted in the text.
const spaceJson = (space) => JSON.stringify(space).replace(/"(-?Infinity)"/g, '$1');

function flags(n, terminated) {
  const term = Array(n).fill(false);
  const trunc = Array(n).fill(false);
  (terminated ? term : trunc)[n - 1] = true;
  return [term, trunc];
}

const pad = (xs, v) => [...xs, v];
const box = (dtype, shape, low, high) => {
  const fill = (v) => (shape.length === 0 ? v : Array(shape[0]).fill(v));
  return { type: 'Box', dtype, shape, low: fill(low), high: fill(high) };
};
const discrete = (n, start = 0) => ({ type: 'Discrete', dtype: 'int64', start, n });

// --- CartPole: Box float32[4], Discrete(2); infos struct on episode 0 -------------------------
const cartpole = [[4, true, 7], [6, false, 8]].map(([n, terminated, s]) => {
  const [term, trunc] = flags(n, terminated);
  return {
    observations: Array.from({ length: n + 1 }, () => [0, 1, 2, 3].map(() => f32(rand() * 2 - 1))),
    actions: Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1)),
    rewards: Array.from({ length: n }, (_, t) => 1 + t / 4), terminations: term, truncations: trunc, seed: s,
  };
});
cartpole[0].options = { level: 'hard' };
cartpole[0].infos = Array.from({ length: 5 }, (_, t) => ({ step: t, speed: t * 0.5, nested: { flag: t % 2 === 0 } }));
const cartObs = {
  type: 'Box', dtype: 'float32', shape: [4],
  low: [-4.800000190734863, '-Infinity', -0.41887903213500977, '-Infinity'],
  high: [4.800000190734863, 'Infinity', 0.41887903213500977, 'Infinity'],
};
const infoType = new Struct([
  new Field('step', new Int64(), true), new Field('speed', new Float64(), true),
  new Field('nested', new Struct([new Field('flag', new Bool(), true)]), true),
]);
const scalarColumns = (ep) => [
  ['rewards', new Float64(), pad(ep.rewards, 0)],
  ['terminations', new Bool(), pad(ep.terminations, false)],
  ['truncations', new Bool(), pad(ep.truncations, false)],
];
writeDataset('arrow/cartpole-v0', cartObs, discrete(2), cartpole,
  { algorithm_name: 'DQN', author: ['Grace'], ref_min_score: 10, ref_max_score: 500.5, description: 'Arrow CartPole',
    env_spec: JSON.stringify({ id: 'CartPole-v1' }) },
  (ep) => {
    const cols = [
      ['observations', fsl(4, new Float32()), ep.observations],
      ['actions', new Int64(), pad(ep.actions, 0)],
      ...scalarColumns(ep),
    ];
    if (ep.infos) {
      cols.push(['infos', infoType, ep.infos.map((x) => ({ step: BigInt(x.step), speed: x.speed, nested: x.nested }))]);
    }
    return cols;
  });

// --- Dict observations {goal: Discrete(4, start 1), position: Box float64[2]}, Tuple actions --
const dictEps = [3, 2].map((n) => {
  const [term, trunc] = flags(n, n === 3);
  return {
    observations: Array.from({ length: n + 1 }, () => ({ goal: 1 + Math.floor(rand() * 4), position: [rand() * 4 - 2, rand() * 4 - 2] })),
    actions: Array.from({ length: n }, () => [Math.floor(rand() * 3), [f32(rand() - 0.5), f32(rand() - 0.5)]]),
    rewards: Array.from({ length: n }, () => rand()), terminations: term, truncations: trunc, seed: 50 + n,
  };
});
const obsType = new Struct([new Field('goal', new Int64(), true), new Field('position', fsl(2, new Float64()), true)]);
const actType = new Struct([new Field('0', new Int64(), true), new Field('1', fsl(2, new Float32()), true)]);
writeDataset('arrow/dict-v0',
  { type: 'Dict', subspaces: { goal: discrete(4, 1), position: box('float64', [2], -10.0, 10.0) } },
  { type: 'Tuple', subspaces: [discrete(3), box('float32', [2], -1.0, 1.0)] }, dictEps, {},
  (ep) => [
    ['observations', obsType, ep.observations.map((o) => ({ goal: BigInt(o.goal), position: o.position }))],
    ['actions', actType, pad(ep.actions, [0, [0, 0]]).map(([a, b]) => ({ 0: BigInt(a), 1: b }))],
    ...scalarColumns(ep),
  ]);

// --- JPEG images: uint8 (32, 32, 3), encoded and decoded by PIL as Minari does ----------------
const pil = `
import io, json, sys
import numpy as np
from PIL import Image
out = []
for t in range(int(sys.argv[1])):
    yy, xx = np.mgrid[0:32, 0:32]
    frame = np.stack([(xx * 8 + t * 30) % 256, yy * 8, (xx + yy) * 4 + t * 50], -1).astype(np.uint8)
    buf = io.BytesIO(); Image.fromarray(frame).save(buf, format="JPEG")
    out.append({"jpeg": list(buf.getvalue()), "pixels": np.array(Image.open(io.BytesIO(buf.getvalue()))).tolist()})
print(json.dumps(out))
`;
const python = process.env.MINARI_FIXTURE_PYTHON || 'python3';
const imageEps = [3].map((n) => {
  const frames = JSON.parse(execFileSync(python, ['-c', pil, String(n + 1)], { maxBuffer: 1 << 28 }).toString());
  const [term, trunc] = flags(n, true);
  return {
    observations: frames.map((f) => Uint8Array.from(f.jpeg)), truthObservations: frames.map((f) => f.pixels),
    actions: Array.from({ length: n }, (_, t) => t % 2), rewards: Array(n).fill(1), terminations: term, truncations: trunc, seed: 3,
  };
});
const imageBox = { type: 'Box', dtype: 'uint8', shape: [32, 32, 3],
  low: Array(32).fill(Array(32).fill([0, 0, 0])), high: Array(32).fill(Array(32).fill([255, 255, 255])) };
writeDataset('arrow/pixels-v0', imageBox, discrete(2), imageEps, {},
  (ep) => [['observations', new Binary(), ep.observations], ['actions', new Int64(), pad(ep.actions, 0)], ...scalarColumns(ep)]);
console.log('wrote', root);
