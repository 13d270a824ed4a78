// Pure helpers of the image scene: which Box shapes are images, observation -> RGBA bytes, and
// attributions -> an RGBA heatmap (positive blue, negative red, as the attribution bars).
import { divergingColour, scaleEnd } from './colour-scale.js';

/** Most frames a channel-first stack [K, H, W] may have, and fewest pixels a side of its frames. */
export const MAX_STACK = 8;
export const MIN_SIDE = 16;

/**
 * The image layout of an observation space, or null: a Box of shape [H, W] (grey), [H, W, C] with
 * C in {1, 3, 4} (channel last: grey, RGB, RGBA), [H, W, K] with another K (K stacked grey frames,
 * channel last), or [K, H, W] (K stacked grey frames, stack axis first, as Gymnasium's
 * FrameStackObservation stacks them) when K <= MAX_STACK, H and W >= MIN_SIDE and the last
 * dimension is not 1, 3 or 4 — the server's occlusion reads shapes by the same rule. A stack shows
 * its last (latest) frame. `channels` is C or K (1 for [H, W]); `channelFirst` says where it is.
 */
export function imageLayout(space) {
  if (!space || space.type !== 'Box' || !Array.isArray(space.shape)) return null;
  const shape = space.shape.map(Number);
  if (shape.length < 2 || shape.length > 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) return null;
  if (shape.length === 3 && ![1, 3, 4].includes(shape[2]) && shape[0] <= MAX_STACK
      && shape[1] >= MIN_SIDE && shape[2] >= MIN_SIDE) {
    const [channels, height, width] = shape;
    return { height, width, channels, mode: 'stack', channelFirst: true };
  }
  const [height, width, channels = 1] = shape;
  const mode = channels === 1 ? 'grey' : channels === 3 ? 'rgb' : channels === 4 ? 'rgba' : 'stack';
  return { height, width, channels, mode, channelFirst: false };
}

/**
 * How values map to [0, 1]: uint8 by 0–255; other dtypes by the Box bounds (per element when
 * they are arrays) when finite, else by the frame's own min and max. Returns (v, i) => [0, 1].
 */
export function valueScale(space, observation = []) {
  if (String(space?.dtype || '') === 'uint8') return (v) => v / 255;
  const flat = (b) => (Array.isArray(b) ? b.flat(Infinity).map(Number) : Number(b));
  const low = flat(space?.low);
  const high = flat(space?.high);
  const at = (b, i) => (Array.isArray(b) ? b[i] : b);
  let min = Infinity;
  let max = -Infinity;
  for (const v of observation) if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  return (v, i) => {
    let lo = at(low, i);
    let hi = at(high, i);
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) { lo = min; hi = max; }
    return hi > lo ? (v - lo) / (hi - lo) : 0;
  };
}

/** The frame as RGBA bytes, row 0 first (H * W * 4), from the flat observation in the layout's order. */
export function frameRGBA(observation, layout, scale = (v) => v / 255) {
  const { height, width, channels, mode, channelFirst } = layout;
  if (channelFirst) return latestFrameRGBA(observation, layout, scale);
  const out = new Uint8Array(height * width * 4);
  const byte = (i) => {
    const v = observation[i];
    if (!Number.isFinite(v)) return 0;
    return Math.round(Math.max(0, Math.min(1, scale(v, i))) * 255);
  };
  for (let p = 0; p < height * width; p++) {
    const base = p * channels;
    const o = p * 4;
    if (mode === 'rgb' || mode === 'rgba') {
      out[o] = byte(base);
      out[o + 1] = byte(base + 1);
      out[o + 2] = byte(base + 2);
      out[o + 3] = mode === 'rgba' ? byte(base + 3) : 255;
    } else {
      const g = byte(base + (mode === 'stack' ? channels - 1 : 0));
      out[o] = out[o + 1] = out[o + 2] = g;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** The last frame of a channel-first stack [K, H, W] as grey RGBA bytes. */
function latestFrameRGBA(observation, { height, width, channels }, scale) {
  const pixels = height * width;
  const first = (channels - 1) * pixels;
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const v = observation[first + p];
    const g = Number.isFinite(v) ? Math.round(Math.max(0, Math.min(1, scale(v, first + p))) * 255) : 0;
    const o = p * 4;
    out[o] = out[o + 1] = out[o + 2] = g;
    out[o + 3] = 255;
  }
  return out;
}

/**
 * Per-pixel sums of values of length H*W*C (channels or stacked frames summed) or H*W, as a
 * Float64Array of H*W; null when the length fits neither.
 */
export function pixelSums(values, layout) {
  const { height, width, channels } = layout;
  const pixels = height * width;
  if (!values || (values.length !== pixels * channels && values.length !== pixels)) return null;
  const per = values.length / pixels;
  // Channel last: a pixel's values are adjacent; channel first: one whole frame apart.
  const at = layout.channelFirst ? (p, c) => c * pixels + p : (p, c) => p * per + c;
  const sums = new Float64Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let s = 0;
    for (let c = 0; c < per; c++) {
      const v = values[at(p, c)];
      if (Number.isFinite(v)) s += v;
    }
    sums[p] = s;
  }
  return sums;
}

/**
 * Per-pixel attributions (see pixelSums) as RGBA bytes on the diverging colour scale: blue for
 * positive, red for negative, opacity |v| * maxAlpha; sums beyond ±1 are scaled back into
 * [-1, 1] by the largest. Returns null when the length fits no pixel count.
 */
export function heatmapRGBA(values, layout, maxAlpha = 0.75) {
  const sums = pixelSums(values, layout);
  if (!sums) return null;
  const largest = scaleEnd(sums);
  const k = largest > 1 ? 1 / largest : 1;
  const out = new Uint8Array(sums.length * 4);
  for (let p = 0; p < sums.length; p++) {
    const [r, g, b, a] = divergingColour(sums[p] * k, maxAlpha);
    out.set([r, g, b, Math.round(a * 255)], p * 4);
  }
  return out;
}
