import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameRGBA, heatmapRGBA, imageLayout, valueScale } from '../src/scenes/pixels.js';

const box = (shape, extra = {}) => ({ type: 'Box', dtype: 'uint8', shape, low: 0, high: 255, ...extra });

test('image layouts: [H, W], [H, W, 1|3|4], stacked frames; anything else is no image', () => {
  assert.deepEqual(imageLayout(box([2, 3])), { height: 2, width: 3, channels: 1, mode: 'grey', channelFirst: false });
  assert.equal(imageLayout(box([2, 3, 1])).mode, 'grey');
  assert.equal(imageLayout(box([2, 3, 3])).mode, 'rgb');
  assert.equal(imageLayout(box([2, 3, 4])).mode, 'rgba');
  assert.deepEqual(imageLayout(box([84, 84, 2])), { height: 84, width: 84, channels: 2, mode: 'stack', channelFirst: false });
  assert.equal(imageLayout(box([4])), null);
  assert.equal(imageLayout(box([2, 2, 2, 2])), null);
  assert.equal(imageLayout({ type: 'Discrete', n: 2 }), null);
  assert.equal(imageLayout(null), null);
});

test('grey uint8 frame: one byte per pixel repeated in R, G, B, opaque', () => {
  const out = frameRGBA([0, 255, 128, 300], imageLayout(box([2, 2])), valueScale(box([2, 2])));
  assert.deepEqual([...out], [0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
});

test('RGB and RGBA frames are channel last', () => {
  const rgb = frameRGBA([10, 20, 30, 40, 50, 60], imageLayout(box([1, 2, 3])));
  assert.deepEqual([...rgb], [10, 20, 30, 255, 40, 50, 60, 255]);
  const rgba = frameRGBA([1, 2, 3, 4], imageLayout(box([1, 1, 4])));
  assert.deepEqual([...rgba], [1, 2, 3, 4]);
});

test('stacked grey frames show the last frame', () => {
  // [1, 2, 5]: two pixels, five grey frames each
  const k5 = frameRGBA([1, 2, 3, 4, 50, 6, 7, 8, 9, 100], imageLayout(box([1, 2, 5])));
  assert.deepEqual([...k5], [50, 50, 50, 255, 100, 100, 100, 255]);
  const k2 = frameRGBA([1, 20, 3, 40], imageLayout(box([2, 1, 2])));
  assert.deepEqual([...k2], [20, 20, 20, 255, 40, 40, 40, 255]);
});

test('channel-first stacks [K, H, W]: K <= 8 frames of at least 16 x 16, last dimension not 1, 3 or 4', () => {
  assert.deepEqual(imageLayout(box([2, 84, 84])), { height: 84, width: 84, channels: 2, mode: 'stack', channelFirst: true });
  assert.deepEqual(imageLayout(box([4, 16, 20])), { height: 16, width: 20, channels: 4, mode: 'stack', channelFirst: true });
  assert.equal(imageLayout(box([8, 84, 84])).channelFirst, true);
  // channel last as before: too many frames, frames too small, or colour last
  assert.deepEqual(imageLayout(box([9, 84, 84])), { height: 9, width: 84, channels: 84, mode: 'stack', channelFirst: false });
  assert.equal(imageLayout(box([2, 15, 84])).channelFirst, false);
  assert.equal(imageLayout(box([3, 84, 3])).mode, 'rgb');
  assert.equal(imageLayout(box([84, 84, 4])).mode, 'rgba');
  assert.equal(imageLayout(box([1, 2, 5])).channelFirst, false);
});

test('a channel-first stack shows its latest (last) frame', () => {
  // [2, 16, 16]: frame 0 all 10, frame 1 the pixel index (0..255)
  const obs = [...new Array(256).fill(10), ...Array.from({ length: 256 }, (_, i) => i)];
  const layout = imageLayout(box([2, 16, 16]));
  const out = frameRGBA(obs, layout, valueScale(box([2, 16, 16])));
  assert.equal(out.length, 256 * 4);
  assert.deepEqual([...out.slice(0, 4)], [0, 0, 0, 255]);
  assert.deepEqual([...out.slice(17 * 4, 18 * 4)], [17, 17, 17, 255]);
  assert.deepEqual([...out.slice(255 * 4)], [255, 255, 255, 255]);
  // per-element float bounds are looked up at the element of the latest frame
  const space = { type: 'Box', dtype: 'float32', shape: [2, 16, 16], low: 0, high: [...new Array(256).fill(1), ...new Array(256).fill(510)] };
  const floats = frameRGBA(obs, imageLayout(space), valueScale(space, obs));
  assert.deepEqual([...floats.slice(255 * 4, 255 * 4 + 3)], [128, 128, 128]);
});

test('channel-first heatmap: a pixel sums its value in every frame', () => {
  const layout = imageLayout(box([2, 16, 16]));
  const values = new Array(512).fill(0);
  values[3] = 0.25; // frame 0, pixel 3
  values[256 + 3] = 0.25; // frame 1, pixel 3
  values[256 + 4] = -0.5; // frame 1 only, pixel 4
  values[1] = 0.1; // frame 0 only, pixel 1; channel last would have read values[2], values[3] for it
  const out = heatmapRGBA(values, layout, 1);
  assert.equal(out.length, 256 * 4);
  assert.deepEqual([...out.slice(12, 16)], [0x2f, 0x6d, 0xb5, 128]);
  assert.deepEqual([...out.slice(16, 20)], [0xd0, 0x45, 0x3b, 128]);
  assert.equal(out[7], Math.round(0.1 * 255));
  assert.equal(out[3], 0);
  assert.equal(heatmapRGBA(new Array(256).fill(0.5), layout, 1)[3], 128, 'H*W values still work');
  assert.equal(heatmapRGBA(new Array(300).fill(0), layout), null);
});

test('float frames scale by the Box bounds, or by the frame when unbounded', () => {
  const space = { type: 'Box', dtype: 'float32', shape: [1, 2], low: -1, high: 1 };
  assert.deepEqual([...frameRGBA([-1, 0], imageLayout(space), valueScale(space, [-1, 0]))], [0, 0, 0, 255, 128, 128, 128, 255]);
  const perElement = { ...space, low: [[0, 0]], high: [[1, 2]] };
  assert.deepEqual([...frameRGBA([1, 1], imageLayout(perElement), valueScale(perElement, [1, 1]))], [255, 255, 255, 255, 128, 128, 128, 255]);
  const open = { ...space, low: '-Infinity', high: 'Infinity' };
  assert.deepEqual([...frameRGBA([5, 10], imageLayout(open), valueScale(open, [5, 10]))], [0, 0, 0, 255, 255, 255, 255, 255]);
});

test('heatmap: channels summed per pixel, positive blue, negative red, alpha by |v|', () => {
  const layout = imageLayout(box([1, 3, 3]));
  const out = heatmapRGBA([0.2, 0.2, 0.1, -0.5, 0, 0, 0, 0, 0], layout, 1);
  assert.deepEqual([...out.slice(0, 4)], [0x2f, 0x6d, 0xb5, 128]);
  assert.deepEqual([...out.slice(4, 8)], [0xd0, 0x45, 0x3b, 128]);
  assert.equal(out[11], 0);
  // sums beyond 1 are scaled back by the largest
  const big = heatmapRGBA([1, 1, 1, -0.5, -0.5, -0.5, 0, 0, 0], layout, 1);
  assert.equal(big[3], 255);
  assert.equal(big[7], 128);
});

test('heatmap takes H*W values too, and refuses other lengths', () => {
  const layout = imageLayout(box([1, 2, 3]));
  assert.deepEqual([...heatmapRGBA([1, -1], layout, 0.5)], [0x2f, 0x6d, 0xb5, 128, 0xd0, 0x45, 0x3b, 128]);
  assert.equal(heatmapRGBA([1, 2, 3], layout), null);
  assert.equal(heatmapRGBA(null, layout), null);
});

test('image observation spaces get the image scene, after the env-id scenes', async () => {
  const { sceneFor, SCENES } = await import('../src/scenes/index.js');
  assert.equal(sceneFor('ALE/Pong-v5', '', box([210, 160, 3])), SCENES.image);
  assert.equal(sceneFor('', '', box([84, 84, 4])), SCENES.image);
  assert.equal(sceneFor('Catch-v0', '', box([2, 84, 84])), SCENES.image);
  assert.equal(sceneFor('', '', box([4])), SCENES.generic);
  assert.equal(sceneFor('CartPole-v1', '', box([4])), SCENES.cartpole);
  assert.equal(sceneFor('Pendulum-v1', '', box([3])), SCENES.pendulum);
  assert.equal(sceneFor('', 'generic', box([84, 84])), SCENES.generic);
});
