// Reads a Minari dataset in Minari 0.5's Arrow store with Apache Arrow JS alone, the way Minari's
// ArrowStorage does (data/metadata.json; per episode data/<id>/metadata.json and one Arrow IPC
// file of one record batch whose actions, rewards and flags are padded to N + 1 rows), and
// prints it as JSON:
//
//   node read_minari.mjs DATASET_DIR
//
// {"metadata": {…, "observation_space": <parsed>, "action_space": <parsed>},
//  "episodes": [{"metadata": {…}, "file": name, "ipcFile": bool, "batches": n, "rows": N + 1,
//                "fields": [{"name", "type"}], "observations": [N + 1], "actions": [N],
//                "rewards": [N], "terminations": [N], "truncations": [N],
//                "padding": {"action", "reward", "termination", "truncation"}}]}
//
// Binary cells (JPEG images) are given as {"jpeg": bool (FF D8 FF magic), "bytes": length}.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { plain } from './arrow-plain.mjs';

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node read_minari.mjs DATASET_DIR');
  process.exit(2);
}
// Python's json writes infinite bounds as bare Infinity tokens, which JSON.parse refuses.
const pythonJson = (text) => JSON.parse(text.replace(/(-?)Infinity/g, (m, sign) => `"${sign}Infinity"`));

const data = join(dir, 'data');
const metadata = JSON.parse(readFileSync(join(data, 'metadata.json'), 'utf8'));
metadata.observation_space = pythonJson(metadata.observation_space);
metadata.action_space = pythonJson(metadata.action_space);

/** A cell as JSON; a binary cell (one JPEG image, as Minari stores image spaces) as its magic and size. */
const cell = (v, binary) => (binary && v !== null
  ? { jpeg: v[0] === 0xff && v[1] === 0xd8 && v[2] === 0xff, bytes: v.length } : plain(v));

const episodes = [];
for (let id = 0; id < metadata.total_episodes; id++) {
  const folder = join(data, String(id));
  // Minari's reader takes every file of the folder but metadata.json and names starting with _ or .
  const files = readdirSync(folder).filter((f) => f !== 'metadata.json' && !f.startsWith('_') && !f.startsWith('.'));
  if (files.length !== 1) throw new Error(`episode ${id}: expected one data file, found ${files}`);
  const bytes = readFileSync(join(folder, files[0]));
  const table = tableFromIPC(bytes);
  const rows = table.numRows;
  const col = (name) => {
    const v = table.getChild(name);
    if (!v) throw new Error(`episode ${id}: no ${name} column`);
    const binary = String(v.type) === 'Binary';
    return Array.from({ length: rows }, (_, i) => cell(v.get(i), binary));
  };
  const [observations, actions, rewards, terminations, truncations] =
    ['observations', 'actions', 'rewards', 'terminations', 'truncations'].map(col);
  episodes.push({
    metadata: JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8')),
    file: files[0],
    ipcFile: bytes.subarray(0, 6).toString() === 'ARROW1',
    batches: table.batches.length,
    rows,
    fields: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
    observations,
    actions: actions.slice(0, rows - 1),
    rewards: rewards.slice(0, rows - 1),
    terminations: terminations.slice(0, rows - 1),
    truncations: truncations.slice(0, rows - 1),
    padding: { action: actions[rows - 1], reward: rewards[rows - 1], termination: terminations[rows - 1], truncation: truncations[rows - 1] },
  });
}
process.stdout.write(JSON.stringify({ metadata, episodes }));
