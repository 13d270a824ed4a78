// Writes an rld rollout file with Apache Arrow JS, following docs/format.md and nothing else,
// as an outside implementer would. Section numbers below refer to that document.
//
//   node write_from_spec.mjs OUT.arrow EXPECTED.json
//
// OUT.arrow: three episodes (lengths 3 terminated, 5 truncated, 2 terminated) of a made-up
// env with a Box float32 [4] observation (labels, units, infinite bounds) and a Discrete(2)
// action, with infos on some rows and action probabilities on every step, in two record
// batches whose boundary falls inside an episode. Written with Arrow JS's IPC *file* writer,
// which leaves no footer metadata, so there is no rld.index (section 9).
// EXPECTED.json: everything the file holds, for the Java side to compare against.

import { writeFileSync } from 'node:fs';
import {
  Bool, Field, FixedSizeList, Float32, Float64, Int32, RecordBatch, Schema, Struct, Table, Utf8,
  makeData, tableToIPC, vectorFromArray,
} from 'apache-arrow';

const [outPath, expectedPath] = process.argv.slice(2);
if (!outPath || !expectedPath) {
  console.error('usage: node write_from_spec.mjs OUT.arrow EXPECTED.json');
  process.exit(2);
}

const f32 = Math.fround;

// --- Spaces (section 6.1) -------------------------------------------------------------------
const observationSpace = {
  type: 'Box',
  dtype: 'float32',
  shape: [4],
  low: [-10, -5, '-Infinity', -1],
  high: [10, 5, 'Infinity', 1],
  labels: ['position', 'velocity', 'heading', 'fuel'],
  units: ['m', 'm/s', 'rad', ''],
};
const actionSpace = { type: 'Discrete', dtype: 'int64', n: 2, start: 0 };

// Features (section 6.2): a 1-D Box has its labels and units; Discrete(2) has "=0", "=1".
const features = {
  observations: observationSpace.labels.map((label, i) => ({ label, unit: observationSpace.units[i], group: '' })),
  actions: [0, 1].map((v) => ({ label: `=${v}`, unit: '', group: '' })),
};

// --- The episodes (section 3) ---------------------------------------------------------------
// [steps, terminated, truncated]; every episode is complete (ends with its final row).
const plan = [
  [3, true, false],
  [5, false, true],
  [2, true, false],
];

function observation(e, t) {
  // Deterministic, exactly representable as float32, inside the bounds.
  return [
    f32(e * 1.5 + t * 0.25 - 2),
    f32(0.1 * (t + 1) - 0.3 * e),
    f32(1000 * e - 37.5 * t + 0.2),
    f32(1 - 0.125 * t - 0.01 * e),
  ];
}

function info(e, t, steps) {
  if (t === 0) {
    return { reset_seed: 100 + e, name: `episode ${e}` }; // reset's info (row 0)
  }
  if (t === steps) {
    return { final: true, path: [e, t], nested: { 'ü': 'ünïcödé' } };
  }
  return t % 2 === 0 ? { t, score: t / 3 } : null; // null: an empty info (section 4)
}

const rows = []; // one entry per Arrow row, in file order
const episodes = [];
plan.forEach(([steps, terminated, truncated], e) => {
  const first = rows.length;
  let ret = 0;
  for (let t = 0; t <= steps; t++) {
    const final = t === steps;
    const row = {
      episode_index: e,
      step: t,
      episode_id: e, // consecutive episodes get different ids (section 8)
      observation: observation(e, t),
      info: info(e, t, steps),
      action: null,
      reward: null,
      terminated: null,
      truncated: null,
      action_probabilities: null,
    };
    if (!final) {
      const p = f32(0.125 + 0.0625 * ((e + t) % 7));
      row.action = (e + t) % 2;
      row.reward = (t + 1) / 3 - 0.1 * e; // float64, not exactly binary
      row.terminated = terminated && t === steps - 1;
      row.truncated = truncated && t === steps - 1;
      row.action_probabilities = [p, f32(1 - p)];
      ret += row.reward; // return: sum in row order, float64 (section 8)
    }
    rows.push(row);
  }
  episodes.push({
    episode_id: e, first_row: first, rows: steps + 1, length: steps, return: ret,
    terminated, truncated, complete: true,
  });
});

// --- Schema (sections 4, 5, 6) --------------------------------------------------------------
const probsType = new FixedSizeList(2, new Field('item', new Float32(), true));
const fields = [
  new Field('episode_id', new Int32(), false),
  new Field('observations', new FixedSizeList(4, new Field('item', new Float32(), true)), true,
    new Map([['shape', '4']])),
  new Field('actions', new Int32(), true),
  new Field('rewards', new Float64(), true),
  new Field('terminations', new Bool(), true),
  new Field('truncations', new Bool(), true),
  new Field('infos', new Utf8(), true),
  new Field('action_probabilities', probsType, true),
];
const userMetadata = {
  title: 'Arrow JS interop',
  description: 'Written by write_from_spec.mjs from docs/format.md',
  agent: 'scripted',
  extra: { batches: 2, tags: ['interop', 'spec'] },
};
const schemaMetadata = new Map([
  ['rld.format_version', '1.0'],
  ['rld.env_id', 'SpecWalk-v0'],
  ['rld.observation_space', JSON.stringify(observationSpace)],
  ['rld.action_space', JSON.stringify(actionSpace)],
  ['rld.features', JSON.stringify(features)],
  ['rld.recorder_version', 'arrow-js-spec-writer/1'],
  ['rld.created', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)).toISOString().replace('.000Z', 'Z')],
  ['rld.metadata', JSON.stringify(userMetadata)],
]);
const schema = new Schema(fields, schemaMetadata);

// --- Record batches (section 10: they need not align with episodes) -------------------------
function batch(part) {
  const columns = [
    vectorFromArray(part.map((r) => r.episode_id), new Int32()),
    vectorFromArray(part.map((r) => r.observation), fields[1].type),
    vectorFromArray(part.map((r) => r.action), new Int32()),
    vectorFromArray(part.map((r) => r.reward), new Float64()),
    vectorFromArray(part.map((r) => r.terminated), new Bool()),
    vectorFromArray(part.map((r) => r.truncated), new Bool()),
    vectorFromArray(part.map((r) => (r.info === null ? null : JSON.stringify(r.info))), new Utf8()),
    vectorFromArray(part.map((r) => r.action_probabilities), probsType),
  ];
  const children = columns.map((v) => {
    if (v.data.length !== 1) {
      throw new Error('expected one chunk per column');
    }
    return v.data[0];
  });
  const data = makeData({ type: new Struct(fields), length: part.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

// Episode 0 has rows 0..3; the first batch ends two rows into episode 1.
const split = episodes[1].first_row + 2;
const table = new Table(schema, [batch(rows.slice(0, split)), batch(rows.slice(split))]);
writeFileSync(outPath, tableToIPC(table, 'file'));

// --- What the file holds ----------------------------------------------------------------------
const expected = {
  format_version: '1.0',
  env_id: 'SpecWalk-v0',
  observation_space: observationSpace,
  action_space: actionSpace,
  metadata: userMetadata,
  batch_rows: [split, rows.length - split],
  episodes,
  rows,
};
writeFileSync(expectedPath, JSON.stringify(expected, null, 1));
