// What a clip will be before any frame is drawn: which steps, at what size and frame rate, and
// whether it stays within the limits. A GIF holds 256 colours a frame and grows fast, so it gets
// a smaller frame and fewer frames than a WebM video.

/** Per format: the most frames, the longest side of a frame (px) and the most bytes a clip may have. */
export const CLIP_LIMITS = Object.freeze({
  webm: Object.freeze({ maxFrames: 20_000, maxSide: 1280, maxBytes: 256 * 1024 * 1024, label: 'WebM video' }),
  gif: Object.freeze({ maxFrames: 1_500, maxSide: 640, maxBytes: 64 * 1024 * 1024, label: 'animated GIF' }),
});

/** Pixels of the caption band under the scene (step counter, reward, action), at a 720 px wide frame. */
export const CAPTION_HEIGHT = 26;

/** GIF frame delays are in hundredths of a second: 50 frames a second is the fastest browsers play. */
const GIF_MAX_FPS = 50;

/**
 * The plan of a clip of steps `from`…`to` (inclusive; integers within 0…`last`) keeping every
 * `every`-th step, played at `fps` frames a second, of a scene shown `sceneWidth`×`sceneHeight`
 * CSS px. Returns {format, steps, width, height, sceneHeight, caption, fps, frameSeconds} or
 * {error} naming what is wrong.
 */
export function planClip({ format, from, to, last, fps, every = 1, sceneWidth, sceneHeight }) {
  const limits = CLIP_LIMITS[format];
  if (!limits) return { error: `unknown clip format '${format}' (webm, gif)` };
  for (const [name, v] of [['from', from], ['to', to]]) {
    if (!Number.isInteger(v) || v < 0 || v > last) return { error: `${name} must be a step from 0 to ${last}, got ${v}` };
  }
  if (from > to) return { error: `the range is empty: from (${from}) is after to (${to})` };
  if (!Number.isInteger(every) || every < 1) return { error: `every must be a whole number of steps ≥ 1, got ${every}` };
  if (!(fps > 0) || !Number.isFinite(fps)) return { error: `the frame rate must be positive, got ${fps}` };
  const count = Math.floor((to - from) / every) + 1;
  if (count > limits.maxFrames) {
    const k = Math.ceil((to - from + 1) / limits.maxFrames);
    return { error: `${count} frames is over the ${limits.label} limit of ${limits.maxFrames}: pick a shorter range or keep one step in ${k} ("every ${k}")` };
  }
  if (!(sceneWidth >= 1 && sceneHeight >= 1)) return { error: 'the scene is not shown: open the episode page with its scene in view' };
  const shownFps = format === 'gif' ? Math.min(fps, GIF_MAX_FPS) : fps;
  const steps = Array.from({ length: count }, (_, i) => from + i * every);
  const scale = Math.min(1, limits.maxSide / Math.max(sceneWidth, sceneHeight));
  // even sides: video encoders work on 2×2 blocks of chroma
  const even = (v) => Math.max(2, 2 * Math.round(v / 2));
  const width = even(sceneWidth * scale);
  const caption = even(CAPTION_HEIGHT * Math.max(0.75, width / 720));
  const sceneH = even(sceneHeight * scale);
  return {
    format, steps, width, height: sceneH + caption, sceneHeight: sceneH, caption,
    fps: shownFps, frameSeconds: 1 / shownFps, maxBytes: limits.maxBytes,
  };
}

/** A file name that says what the clip shows: recording, episode and steps. */
export function clipFileName(recording, episode, plan) {
  const safe = String(recording).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'recording';
  const first = plan.steps[0];
  const lastStep = plan.steps[plan.steps.length - 1];
  return `${safe}-episode${episode}-steps${first}-${lastStep}.${plan.format}`;
}

/**
 * The clip's caption: where it is (episode, step of the episode's last) and what happened there;
 * a Discrete action by its label when the action space names its values.
 */
export function captionText({ envId, episode, step, last, reward, action, actionSpace }) {
  const parts = [`${envId || 'episode'} · episode ${episode}`, `step ${step} / ${last}`];
  const label = actionSpace?.type === 'Discrete' && Array.isArray(actionSpace.labels)
    ? actionSpace.labels[action - (actionSpace.start || 0)] : undefined;
  if (action !== null && action !== undefined) parts.push(`action ${formatAction(action)}${label ? ` (${label})` : ''}`);
  if (typeof reward === 'number' && Number.isFinite(reward)) parts.push(`reward ${signed(reward)}`);
  return parts.join('   ');
}

function formatAction(a) {
  if (Array.isArray(a)) return `[${a.slice(0, 6).map((v) => (typeof v === 'number' ? short(v) : String(v))).join(', ')}${a.length > 6 ? ', …' : ''}]`;
  return typeof a === 'number' ? short(a) : typeof a === 'object' ? '{…}' : String(a);
}

const short = (v) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(3)).toString());
const signed = (v) => (v > 0 ? `+${short(v)}` : short(v));

/** "3.4 MB" for a byte count. */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
