// Pendulum from its observation [cos θ, sin θ, θ̇] (Gymnasium Pendulum-v1, θ = 0 upright,
// positive θ counter-clockwise): a pivot, the rod at θ, and an arc with an arrowhead around the
// pivot for the angular velocity (its sweep grows with |θ̇|, up to a quarter turn at 8 rad/s).
// While editing (enableEditing), dragging the rod swings it: cos θ and sin θ change together; the
// recorded rod stays as a grey ghost.
import { createStage } from './three-base.js';
import { dragToEdit, ghostMaterial, segmentDistance, watchGhost } from './scene-edit.js';
import * as THREE from 'three';

const ROD_LENGTH = 1.0;
const ARC_RADIUS = 0.35;
const MAX_SPEED = 8; // Gymnasium's max_speed
const ARC_POINTS = 24;

/** θ = atan2(sin, cos), and the rod's tip at length `length` from a pivot at the origin (upright at θ = 0). */
export function pendulumPose(observation, length = ROD_LENGTH) {
  const [c = 1, s = 0, omega = 0] = observation || [];
  const angle = Number.isFinite(c) && Number.isFinite(s) ? Math.atan2(s, c) : 0;
  return {
    angle,
    omega: Number.isFinite(omega) ? omega : 0,
    tip: { x: -Math.sin(angle) * length, y: Math.cos(angle) * length },
  };
}

/**
 * The angular velocity arc: points on a circle of `radius` from the rod's angle, sweeping
 * omega / maxSpeed of a quarter turn (counter-clockwise when omega > 0), and the arrowhead's
 * rotation (a +y arrow turned by `head` points along the motion at the arc's end).
 */
export function velocityArc(angle, omega, radius = ARC_RADIUS, maxSpeed = MAX_SPEED, n = ARC_POINTS) {
  const sweep = Math.max(-1, Math.min(1, omega / maxSpeed)) * (Math.PI / 2);
  const points = [];
  for (let i = 0; i <= n; i++) {
    const phi = angle + (sweep * i) / n;
    points.push({ x: -Math.sin(phi) * radius, y: Math.cos(phi) * radius });
  }
  const end = angle + sweep;
  return { points, sweep, head: end + (sweep < 0 ? -Math.PI / 2 : Math.PI / 2) };
}

export function create(container) {
  const camera = new THREE.OrthographicCamera(-1.5, 1.5, 1.4, -1.4, -10, 10);
  const stage = createStage(container, camera);
  const { scene } = stage;
  stage.onResize = (w, h) => {
    const aspect = w / h;
    const half = 1.4;
    camera.left = -half * Math.max(1, aspect);
    camera.right = half * Math.max(1, aspect);
    camera.top = half * Math.max(1, 1 / aspect);
    camera.bottom = -half * Math.max(1, 1 / aspect);
    camera.updateProjectionMatrix();
  };

  const basic = (color) => new THREE.MeshBasicMaterial({ color });
  const rodPivot = new THREE.Group();
  const rod = new THREE.Mesh(new THREE.BoxGeometry(0.12, ROD_LENGTH, 0.02), basic(0xc98a2b));
  rod.position.y = ROD_LENGTH / 2;
  rodPivot.add(rod);
  const bob = new THREE.Mesh(new THREE.CircleGeometry(0.06, 24), basic(0xa06a1f));
  bob.position.set(0, ROD_LENGTH, 0.01);
  rodPivot.add(bob);
  scene.add(rodPivot);
  const ghost = new THREE.Group(); // the recorded rod behind an edited one
  const ghostRod = new THREE.Mesh(rod.geometry, ghostMaterial(THREE));
  ghostRod.position.y = ROD_LENGTH / 2;
  ghost.add(ghostRod);
  ghost.position.z = -0.01;
  ghost.visible = false;
  scene.add(ghost);
  const pivot = new THREE.Mesh(new THREE.CircleGeometry(0.07, 24), basic(0x222222));
  pivot.position.z = 0.02;
  scene.add(pivot);

  const arcGeometry = new THREE.BufferGeometry();
  arcGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array((ARC_POINTS + 1) * 3), 3));
  const arc = new THREE.Line(arcGeometry, new THREE.LineBasicMaterial({ color: 0x2f6db5 }));
  arc.position.z = 0.03;
  scene.add(arc);
  const head = new THREE.Mesh(new THREE.ConeGeometry(0.05, 0.12, 12), basic(0x2f6db5));
  head.position.z = 0.03;
  scene.add(head);

  /** A press near the rod grabs it; the angle follows the pointer around the pivot. */
  function grab(event, observation) {
    const p = stage.worldAt(event);
    const { tip } = pendulumPose(observation);
    if (!p || segmentDistance(p, { x: 0, y: 0 }, tip) > 0.2) return null;
    return { move: (e) => {
      const q = stage.worldAt(e);
      if (!q || Math.hypot(q.x, q.y) < 1e-3) return null;
      const angle = Math.atan2(-q.x, q.y);
      return [[0, Number(Math.cos(angle).toFixed(5))], [1, Number(Math.sin(angle).toFixed(5))]];
    } };
  }

  stage.resize();
  return {
    /** Dragging the rod edits the observation while the view state holds an edit. */
    enableEditing(store) {
      const stopDrag = dragToEdit(store, stage.canvas, grab);
      const stopGhost = watchGhost(store, (recorded) => {
        ghost.visible = Boolean(recorded);
        if (recorded) ghost.rotation.z = pendulumPose(recorded).angle;
        stage.render();
      });
      return () => {
        stopDrag();
        stopGhost();
      };
    },
    update(observation) {
      const pose = pendulumPose(observation);
      rodPivot.rotation.z = pose.angle;
      const { points, sweep, head: turn } = velocityArc(pose.angle, pose.omega);
      const position = arcGeometry.getAttribute('position');
      points.forEach((p, i) => position.setXYZ(i, p.x, p.y, 0));
      position.needsUpdate = true;
      const end = points[points.length - 1];
      head.position.x = end.x;
      head.position.y = end.y;
      head.rotation.z = turn;
      arc.visible = head.visible = Math.abs(sweep) > 1e-3;
      stage.render();
    },
    dispose() {
      stage.dispose();
    },
  };
}
