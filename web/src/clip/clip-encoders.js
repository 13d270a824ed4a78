// The two clip encoders behind one shape: add(canvas) per frame, finish() → Blob, bytes so far.
// WebM: the browser's WebCodecs VideoEncoder (VP9, else VP8) muxed by mediabunny. GIF: gifenc,
// one 256-colour palette per frame. Both stop with a clear error past the plan's byte limit.
import { BufferTarget, CanvasSource, Output, QUALITY_HIGH, WebMOutputFormat, canEncodeVideo } from 'mediabunny';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { formatBytes } from './clip-plan.js';

/** An encoder for `plan` (clip-plan.js) drawing from `canvas`; throws with a message when the browser cannot. */
export async function createEncoder(plan, canvas) {
  return plan.format === 'gif' ? createGifEncoder(plan, canvas) : createWebmEncoder(plan, canvas);
}

function overLimit(bytes, plan) {
  return new Error(`the clip passed ${formatBytes(plan.maxBytes)} (the limit for this format) after `
    + `${formatBytes(bytes)}: pick a shorter range, keep every 2nd step, or export a WebM video`);
}

async function createWebmEncoder(plan, canvas) {
  if (typeof VideoEncoder === 'undefined') {
    throw new Error('this browser cannot encode video here (WebCodecs needs a secure context: open the viewer at '
      + 'http://127.0.0.1 or over https), export a GIF instead');
  }
  const size = { width: plan.width, height: plan.height };
  const codec = (await canEncodeVideo('vp9', size)) ? 'vp9' : (await canEncodeVideo('vp8', size)) ? 'vp8' : null;
  if (!codec) throw new Error(`this browser has no VP9 or VP8 encoder for ${plan.width}×${plan.height} frames, export a GIF instead`);
  const target = new BufferTarget();
  const output = new Output({ format: new WebMOutputFormat(), target });
  let bytes = 0;
  let failure = null;
  const source = new CanvasSource(canvas, {
    codec, quality: QUALITY_HIGH, keyFrameInterval: 2,
    onEncodedPacket: (packet) => {
      bytes += packet.byteLength;
      if (bytes > plan.maxBytes && !failure) failure = overLimit(bytes, plan);
    },
  });
  output.addVideoTrack(source, { frameRate: plan.fps });
  await output.start();
  let frame = 0;
  return {
    codec,
    get bytes() { return bytes; },
    async add() {
      if (failure) throw failure;
      await source.add(frame * plan.frameSeconds, plan.frameSeconds);
      frame += 1;
    },
    async finish() {
      if (failure) throw failure;
      await output.finalize();
      return new Blob([target.buffer], { type: 'video/webm' });
    },
    async cancel() {
      await output.cancel().catch(() => {});
    },
  };
}

function createGifEncoder(plan, canvas) {
  const gif = GIFEncoder();
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const delay = Math.round(1000 / plan.fps);
  return {
    codec: 'gif',
    get bytes() { return gif.bytesView().length; },
    async add() {
      const { data } = ctx.getImageData(0, 0, plan.width, plan.height);
      const palette = quantize(data, 256);
      gif.writeFrame(applyPalette(data, palette), plan.width, plan.height, { palette, delay });
      if (gif.bytesView().length > plan.maxBytes) throw overLimit(gif.bytesView().length, plan);
    },
    async finish() {
      gif.finish();
      return new Blob([gif.bytes()], { type: 'image/gif' });
    },
    async cancel() {},
  };
}
