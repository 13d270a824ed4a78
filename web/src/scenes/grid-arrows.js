// The grid world's policy arrows: on each meadow cell the policy's greedy move were Peter there
// (a landscape over his position with target "greedy", the rest of the board as shown), pointing
// the move's way, longer the surer the policy is. Drawn over the tiles and their heat borders,
// under Peter; off until the legend's "policy arrows" is ticked.
import * as THREE from 'three';

/** The legend's toggle. */
export const ARROWS_TOGGLE = '<label class="arrows" title="the policy\'s greedy move were Peter on each meadow cell, '
  + 'the rest of the board as at this step; the longer, the surer">'
  + '<input type="checkbox" data-testid="policy-arrows-toggle"> policy arrows <span class="muted">(length: probability)</span></label>';

/** Moves by action index (GridWorld.java: 0 up, 1 down, 2 left, 3 right), as angles in the scene (y up). */
export const ARROW_ANGLES = [Math.PI / 2, -Math.PI / 2, Math.PI, 0];
/** An arrow's length in cells for the probability of its move: a sure move spans most of the cell. */
export const arrowLength = (p) => 0.25 + 0.6 * Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0));

const SIZE = 8;

/** A flat arrow along +x, unit length centred on 0: a thin shaft and a wide head (its last 35%). */
function arrowGeometry() {
  const v = (x, y) => new THREE.Vector2(x, y);
  return new THREE.ShapeGeometry(new THREE.Shape([v(-0.5, -0.04), v(0.15, -0.04), v(0.15, -0.18), v(0.5, 0),
    v(0.15, 0.18), v(0.15, 0.04), v(-0.5, 0.04)]));
}

/**
 * Arrows on `tiles` (row-major meshes) of `scene`; `toggle` is the legend's checkbox, `render`
 * redraws the stage. Ticking it asks the page for the policy ('rld-policy-wanted' on `container`).
 */
export function createGridArrows(scene, tiles, container, toggle, render) {
  const material = new THREE.MeshBasicMaterial({ color: 0x1d232a, transparent: true, opacity: 0.8, depthWrite: false });
  const shape = arrowGeometry();
  const arrows = tiles.map((tile) => {
    const a = new THREE.Mesh(shape, material);
    a.position.set(tile.position.x, tile.position.y, 0.7);
    a.visible = false;
    scene.add(a);
    return a;
  });
  let board = null;
  let policy = null; // {actions[row][col], values[row][col]}

  function draw() {
    const on = toggle.checked && policy && board;
    const shown = [];
    arrows.forEach((a, i) => {
      const r = Math.floor(i / SIZE);
      const c = i % SIZE;
      const action = on ? policy.actions?.[r]?.[c] : undefined;
      // meadow cells only: on water, a tree, an apple or the wolf Peter never stands
      a.visible = Boolean(on) && board[i] === 0 && Number.isInteger(action) && ARROW_ANGLES[action] !== undefined;
      if (!a.visible) return;
      a.rotation.z = ARROW_ANGLES[action];
      a.scale.x = arrowLength(policy.values[r][c]);
      shown.push(`${r},${c}:${action}`);
    });
    // what is drawn, for tests and tools: row,col:action per arrow
    container.dataset.policyArrows = shown.join(' ');
    render();
  }

  toggle.addEventListener('change', () => {
    draw();
    // the page's feed (policy-arrows.js) fetches the landscape when they are wanted
    if (toggle.checked) container.dispatchEvent(new CustomEvent('rld-policy-wanted', { bubbles: true }));
  });

  return {
    wanted: () => toggle.checked,
    /** The board codes shown (row-major), or null. The caller renders. */
    setBoard(codes) {
      board = codes;
      if (policy) draw();
    },
    show(answer) {
      policy = answer;
      draw();
    },
    dispose() {
      material.dispose();
      shape.dispose();
    },
  };
}
