// CartPole from its observation [x, x_dot, theta, theta_dot]: a cart on a track with the ±2.4 m
// limits marked, the pole at the observed angle (positive theta leans right, as in Gymnasium).
// While editing (enableEditing), dragging the cart moves it and dragging the pole swings it,
// within the observation space's bounds; the recorded cart and pole stay as a grey ghost.
import { createStage } from './three-base.js';
import { clampTo, dragToEdit, ghostMaterial, segmentDistance, watchGhost } from './scene-edit.js';
import { flatBounds } from '../edits.js';
import * as THREE from 'three';

const X_LIMIT = 2.4; // Gymnasium's x_threshold: the episode terminates beyond it
const POLE_LENGTH = 1.0; // 2 * Gymnasium's half length
const PIVOT_Y = 0.35;

export function create(container, metadata) {
  const camera = new THREE.PerspectiveCamera(35, 16 / 9, 0.1, 100);
  camera.position.set(0, 1.4, 7.5);
  camera.lookAt(0, 0.6, 0);
  const stage = createStage(container, camera);
  const { scene } = stage;
  stage.onResize = (w, h) => {
    camera.aspect = w / h;
    // keep the whole track in view on narrow canvases
    camera.position.z = Math.max(7.5, 7.5 * (16 / 9) / camera.aspect * 0.9);
    camera.updateProjectionMatrix();
  };

  scene.add(new THREE.HemisphereLight(0xffffff, 0x889099, 2.2));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(3, 6, 5);
  scene.add(sun);

  const mat = (color) => new THREE.MeshStandardMaterial({ color, roughness: 0.6 });
  const ground = new THREE.Mesh(new THREE.BoxGeometry(2 * X_LIMIT + 2, 0.04, 1.2), mat(0xdde3ea));
  ground.position.y = -0.12;
  scene.add(ground);
  const track = new THREE.Mesh(new THREE.BoxGeometry(2 * X_LIMIT, 0.05, 0.08), mat(0x56606b));
  scene.add(track);
  for (const x of [-X_LIMIT, X_LIMIT]) {
    const limit = new THREE.Mesh(new THREE.BoxGeometry(0.05, 0.5, 0.5), mat(0xd0453b));
    limit.position.set(x, 0.2, 0);
    limit.name = `limit ${x}`;
    scene.add(limit);
  }
  const centre = new THREE.Mesh(new THREE.BoxGeometry(0.02, 0.06, 0.3), mat(0x9aa4ae));
  scene.add(centre);

  const cart = new THREE.Group();
  const body = new THREE.Mesh(new THREE.BoxGeometry(0.5, 0.3, 0.35), mat(0x2f6db5));
  body.position.y = 0.2;
  cart.add(body);
  for (const x of [-0.17, 0.17]) {
    const wheel = new THREE.Mesh(new THREE.CylinderGeometry(0.06, 0.06, 0.38, 16), mat(0x222222));
    wheel.rotation.x = Math.PI / 2;
    wheel.position.set(x, 0.06, 0);
    cart.add(wheel);
  }
  const pivot = new THREE.Group();
  pivot.position.y = PIVOT_Y;
  const pole = new THREE.Mesh(new THREE.CylinderGeometry(0.03, 0.03, POLE_LENGTH, 12), mat(0xc98a2b));
  pole.position.y = POLE_LENGTH / 2;
  pivot.add(pole);
  const hinge = new THREE.Mesh(new THREE.SphereGeometry(0.05, 16, 8), mat(0x222222));
  pivot.add(hinge);
  cart.add(pivot);
  scene.add(cart);
  // the recorded cart and pole, drawn faintly behind an edited pose
  const ghost = new THREE.Group();
  const ghostBody = new THREE.Mesh(body.geometry, ghostMaterial(THREE));
  ghostBody.position.y = 0.2;
  const ghostPivot = new THREE.Group();
  ghostPivot.position.y = PIVOT_Y;
  const ghostPole = new THREE.Mesh(pole.geometry, ghostBody.material);
  ghostPole.position.y = POLE_LENGTH / 2;
  ghostPivot.add(ghostPole);
  ghost.add(ghostBody, ghostPivot);
  ghost.position.z = -0.2;
  ghost.visible = false;
  scene.add(ghost);

  const space = metadata?.observationSpace || {};
  const low = flatBounds(space.low, 4);
  const high = flatBounds(space.high, 4);

  /** What a press grabs: the pole (near its line) swings, the cart (near its body) slides. */
  function grab(event, observation) {
    const p = stage.worldAt(event);
    const [x = 0, , theta = 0] = observation;
    if (!p) return null;
    const base = { x, y: PIVOT_Y };
    const tip = { x: x + POLE_LENGTH * Math.sin(theta), y: PIVOT_Y + POLE_LENGTH * Math.cos(theta) };
    if (segmentDistance(p, base, tip) < 0.15 && p.y > PIVOT_Y - 0.02) {
      return { move: (e) => {
        const q = stage.worldAt(e);
        return q && [[2, clampTo(Math.atan2(q.x - x, Math.max(1e-3, q.y - PIVOT_Y)), low[2], high[2], 4)]];
      } };
    }
    if (Math.abs(p.x - x) < 0.4 && p.y > -0.15 && p.y < PIVOT_Y + 0.1) {
      const offset = p.x - x;
      return { move: (e) => {
        const q = stage.worldAt(e);
        return q && [[0, clampTo(q.x - offset, low[0], high[0], 3)]];
      } };
    }
    return null;
  }

  stage.resize();
  return {
    /** Dragging the cart or the pole edits the observation while the view state holds an edit. */
    enableEditing(store) {
      const stopDrag = dragToEdit(store, stage.canvas, grab);
      const stopGhost = watchGhost(store, (recorded) => {
        ghost.visible = Boolean(recorded);
        if (recorded) {
          ghost.position.x = recorded[0];
          ghostPivot.rotation.z = -recorded[2];
        }
        stage.render();
      });
      return () => {
        stopDrag();
        stopGhost();
      };
    },
    update(observation) {
      const [x = 0, , theta = 0] = observation || [];
      cart.position.x = Number.isFinite(x) ? x : 0;
      pivot.rotation.z = Number.isFinite(theta) ? -theta : 0;
      body.material.color.set(Math.abs(x) > X_LIMIT ? 0xd0453b : 0x2f6db5);
      stage.render();
    },
    dispose() {
      stage.dispose();
    },
  };
}
