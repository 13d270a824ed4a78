// Reads an rld rollout file with Apache Arrow JS alone (tableFromIPC) and prints it as JSON:
//
//   node read_rld.mjs IN.arrow
//
// {"metadata": {key: value, …},          schema metadata; JSON-valued rld.* keys parsed
//  "fields": [{"name", "type", "nullable", "metadata"}, …],
//  "batches": [row count, …],
//  "rows": [{"episode_id", "observation", "action", "reward", "terminated", "truncated",
//            "infos", "action_probabilities", "action_logits", "value", "scalars"}, …]}
//
// A row's agent columns appear only when the file has them; null stands for a null cell.

import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { plain } from './arrow-plain.mjs';

const [inPath] = process.argv.slice(2);
if (!inPath) {
  console.error('usage: node read_rld.mjs IN.arrow');
  process.exit(2);
}

const table = tableFromIPC(readFileSync(inPath));

const JSON_KEYS = new Set(['rld.observation_space', 'rld.action_space', 'rld.features', 'rld.metadata']);
const metadata = {};
for (const [key, value] of table.schema.metadata) {
  metadata[key] = JSON_KEYS.has(key) ? JSON.parse(value) : value;
}

const column = (name) => table.getChild(name);
const columns = {
  episode_id: column('episode_id'),
  observation: column('observations'),
  action: column('actions'),
  reward: column('rewards'),
  terminated: column('terminations'),
  truncated: column('truncations'),
  infos: column('infos'),
  action_probabilities: column('action_probabilities'),
  action_logits: column('action_logits'),
  value: column('value'),
  scalars: column('scalars'),
};

const rows = [];
for (let i = 0; i < table.numRows; i++) {
  const row = {};
  for (const [key, vector] of Object.entries(columns)) {
    if (vector === null) {
      continue; // an optional column this file does not have
    }
    const cell = vector.get(i);
    row[key] = key === 'infos' ? (cell === null ? null : JSON.parse(cell)) : plain(cell);
  }
  rows.push(row);
}

const fields = table.schema.fields.map((f) => ({
  name: f.name,
  type: String(f.type),
  nullable: f.nullable,
  metadata: Object.fromEntries(f.metadata),
}));

process.stdout.write(JSON.stringify({
  metadata,
  fields,
  batches: table.batches.map((b) => b.numRows),
  rows,
}));
process.stdout.write('\n');
