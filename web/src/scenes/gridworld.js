// PeterAndTheWolf-v0 ("Peter and the wolf") from its Dict observation {board, position}: the
// 8×8 board, one tile per cell coloured by its code (0 meadow, 1 water, 2 tree, 3 apple, 4 wolf),
// and Peter as a disc on his cell. Row 0 is drawn at the top, column 0 at the left.
// overlay({values, features}) (or overlay(values) in feature order) shades each cell's border by
// the attribution of its features on the heatmaps' colour scale, leaving the tile's own colour
// readable in the middle; a legend names the tiles' colours. While editing (enableEditing), Peter
// is dragged to another cell, and a press on a cell puts the tile picked in the legend there.
// With "policy arrows" on, each meadow cell shows the policy's greedy move were Peter there
// (grid-arrows.js).
// PeterAndTheWolfEnergy-v0's observation adds energy and fatigue ({board, energy, fatigue, position}):
// the legend then shows them as two bars, and says what the tiles do in that game.
import { createStage } from './three-base.js';
import { ARROWS_TOGGLE, createGridArrows } from './grid-arrows.js';
import { dragToEdit, watchGhost } from './scene-edit.js';
import { watch } from '../state.js';
import { createHeatControl, divergingColour, scaleEnd } from './colour-scale.js';
import * as THREE from 'three';

export const SIZE = 8;
export const CELLS = SIZE * SIZE;
export const TILES = ['empty', 'water', 'tree', 'apple', 'wolf'];
export const TILE_COLORS = [0xcfe8b0, 0x3d7fd1, 0x2f6b35, 0xd8342c, 0x59595f];
const PETER_COLOR = 0xf2b705;
/** What each tile does to Peter (samples' GridWorld.java), for the legend. */
export const TILE_MEANINGS = ['meadow: free to walk', 'water: Peter drowns', 'tree: blocks the way', 'apple: Peter wins', 'wolf: Peter is eaten'];

/** The tiles in the harder world (samples' EnergyGridWorld.java), where the wolf is the goal. */
export const ENERGY_TILE_MEANINGS = ['meadow: free to walk', 'water: Peter drowns', 'tree: bumping it rests (fatigue 0)', 'apple: energy back to 10', 'wolf: won if energy > fatigue'];
/** The full energy: the bars' scale (fatigue past it fills its bar). */
export const FULL_ENERGY = 10;

const BOARD_LABEL = /^board\[(\d+),\s*(\d+)\]$/;
const POSITION_LABEL = /^position(\[(\d)\]=(\d+))?$/;

/**
 * Per cell (row-major, CELLS) the sum of its features' attributions: board[r,c] to cell (r, c);
 * the position features (Peter's row and column one-hots, or the key) to Peter's cell.
 */
export function cellSums(features, values, position = null) {
  const sums = new Float64Array(CELLS);
  (features || []).forEach((label, i) => {
    const v = values?.[i];
    if (!Number.isFinite(v)) return;
    const board = BOARD_LABEL.exec(label);
    if (board) sums[Number(board[1]) * SIZE + Number(board[2])] += v;
    else if (position && POSITION_LABEL.test(label)) sums[position[0] * SIZE + position[1]] += v;
  });
  return sums;
}

/** A feature in words, for the attribution table: "cell (2, 3): water", "Peter in row 3". */
export function describeFeature(label, observation) {
  const board = BOARD_LABEL.exec(label);
  if (board) {
    const grid = decodeGrid(observation);
    const code = grid ? grid.board[Number(board[1]) * SIZE + Number(board[2])] : null;
    return `cell (${board[1]}, ${board[2]})${code === null ? '' : `: ${TILES[code] === 'empty' ? 'meadow' : TILES[code]}`}`;
  }
  const pos = POSITION_LABEL.exec(label);
  if (pos && pos[1]) return `Peter in ${pos[2] === '0' ? 'row' : 'column'} ${pos[3]}`;
  return pos ? "Peter's position" : '';
}

/** A square ring (outer side `outer`, hole `inner`): a cell's heat border. */
function squareRing(outer, inner) {
  const o = outer / 2;
  const h = inner / 2;
  const shape = new THREE.Shape([new THREE.Vector2(-o, -o), new THREE.Vector2(o, -o), new THREE.Vector2(o, o), new THREE.Vector2(-o, o)]);
  shape.holes.push(new THREE.Path([new THREE.Vector2(-h, -h), new THREE.Vector2(-h, h), new THREE.Vector2(h, h), new THREE.Vector2(h, -h)]));
  return new THREE.ShapeGeometry(shape);
}

function tileLegend(container, meanings) {
  const el = document.createElement('div');
  el.className = 'tile-legend';
  el.dataset.testid = 'tile-legend';
  const hex = (c) => `#${c.toString(16).padStart(6, '0')}`;
  el.innerHTML = '<div class="edit-hint">put on a cell:</div>'
    + TILES.map((t, i) => `<div data-tile="${t}" data-code="${i}"><span class="swatch" style="background:${hex(TILE_COLORS[i])}"></span>${meanings[i]}</div>`).join('')
    + `<div data-tile="peter"><span class="swatch round" style="background:${hex(PETER_COLOR)}"></span>Peter<span class="edit-hint">: drag him</span></div>`
    + ARROWS_TOGGLE;
  container.appendChild(el);
  return el;
}

/**
 * The changes that put Peter on (row, col): his two one-hots, which start at `at` (after the
 * board's cells, and after energy and fatigue when the observation has them).
 */
export function peterPairs(row, col, at = CELLS) {
  return Array.from({ length: SIZE }, (_, k) => [[at + k, k === row ? 1 : 0], [at + SIZE + k, k === col ? 1 : 0]]).flat();
}

/** Two bars, energy and fatigue, in the legend: what decides the fight with the wolf. */
function vitalsBars(legend) {
  const el = document.createElement('div');
  el.className = 'vitals';
  el.dataset.testid = 'vitals';
  el.style.cssText = 'margin-bottom:4px;padding-bottom:3px;border-bottom:1px solid var(--line)';
  const bar = (name, colour) => `<div data-vital="${name}" style="display:flex;align-items:center;gap:4px">`
    + `<span style="width:40px">${name}</span><span style="flex:1;height:8px;min-width:90px;background:#e6e6e6;border-radius:2px;overflow:hidden">`
    + `<span class="fill" style="display:block;height:100%;width:0;background:${colour}"></span></span><b class="value" style="width:22px;text-align:right"></b></div>`;
  el.innerHTML = bar('energy', '#3a9d3a') + bar('fatigue', '#c8553d');
  legend.prepend(el);
  return {
    show(grid) {
      el.style.display = grid && grid.energy !== undefined ? '' : 'none';
      if (!grid || grid.energy === undefined) return;
      for (const name of ['energy', 'fatigue']) {
        const row = el.querySelector(`[data-vital=${name}]`);
        row.querySelector('.fill').style.width = `${Math.min(1, Math.max(0, grid[name] / FULL_ENERGY)) * 100}%`;
        row.querySelector('.value').textContent = String(grid[name]);
      }
      el.title = grid.energy > grid.fatigue ? 'energy > fatigue: Peter would beat the wolf' : 'energy ≤ fatigue: the wolf would win';
    },
  };
}

/**
 * The board codes and Peter's [row, col] from the flat observation the scene receives. Dict keys
 * are sorted, so the 64 board codes (row-major) come first, then the position: as
 * gymnasium.spaces.flatten writes a MultiDiscrete (and the viewer passes it) two one-hots of 8
 * (80 values); as stored, [row, col] (66 values), which a scene of its own may pass. Both are
 * accepted; anything else gives null. The harder world's energy and fatigue sit between board and
 * position (82 or 68 values): then `energy`, `fatigue` and `positionAt` (where the position
 * starts) are set too.
 */
export function decodeGrid(observation) {
  const values = Array.from(observation || [], Number);
  if (values.length < CELLS + 2) return null;
  const board = values.slice(0, CELLS).map((v) => (Number.isInteger(v) && v >= 0 && v < TILES.length ? v : 0));
  const vitals = values.length === CELLS + 2 + 2 * SIZE || values.length === CELLS + 4;
  const positionAt = vitals ? CELLS + 2 : CELLS;
  const rest = values.slice(positionAt);
  let row;
  let col;
  if (rest.length === 2 * SIZE) {
    row = rest.slice(0, SIZE).indexOf(1);
    col = rest.slice(SIZE).indexOf(1);
  } else if (rest.length === 2) {
    [row, col] = rest;
  } else {
    return null;
  }
  const inside = (v) => Number.isInteger(v) && v >= 0 && v < SIZE;
  const grid = { board, position: inside(row) && inside(col) ? [row, col] : null };
  if (vitals) Object.assign(grid, { energy: values[CELLS], fatigue: values[CELLS + 1], positionAt });
  return grid;
}

/** Pixels kept on each side of the board for the legends (heat control left, tile legend right). */
export const LEGEND_ROOM = 220;

/**
 * The board's side in pixels (8 cells and 0.2 margins) in a w×h canvas, centred: the shorter
 * side, narrowed to leave the legends LEGEND_ROOM on each side while that keeps it at least
 * three quarters of the height; past that the legends float over the board's corners.
 */
export function boardSide(w, h) {
  const clear = w - 2 * LEGEND_ROOM;
  return clear >= 0.75 * h ? Math.min(h, clear) : Math.min(w, h);
}

export function create(container, metadata) {
  const labels = (metadata?.features?.observations || []).map((f) => f.label);
  // x right = column, y up = -row: the board spans [0, 8] × [-8, 0].
  const camera = new THREE.OrthographicCamera(-0.2, SIZE + 0.2, 0.2, -SIZE - 0.2, -10, 10);
  const stage = createStage(container, camera);
  const { scene } = stage;
  stage.onResize = (w, h) => {
    // keep the board square and whole inside the canvas, clear of the legends when there is room
    const side = boardSide(w, h);
    const scale = (SIZE + 0.4) / side; // scene units per pixel
    camera.left = SIZE / 2 - (w / 2) * scale;
    camera.right = SIZE / 2 + (w / 2) * scale;
    camera.top = -SIZE / 2 + (h / 2) * scale;
    camera.bottom = -SIZE / 2 - (h / 2) * scale;
    camera.updateProjectionMatrix();
  };

  const tileGeometry = new THREE.PlaneGeometry(0.94, 0.94);
  const tiles = [];
  for (let i = 0; i < CELLS; i++) {
    const tile = new THREE.Mesh(tileGeometry, new THREE.MeshBasicMaterial({ color: TILE_COLORS[0] }));
    tile.position.set((i % SIZE) + 0.5, -Math.floor(i / SIZE) - 0.5, 0);
    tile.name = `cell ${Math.floor(i / SIZE)},${i % SIZE}`;
    scene.add(tile);
    tiles.push(tile);
  }
  const peter = new THREE.Mesh(new THREE.CircleGeometry(0.32, 32), new THREE.MeshBasicMaterial({ color: PETER_COLOR }));
  peter.position.z = 1;
  peter.name = 'peter';
  scene.add(peter);
  // where the recording has Peter, as a ring, while an edit moves him
  const ghost = new THREE.Mesh(new THREE.RingGeometry(0.24, 0.32, 32), new THREE.MeshBasicMaterial({ color: PETER_COLOR, transparent: true, opacity: 0.6 }));
  ghost.position.z = 0.9;
  ghost.visible = false;
  scene.add(ghost);
  let recordedAt = null; // Peter's recorded cell while the observation is edited

  function placeGhost() {
    ghost.visible = Boolean(recordedAt) && (recordedAt[0] !== position?.[0] || recordedAt[1] !== position?.[1]);
    if (recordedAt) ghost.position.set(recordedAt[1] + 0.5, -recordedAt[0] - 0.5, 0.9);
  }

  // heat borders: a ring per cell, over the tile, under Peter
  // outer side 1: the ring also fills the light gap around the tile, so it shows even on a tile of its own hue
  const ringGeometry = squareRing(1, 0.62);
  const heat = tiles.map((tile) => {
    const ring = new THREE.Mesh(ringGeometry, new THREE.MeshBasicMaterial({ transparent: true, depthWrite: false }));
    ring.position.set(tile.position.x, tile.position.y, 0.5);
    ring.visible = false;
    scene.add(ring);
    return ring;
  });
  let position = null;
  let heatArg = null;
  const control = createHeatControl(container, () => shade());
  const energyWorld = labels.includes('energy[0]') || /PeterAndTheWolfEnergy-/.test(metadata?.envId || '');
  const legend = tileLegend(container, energyWorld ? ENERGY_TILE_MEANINGS : TILE_MEANINGS);
  const vitals = vitalsBars(legend);
  let tool = 2; // the tile a press puts on a cell: a tree (a wall) until another is picked
  const arrows = createGridArrows(scene, tiles, container, legend.querySelector('[data-testid=policy-arrows-toggle]'),
    () => stage.render());

  function shade() {
    // cells sum raw attributions (the display values are scaled per feature, not per cell)
    const values = heatArg?.raw || heatArg?.values;
    const sums = values ? cellSums(heatArg.features || [], values, position) : null;
    const end = sums ? scaleEnd(sums) : 0;
    control.show(Boolean(sums));
    if (sums) control.setScale(end, `${heatArg.what || 'attribution'} per cell`);
    heat.forEach((ring, i) => {
      const [r, g, b, a] = divergingColour(end > 0 && sums ? sums[i] / end : 0, control.state.opacity);
      ring.visible = Boolean(sums) && control.state.on && a > 0.01;
      ring.material.color.setRGB(r / 255, g / 255, b / 255, THREE.SRGBColorSpace);
      ring.material.opacity = a;
    });
    stage.render();
  }

  /** The cell under a pointer event, or null off the board. */
  function cellAt(event) {
    const p = stage.worldAt(event);
    const row = p ? Math.floor(-p.y) : -1;
    const col = p ? Math.floor(p.x) : -1;
    return row >= 0 && row < SIZE && col >= 0 && col < SIZE ? { row, col } : null;
  }

  /** A press on Peter drags him; anywhere else on the board puts the picked tile under the pointer. */
  function grab(event, observation) {
    const at = cellAt(event);
    const grid = decodeGrid(observation);
    if (!at || !grid) return null;
    const onPeter = grid.position && grid.position[0] === at.row && grid.position[1] === at.col;
    return { move: (e) => {
      const c = cellAt(e);
      if (!c) return null;
      return onPeter ? peterPairs(c.row, c.col, grid.positionAt ?? CELLS) : [[c.row * SIZE + c.col, tool]];
    } };
  }

  function pickTool(e) {
    const item = e.target.closest('[data-code]');
    if (!item || !legend.classList.contains('editing')) return;
    tool = Number(item.dataset.code);
    legend.querySelectorAll('[data-code]').forEach((d) => d.classList.toggle('picked', d === item));
  }
  legend.addEventListener('click', pickTool);

  stage.resize();
  return {
    /** Dragging Peter and putting tiles edit the observation while the view state holds an edit. */
    enableEditing(store) {
      const stopDrag = dragToEdit(store, stage.canvas, grab);
      const stopGhost = watchGhost(store, (recorded) => {
        recordedAt = (recorded && decodeGrid(recorded)?.position) || null;
        placeGhost();
        stage.render();
      });
      const unwatch = watch(store, ['edits'], (s) => {
        legend.classList.toggle('editing', Boolean(s.edits));
        legend.querySelectorAll('[data-code]').forEach((d) => d.classList.toggle('picked', Number(d.dataset.code) === tool));
      });
      return () => {
        stopDrag();
        stopGhost();
        unwatch();
      };
    },
    update(observation) {
      const grid = decodeGrid(observation);
      if (grid) {
        grid.board.forEach((code, i) => tiles[i].material.color.set(TILE_COLORS[code]));
      }
      arrows.setBoard(grid?.board || null);
      vitals.show(grid);
      peter.visible = !!grid?.position;
      position = grid?.position || null;
      if (grid?.position) {
        const [row, col] = grid.position;
        peter.position.x = col + 0.5;
        peter.position.y = -row - 0.5;
      }
      placeGhost();
      if (heatArg) shade();
      else stage.render();
    },
    /** {values, features, what} (raw attributions and their labels), values alone in metadata's feature order, or null. */
    overlay(arg) {
      if (!arg) heatArg = null;
      else if (Array.isArray(arg) || ArrayBuffer.isView(arg)) heatArg = { values: arg, features: labels };
      else heatArg = { ...arg, features: arg.features || labels };
      shade();
    },
    describeFeature,
    /**
     * The two features whose landscape this scene draws as arrows (Peter's column and row
     * one-hots), or null when the labels are not the grid world's; showPolicy(answer) draws it.
     */
    policySweep: labels.includes('position[1]=0') && labels.includes('position[0]=0')
      ? { x: labels.indexOf('position[1]=0'), y: labels.indexOf('position[0]=0'), wanted: () => arrows.wanted() }
      : null,
    /** A landscape answer over policySweep (target "greedy"), or null to clear the arrows. */
    showPolicy(answer) {
      arrows.show(answer);
    },
    /** overlay() takes {values, raw, features, what} as well as bare values. */
    overlayTakesObject: true,
    dispose() {
      heat.forEach((r) => r.material.dispose());
      arrows.dispose();
      tiles.forEach((t) => t.material.dispose());
      stage.dispose();
    },
  };
}
