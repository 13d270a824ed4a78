// PeterAndTheWolf-v0 ("Peter and the wolf") from its Dict observation {board, position}: the
// 8×8 board, one tile per cell coloured by its code (0 meadow, 1 water, 2 tree, 3 apple, 4 wolf),
// and Peter as a disc on his cell. Row 0 is drawn at the top, column 0 at the left.
import { createStage } from './three-base.js';
import * as THREE from 'three';

export const SIZE = 8;
export const CELLS = SIZE * SIZE;
export const TILES = ['empty', 'water', 'tree', 'apple', 'wolf'];
export const TILE_COLORS = [0xcfe8b0, 0x3d7fd1, 0x2f6b35, 0xd8342c, 0x59595f];
const PETER_COLOR = 0xf2b705;

/**
 * The board codes and Peter's [row, col] from the flat observation the scene receives. Dict keys
 * are sorted, so the 64 board codes (row-major) come first, then the position: as
 * gymnasium.spaces.flatten writes a MultiDiscrete (and the viewer passes it) two one-hots of 8
 * (80 values); as stored, [row, col] (66 values), which a scene of its own may pass. Both are
 * accepted; anything else gives null.
 */
export function decodeGrid(observation) {
  const values = Array.from(observation || [], Number);
  if (values.length < CELLS + 2) return null;
  const board = values.slice(0, CELLS).map((v) => (Number.isInteger(v) && v >= 0 && v < TILES.length ? v : 0));
  const rest = values.slice(CELLS);
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
  return { board, position: inside(row) && inside(col) ? [row, col] : null };
}

export function create(container) {
  // x right = column, y up = -row: the board spans [0, 8] × [-8, 0].
  const camera = new THREE.OrthographicCamera(-0.2, SIZE + 0.2, 0.2, -SIZE - 0.2, -10, 10);
  const stage = createStage(container, camera);
  const { scene } = stage;
  stage.onResize = (w, h) => {
    // keep the board square and whole inside the canvas
    const aspect = w / h;
    const span = SIZE + 0.4;
    const halfW = aspect >= 1 ? (span * aspect) / 2 : span / 2;
    const halfH = aspect >= 1 ? span / 2 : span / aspect / 2;
    camera.left = SIZE / 2 - halfW;
    camera.right = SIZE / 2 + halfW;
    camera.top = -SIZE / 2 + halfH;
    camera.bottom = -SIZE / 2 - halfH;
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

  stage.resize();
  return {
    update(observation) {
      const grid = decodeGrid(observation);
      if (grid) {
        grid.board.forEach((code, i) => tiles[i].material.color.set(TILE_COLORS[code]));
      }
      peter.visible = !!grid?.position;
      if (grid?.position) {
        const [row, col] = grid.position;
        peter.position.x = col + 0.5;
        peter.position.y = -row - 0.5;
      }
      stage.render();
    },
    dispose() {
      tiles.forEach((t) => t.material.dispose());
      stage.dispose();
    },
  };
}
