// One frame of a clip: the scene as the user sees it — its WebGL canvas, any canvases stacked on it
// and its HTML overlays (legends, colour scales) — scaled into the clip's frame, with a caption
// band under it carrying the step counter. HTML overlays are rasterised with html-to-image; a
// legend changes rarely, so each distinct one is rasterised once and reused.
import { toCanvas } from 'html-to-image';

const CAPTION_BACKGROUND = '#1f2430';
const CAPTION_TEXT = '#f4f6f8';
const SCENE_BACKGROUND = '#f4f6f8';
/** Controls are for the user at the screen, not for the viewer of the clip. */
const SKIPPED = 'input, select, button, .edit-hint, .dock-toggle, [data-clip="skip"]';

/** A composer of frames of `plan`'s size from the scene element `sceneEl`; draw(caption) paints one. */
export function createFrameComposer(sceneEl, plan) {
  const canvas = document.createElement('canvas');
  canvas.width = plan.width;
  canvas.height = plan.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: plan.format === 'gif' });
  const rasters = new Map(); // outerHTML → canvas of a rasterised overlay (bounded below)

  async function overlayImage(el) {
    const key = `${el.offsetWidth}x${el.offsetHeight}:${el.outerHTML}`;
    if (!rasters.has(key)) {
      if (rasters.size > 64) rasters.clear();
      const image = await toCanvas(el, {
        pixelRatio: 2,
        // the clone is drawn at its own origin: the overlay's placement in the scene would push it out of view
        style: { position: 'static', left: 'auto', top: 'auto', right: 'auto', bottom: 'auto', margin: '0' },
        filter: (node) => !(node instanceof Element && node.matches(SKIPPED)),
      }).catch((e) => {
        console.warn(`the clip leaves out the overlay '${el.className}': ${e.message || e}`);
        return null; // an overlay that cannot be drawn is left out, not the frame
      });
      rasters.set(key, image);
    }
    return rasters.get(key);
  }

  return {
    canvas,
    async draw(caption) {
      const box = sceneEl.getBoundingClientRect();
      const sx = plan.width / box.width;
      const sy = plan.sceneHeight / box.height;
      ctx.fillStyle = SCENE_BACKGROUND;
      ctx.fillRect(0, 0, plan.width, plan.sceneHeight);
      const place = (el) => {
        const r = el.getBoundingClientRect();
        return [(r.left - box.left) * sx, (r.top - box.top) * sy, r.width * sx, r.height * sy];
      };
      // canvases first, in document order (the scene, then overlays drawn on canvases)
      for (const c of sceneEl.querySelectorAll('canvas')) {
        if (c.width > 0 && c.height > 0 && visible(c)) ctx.drawImage(c, ...place(c));
      }
      for (const el of sceneEl.children) {
        if (el.tagName === 'CANVAS' || !visible(el) || el.matches(SKIPPED) || el.querySelector('canvas')) continue;
        const image = await overlayImage(el);
        if (image) ctx.drawImage(image, ...place(el));
      }
      drawCaption(ctx, plan, caption);
      return canvas;
    },
  };
}

function visible(el) {
  if (el.hidden) return false;
  const s = getComputedStyle(el);
  return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0 && el.offsetWidth > 0;
}

function drawCaption(ctx, plan, text) {
  const y = plan.sceneHeight;
  ctx.fillStyle = CAPTION_BACKGROUND;
  ctx.fillRect(0, y, plan.width, plan.caption);
  ctx.fillStyle = CAPTION_TEXT;
  ctx.font = `${Math.round(plan.caption * 0.55)}px ui-monospace, "DejaVu Sans Mono", monospace`;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, Math.round(plan.caption * 0.4), y + plan.caption / 2, plan.width - plan.caption * 0.8);
}
