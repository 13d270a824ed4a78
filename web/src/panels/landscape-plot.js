// The landscape's drawing on one canvas: the heatmap of the target's value per cell on the
// sequential scale, white lines where the greedy action changes, the episode's trajectory through
// the two features, the current observation as a ringed dot, axes with ticks and units, and the
// colour bar with its numeric ends. Hovering a cell tells its values in words.
import { actionBoundaries, cellPosition, niceTicks, valueRange } from '../landscape.js';
import { sequentialColour } from '../scenes/colour-scale.js';
import { fmtSig } from '../format.js';

const M = { left: 62, right: 62, top: 8, bottom: 36 };
const BAR = 12;
/** Steps on each side of the current one drawn strongly on the trajectory. */
const RECENT = 5;

/** A plot in `container`; draw(answer, {trajectory, step, xLabel, yLabel, what, actionLabel}) redraws it. */
export function createLandscapePlot(container) {
  const canvas = document.createElement('canvas');
  canvas.className = 'landscape-canvas';
  canvas.dataset.testid = 'landscape-canvas';
  const tip = document.createElement('div');
  tip.className = 'landscape-tip';
  tip.dataset.testid = 'landscape-tip';
  tip.hidden = true;
  container.append(canvas, tip);
  let last = null; // {answer, opts, area}
  const observer = new ResizeObserver(() => last && draw(last.answer, last.opts));
  observer.observe(container);

  function draw(answer, opts) {
    const width = Math.max(160, container.clientWidth);
    const height = Math.max(160, Math.min(container.clientHeight || width, width + M.top + M.bottom - M.left - M.right));
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const area = { x: M.left, y: M.top, w: width - M.left - M.right, h: height - M.top - M.bottom };
    last = { answer, opts, area };
    // where the cells are, in CSS pixels, for tests and tools that read the picture
    canvas.dataset.area = [area.x, area.y, area.w, area.h].join(',');
    const nx = answer.x.length;
    const ny = answer.y.length;
    const cw = area.w / nx;
    const ch = area.h / ny;
    const [lo, hi] = valueRange(answer.values, answer.output);
    // cells: y[0] at the bottom, as on any plot
    const img = new ImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const [r, gg, b] = sequentialColour((answer.values[j][i] - lo) / (hi - lo));
        const at = ((ny - 1 - j) * nx + i) * 4;
        img.data.set([r, gg, b, 255], at);
      }
    }
    const cells = document.createElement('canvas');
    cells.width = nx;
    cells.height = ny;
    cells.getContext('2d').putImageData(img, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(cells, area.x, area.y, area.w, area.h);

    const px = (c) => area.x + (c + 0.5) * cw; // cell index (fractional) -> canvas x
    const py = (c) => area.y + area.h - (c + 0.5) * ch;
    // where the greedy action changes
    const { vertical, horizontal } = actionBoundaries(answer.actions);
    g.strokeStyle = 'rgba(255,255,255,0.95)';
    g.lineWidth = 1.5;
    g.beginPath();
    for (const [i, j] of vertical) {
      g.moveTo(area.x + i * cw, area.y + area.h - j * ch);
      g.lineTo(area.x + i * cw, area.y + area.h - (j + 1) * ch);
    }
    for (const [i, j] of horizontal) {
      g.moveTo(area.x + i * cw, area.y + area.h - j * ch);
      g.lineTo(area.x + (i + 1) * cw, area.y + area.h - j * ch);
    }
    g.stroke();
    // the episode's path through the two features (others held at the current step): faint over
    // the whole episode, strong over the steps just before and after this one
    // (dots: a policy that alternates its pushes would turn a line into a solid band)
    const path = (opts.trajectory || []).map(([x, y]) => [cellPosition(answer.x, x), cellPosition(answer.y, y)]);
    g.fillStyle = 'rgba(228,87,46,0.55)';
    for (const [x, y] of path) {
      if (Number.isFinite(x) && Number.isFinite(y)) g.fillRect(px(x) - 1.25, py(y) - 1.25, 2.5, 2.5);
    }
    const near = Number.isInteger(opts.step) ? path.slice(Math.max(0, opts.step - RECENT), opts.step + RECENT + 1) : [];
    g.strokeStyle = 'rgba(255,255,255,0.85)';
    g.lineWidth = 2.2;
    strokePath(g, near, px, py);
    g.strokeStyle = '#e4572e';
    g.lineWidth = 1.1;
    strokePath(g, near, px, py);
    const at = [cellPosition(answer.x, answer.at[0]), cellPosition(answer.y, answer.at[1])];
    if (at.every(Number.isFinite)) {
      g.beginPath();
      g.arc(px(at[0]), py(at[1]), 5.5, 0, 2 * Math.PI);
      g.fillStyle = '#e4572e';
      g.fill();
      g.lineWidth = 2;
      g.strokeStyle = '#fff';
      g.stroke();
    }
    axes(g, area, answer, opts);
    colourBar(g, area, lo, hi, opts.what);
  }

  canvas.addEventListener('mousemove', (e) => {
    if (!last) return;
    const { answer, opts, area } = last;
    const r = canvas.getBoundingClientRect();
    const i = Math.floor(((e.clientX - r.left - area.x) / area.w) * answer.x.length);
    const j = answer.y.length - 1 - Math.floor(((e.clientY - r.top - area.y) / area.h) * answer.y.length);
    if (i < 0 || j < 0 || i >= answer.x.length || j >= answer.y.length) {
      tip.hidden = true;
      return;
    }
    const action = answer.actions ? `, greedy action ${opts.actionLabel(answer.actions[j][i])}` : '';
    tip.textContent = `${opts.xLabel} ${fmtSig(answer.x[i])}, ${opts.yLabel} ${fmtSig(answer.y[j])}: `
      + `${opts.what} ${fmtSig(answer.values[j][i], 3)}${action}`;
    tip.hidden = false;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });

  return {
    draw,
    clear() {
      last = null;
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
    },
    dispose() {
      observer.disconnect();
    },
  };
}

/** A polyline through cell positions, broken where a point falls outside the grid. */
function strokePath(g, path, px, py) {
  g.beginPath();
  let open = false;
  for (const [x, y] of path) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { open = false; continue; }
    if (open) g.lineTo(px(x), py(y));
    else g.moveTo(px(x), py(y));
    open = true;
  }
  g.stroke();
}

/** Round values along an axis of swept values, with their positions in cells. */
function axisTicks(values) {
  const lo = Math.min(values[0], values[values.length - 1]);
  const hi = Math.max(values[0], values[values.length - 1]);
  const integers = values.every(Number.isInteger);
  const ts = integers && values.length <= 10 ? values : niceTicks(lo, hi, 5);
  return ts.map((t) => [t, values.length === 1 ? 0 : cellPosition(values, t)]).filter(([, c]) => Number.isFinite(c));
}

function axes(g, area, answer, opts) {
  const cw = area.w / answer.x.length;
  const ch = area.h / answer.y.length;
  g.fillStyle = '#1d232a';
  g.strokeStyle = '#66707a';
  g.lineWidth = 1;
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const [t, c] of axisTicks(answer.x)) {
    const x = area.x + (c + 0.5) * cw;
    g.beginPath();
    g.moveTo(x, area.y + area.h);
    g.lineTo(x, area.y + area.h + 4);
    g.stroke();
    g.fillText(fmtSig(t, 3), x, area.y + area.h + 5);
  }
  g.fillText(opts.xLabel, area.x + area.w / 2, area.y + area.h + 20);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const [t, c] of axisTicks(answer.y)) {
    const y = area.y + area.h - (c + 0.5) * ch;
    g.beginPath();
    g.moveTo(area.x - 4, y);
    g.lineTo(area.x, y);
    g.stroke();
    g.fillText(fmtSig(t, 3), area.x - 6, y);
  }
  g.save();
  g.translate(10, area.y + area.h / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText(opts.yLabel, 0, 0);
  g.restore();
}

function colourBar(g, area, lo, hi, what) {
  const x = area.x + area.w + 10;
  for (let k = 0; k < area.h; k++) {
    const [r, gg, b] = sequentialColour(1 - k / area.h);
    g.fillStyle = `rgb(${r},${gg},${b})`;
    g.fillRect(x, area.y + k, BAR, 1);
  }
  g.fillStyle = '#1d232a';
  g.textAlign = 'left';
  g.textBaseline = 'top';
  g.fillText(fmtSig(hi, 3), x + BAR + 3, area.y);
  g.textBaseline = 'bottom';
  g.fillText(fmtSig(lo, 3), x + BAR + 3, area.y + area.h);
  g.save();
  g.translate(x + BAR + 12, area.y + area.h / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(what, 0, 0);
  g.restore();
}
