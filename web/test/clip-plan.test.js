import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIP_LIMITS, captionText, clipFileName, formatBytes, planClip } from '../src/clip/clip-plan.js';

const base = { format: 'webm', from: 0, to: 99, last: 500, fps: 50, sceneWidth: 974, sceneHeight: 540 };

test('a plan lists the steps it will show, every k-th one, both ends included', () => {
  assert.deepEqual(planClip({ ...base, from: 10, to: 20, every: 5 }).steps, [10, 15, 20]);
  assert.deepEqual(planClip({ ...base, from: 10, to: 21, every: 5 }).steps, [10, 15, 20]);
  assert.deepEqual(planClip({ ...base, from: 7, to: 7 }).steps, [7]);
  assert.equal(planClip(base).steps.length, 100);
});

test('frames keep the scene’s aspect, have even sides, and shrink to the format’s longest side', () => {
  const webm = planClip(base);
  assert.equal(webm.width, 974);
  assert.equal(webm.sceneHeight, 540);
  assert.equal(webm.height, webm.sceneHeight + webm.caption);
  assert.equal(webm.caption % 2, 0);
  const gif = planClip({ ...base, format: 'gif' });
  assert.equal(gif.width, 640);
  assert.equal(gif.sceneHeight, 2 * Math.round((540 * 640 / 974) / 2));
  const odd = planClip({ ...base, sceneWidth: 301.4, sceneHeight: 199.2 });
  assert.equal(odd.width % 2, 0);
  assert.equal(odd.sceneHeight % 2, 0);
  const huge = planClip({ ...base, sceneWidth: 2560, sceneHeight: 1440 });
  assert.equal(huge.width, CLIP_LIMITS.webm.maxSide);
  assert.equal(huge.sceneHeight, 720);
});

test('a GIF plays at most 50 frames a second; a video at the asked rate', () => {
  assert.equal(planClip({ ...base, format: 'gif', fps: 120 }).fps, 50);
  assert.equal(planClip({ ...base, fps: 120 }).fps, 120);
  assert.equal(planClip({ ...base, fps: 25 }).frameSeconds, 0.04);
});

test('bad ranges and settings are refused with a message naming them', () => {
  assert.match(planClip({ ...base, from: -1 }).error, /from must be a step from 0 to 500, got -1/);
  assert.match(planClip({ ...base, to: 501 }).error, /to must be a step from 0 to 500/);
  assert.match(planClip({ ...base, to: 2.5 }).error, /to must be a step/);
  assert.match(planClip({ ...base, from: 9, to: 3 }).error, /from \(9\) is after to \(3\)/);
  assert.match(planClip({ ...base, every: 0 }).error, /every must be/);
  assert.match(planClip({ ...base, fps: 0 }).error, /frame rate must be positive/);
  assert.match(planClip({ ...base, format: 'mp4' }).error, /unknown clip format 'mp4'/);
  assert.match(planClip({ ...base, sceneWidth: 0 }).error, /scene is not shown/);
});

test('past the frame limit the message says which k-th step would fit', () => {
  const p = planClip({ ...base, format: 'gif', to: 3000, last: 5000 });
  assert.match(p.error, /3001 frames is over the animated GIF limit of 1500: .* keep one step in 3 \("every 3"\)/);
  assert.equal(planClip({ ...base, format: 'gif', to: 3000, last: 5000, every: 3 }).steps.length, 1001);
});

test('file names say recording, episode and steps, with nothing unsafe in them', () => {
  const p = planClip({ ...base, from: 5, to: 24, every: 2 });
  assert.equal(clipFileName('cartpole-trained', 3, p), 'cartpole-trained-episode3-steps5-23.webm');
  assert.equal(clipFileName('../a b/c', 0, p), 'a_b_c-episode0-steps5-23.webm');
});

test('captions name the step, the action (by its label) and the reward', () => {
  const actionSpace = { type: 'Discrete', n: 4, start: 0, labels: ['up', 'down', 'left', 'right'] };
  assert.equal(captionText({ envId: 'PeterAndTheWolf-v0', episode: 2, step: 5, last: 19, reward: -0.01, action: 2, actionSpace }),
    'PeterAndTheWolf-v0 · episode 2   step 5 / 19   action 2 (left)   reward -0.01');
  assert.equal(captionText({ envId: 'Pendulum-v1', episode: 0, step: 3, last: 200, reward: -1.23456, action: [0.123456] }),
    'Pendulum-v1 · episode 0   step 3 / 200   action [0.123]   reward -1.23');
  assert.equal(captionText({ envId: 'CartPole-v1', episode: 0, step: 500, last: 500, reward: null, action: null }),
    'CartPole-v1 · episode 0   step 500 / 500');
  assert.equal(captionText({ envId: 'X', episode: 0, step: 1, last: 9, reward: 1, action: 1 }), 'X · episode 0   step 1 / 9   action 1   reward +1');
});

test('byte counts read as B, kB and MB', () => {
  assert.equal(formatBytes(900), '900 B');
  assert.equal(formatBytes(15_700), '15.3 kB');
  assert.equal(formatBytes(3.5 * 1024 * 1024), '3.5 MB');
});
