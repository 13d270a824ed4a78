// Scenes: what the episode page draws from each observation.
//
// A scene is one module exporting `create(container, metadata, libs)`, where `container` is an
// empty element to draw into, `metadata` is GET /api/rollouts/{id} (spaces, features, envId) and
// `libs` lends the bundled libraries (`libs.THREE`) to scenes loaded at run time. It
// returns `{update(observation), dispose()}`: update(observation) draws one row's observation
// (the flat array of numbers, in the order of metadata.features.observations: flattened as
// gymnasium.spaces.flatten does, Discrete and MultiDiscrete parts one-hot; see spaces.js);
// dispose() frees what create made (renderer, listeners). Scenes see observations only: no env state.
//
// Optionally a scene edits (observation surgery): enableEditing(store) gets the episode page's view
// state (state.js) and, while `edits` is not null, turns drags in the scene into changed elements
// of the flat observation written back as `edits` (scene-edit.js's dragToEdit); it returns the
// function that stops it. CartPole drags the cart and the pole, Pendulum the rod, the grid world
// Peter and the tiles, the image scene paints with its brush (brush.js). Scenes without it still
// draw the edited observation: the page passes it to update().
import * as cartpole from './cartpole.js';
import * as cartpoleContinuous from './cartpole-continuous.js';
import * as cartpoleUdrl from './cartpole-udrl.js';
import * as generic from './generic.js';
import * as gridworld from './gridworld.js';
import * as pendulum from './pendulum.js';
import * as image from './image.js';
import { imageLayout } from './pixels.js';

/** The built-in scenes by name (`rld serve --viewer NAME` picks one). */
export const SCENES = { cartpole, pendulum, gridworld, image, generic };
SCENES['cartpole-continuous'] = cartpoleContinuous;
SCENES['cartpole-udrl'] = cartpoleUdrl;

/**
 * The scene for an environment id: CartPole-* gets the cart and pole (UDRL's with its command),
 * Pendulum-* the pendulum,
 * PeterAndTheWolf-* the grid world board,
 * PeterAndTheWolfEnergy-* the same board with energy and fatigue bars,
 * an image observation space (pixels.js) the image, anything else the feature bars.
 */
export function sceneFor(envId, configured = '', observationSpace = null) {
  if (configured && SCENES[configured]) return SCENES[configured];
  if (/^(.*\/)?CartPole-v\d+$/.test(envId || '')) return cartpole;
  if (/^(.*\/)?CartPole(Balance|SwingUp)-v\d+$/.test(envId || '')) return cartpoleContinuous;
  if (/^(.*\/)?CartPoleUDRL-v\d+$/.test(envId || '')) return cartpoleUdrl;
  if (/^(.*\/)?Pendulum-v\d+$/.test(envId || '')) return pendulum;
  if (/^(.*\/)?PeterAndTheWolf-v\d+$/.test(envId || '')) return gridworld;
  if (/^(.*\/)?PeterAndTheWolfEnergy-v\d+$/.test(envId || '')) return gridworld;
  if (imageLayout(observationSpace)) return image;
  return generic;
}

/** The scene module: the server's --viewer-file when given, else by --viewer name, else by env id and space. */
export async function loadScene(envId, config = {}, observationSpace = null) {
  if (config.viewerFile) {
    try {
      const url = config.viewerFile;
      const mod = await import(/* webpackIgnore: true */ url);
      if (typeof mod.create === 'function') return mod;
      console.warn('rld: the viewer file exports no create(container, metadata); using a built-in scene');
    } catch (e) {
      console.warn('rld: could not load the viewer file', e);
    }
  }
  return sceneFor(envId, config.viewer, observationSpace);
}
