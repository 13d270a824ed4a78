import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Field, FixedSizeList, Int32, Int64, Struct, Table, Uint8, makeData, makeVector, tableFromIPC, tableToIPC,
} from 'apache-arrow';
import { toRows } from '../src/data.js';
import { flattenObservation, unflattenObservation } from '../src/spaces.js';
import { decodeGrid } from '../src/scenes/gridworld.js';

// PeterAndTheWolf-v0's observation space as GET /api/rollouts/{id} gives it, and its feature
// labels as the server makes them (dev.rld.space: Box "[r,c]" labels, MultiDiscrete one-hots).
const GRID_SPACE = {
  type: 'Dict',
  subspaces: {
    // the keys out of order on purpose: flattening follows the sorted keys, not the JSON's order
    position: { type: 'MultiDiscrete', dtype: 'int64', nvec: [8, 8], start: [0, 0] },
    board: { type: 'Box', dtype: 'uint8', shape: [8, 8], low: 0, high: 4 },
  },
};
const GRID_LABELS = [
  ...Array.from({ length: 64 }, (_, i) => `board[${Math.floor(i / 8)},${i % 8}]`),
  ...Array.from({ length: 8 }, (_, k) => `position[0]=${k}`),
  ...Array.from({ length: 8 }, (_, k) => `position[1]=${k}`),
];

/** An Arrow stream of one Dict column {board: uint8[64], position: int64[2]}, as the server sends. */
function gridTable(boards, positions, metadata) {
  const boardType = new FixedSizeList(64, new Field('item', new Uint8(), true));
  const positionType = new FixedSizeList(2, new Field('item', new Int64(), true));
  const n = boards.length;
  const list = (type, child, length) => makeData({ type, length, nullCount: 0, child });
  const board = list(boardType, makeData({ type: new Uint8(), data: Uint8Array.from(boards.flat()) }), n);
  const position = list(positionType, makeData({ type: new Int64(), data: BigInt64Array.from(positions.flat(), BigInt) }), n);
  const type = new Struct([new Field('board', boardType, true), new Field('position', positionType, true)]);
  const observations = makeVector(makeData({ type, length: n, nullCount: 0, children: [board, position] }));
  const table = new Table({ observations });
  if (metadata) table.schema.metadata.set('rld.observation_space', JSON.stringify(metadata));
  return tableFromIPC(tableToIPC(table, 'stream'));
}

const board = Array.from({ length: 64 }, (_, i) => (i * 7) % 5);

test('a grid-world row flattens as the features are labelled: board cells, then position one-hots', () => {
  const [row] = toRows(gridTable([board], [[3, 6]]), GRID_SPACE);
  assert.equal(row.observation.length, GRID_LABELS.length, 'one value per feature label');
  const value = Object.fromEntries(GRID_LABELS.map((label, i) => [label, row.observation[i]]));
  assert.equal(value['board[0,1]'], board[1]);
  assert.equal(value['board[7,7]'], board[63]);
  for (let k = 0; k < 8; k++) {
    assert.equal(value[`position[0]=${k}`], k === 3 ? 1 : 0, `position[0]=${k}`);
    assert.equal(value[`position[1]=${k}`], k === 6 ? 1 : 0, `position[1]=${k}`);
  }
  assert.deepEqual(row.rawObservation.position, [3, 6], 'the stored value stays available');
  // the scene decodes the flattened row
  assert.deepEqual(decodeGrid(row.observation), { board, position: [3, 6] });
});

test('without a space given, the stream\'s own rld.observation_space decides the flattening', () => {
  const rows = toRows(gridTable([board, board], [[0, 0], [7, 1]], GRID_SPACE));
  assert.equal(rows[1].observation.length, 80);
  assert.equal(rows[1].observation[64 + 7], 1);
  assert.equal(rows[1].observation[72 + 1], 1);
  assert.equal(rows[1].observation.slice(64).reduce((a, b) => a + b), 2, 'exactly two ones');
});

test('Discrete one-hot from start, Tuple by position, Box raveled', () => {
  const space = {
    type: 'Tuple',
    subspaces: [
      { type: 'Discrete', n: 3, start: -1 },
      { type: 'Box', shape: [2, 2] },
      { type: 'MultiBinary', n: [3] },
    ],
  };
  const discrete = new Int32();
  const boxType = new FixedSizeList(4, new Field('item', new Int32(), true));
  const binType = new FixedSizeList(3, new Field('item', new Int32(), true));
  const type = new Struct([new Field('0', discrete, true), new Field('1', boxType, true), new Field('2', binType, true)]);
  const children = [
    makeData({ type: discrete, data: Int32Array.from([1]) }),
    makeData({ type: boxType, length: 1, nullCount: 0, child: makeData({ type: new Int32(), data: Int32Array.from([5, 6, 7, 8]) }) }),
    makeData({ type: binType, length: 1, nullCount: 0, child: makeData({ type: new Int32(), data: Int32Array.from([1, 0, 1]) }) }),
  ];
  const table = new Table({ observations: makeVector(makeData({ type, length: 1, nullCount: 0, children })) });
  const [row] = toRows(tableFromIPC(tableToIPC(table, 'stream')), space);
  // Discrete(3, start=-1) holding 1 is the third of {-1, 0, 1}
  assert.deepEqual(row.observation, [0, 0, 1, 5, 6, 7, 8, 1, 0, 1]);
});

test('a plain Box needs no space: the values in row-major order', () => {
  const type = new FixedSizeList(4, new Field('item', new Int32(), true));
  const observations = makeVector(makeData({ type, length: 1, nullCount: 0, child: makeData({ type: new Int32(), data: Int32Array.from([1, 2, 3, 4]) }) }));
  const [row] = toRows(tableFromIPC(tableToIPC(new Table({ observations }), 'stream')));
  assert.deepEqual(row.observation, [1, 2, 3, 4]);
});

// unflattenObservation is what an edited flat observation is sent to the server as: every space
// type must come back as the value it was flattened from.
const roundTrips = [
  ['Box [4]', { type: 'Box', shape: [4] }, [0.5, -1, 2.25, 0]],
  ['Box [] (a scalar)', { type: 'Box', shape: [] }, 3.5],
  ['Box [2, 3] (nested by shape)', { type: 'Box', shape: [2, 3] }, [[1, 2, 3], [4, 5, 6]]],
  ['Box [2, 2, 2]', { type: 'Box', shape: [2, 2, 2] }, [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]],
  ['Discrete', { type: 'Discrete', n: 5 }, 3],
  ['Discrete with start', { type: 'Discrete', n: 3, start: -1 }, -1],
  ['MultiDiscrete', { type: 'MultiDiscrete', nvec: [8, 8], start: [0, 0] }, [3, 6]],
  ['MultiDiscrete with starts', { type: 'MultiDiscrete', nvec: [3, 4], start: [1, -2] }, [3, -2]],
  ['MultiDiscrete nested', { type: 'MultiDiscrete', nvec: [[2, 3], [4, 5]] }, [[1, 2], [3, 0]]],
  ['MultiBinary n', { type: 'MultiBinary', n: 4 }, [1, 0, 0, 1]],
  ['MultiBinary [2, 2]', { type: 'MultiBinary', n: [2, 2] }, [[1, 0], [0, 1]]],
  ['Dict by sorted key', GRID_SPACE, { board: Array.from({ length: 8 }, (_, r) => board.slice(r * 8, r * 8 + 8)), position: [3, 6] }],
  ['Tuple', { type: 'Tuple', subspaces: [{ type: 'Discrete', n: 3, start: -1 }, { type: 'Box', shape: [2, 2] }, { type: 'MultiBinary', n: [3] }] },
    [1, [[5, 6], [7, 8]], [1, 0, 1]]],
  ['Dict in a Tuple in a Dict', { type: 'Dict', subspaces: {
    z: { type: 'Tuple', subspaces: [{ type: 'Dict', subspaces: { b: { type: 'Discrete', n: 2 }, a: { type: 'Box', shape: [1] } } }] },
    a: { type: 'MultiDiscrete', nvec: [2] },
  } }, { a: [1], z: [{ a: [0.25], b: 1 }] }],
];

for (const [name, space, value] of roundTrips) {
  test(`unflattenObservation inverts flattenObservation: ${name}`, () => {
    const flat = flattenObservation(space, value);
    assert.deepEqual(unflattenObservation(space, flat), value);
    assert.deepEqual(flattenObservation(space, unflattenObservation(space, flat)), flat);
  });
}

test('unflattenObservation: an edited one-hot reads its hot element; no space gives the flat values back', () => {
  const space = { type: 'Discrete', n: 4, start: 10 };
  assert.equal(unflattenObservation(space, [0, 0, 1, 0]), 12);
  assert.deepEqual(unflattenObservation(null, [1, 2, 3]), [1, 2, 3]);
  assert.deepEqual(unflattenObservation({ type: 'Box', shape: [2] }, Float32Array.from([1.5, 2])), [1.5, 2]);
});
