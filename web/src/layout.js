// The episode workbench's arrangement, remembered per browser: the side column's width, the
// timeline's height, whether the landscape dock is open, and per side panel whether it is
// collapsed and its height. Pure: the
// storage (localStorage, or a Map-like fake in tests) is passed in.

export const LAYOUT_KEY = 'rld.layout.v1';

/** A first visit's arrangement; sizes in CSS pixels (`null` height: the panel takes the space left). */
export const DEFAULT_LAYOUT = Object.freeze({
  sideWidth: null, // until dragged: a share of the window (style.css), so wide screens give the panels room
  timelineHeight: null, // until dragged: a share of the window's height (style.css), so short windows keep the panels
  dockOpen: false, // the policy landscape beside the scene
  panels: Object.freeze({
    observation: Object.freeze({ collapsed: false, height: 170 }),
    action: Object.freeze({ collapsed: false, height: 104 }),
    infos: Object.freeze({ collapsed: false, height: 64 }),
    attribution: Object.freeze({ collapsed: false, height: null }),
  }),
});

/** Bounds that keep every part usable whatever was stored (a window smaller since, a bad edit). */
export const LIMITS = { sideWidth: [260, 1200], timelineHeight: [140, 900], panelHeight: [48, 1200] };

export const clamp = (v, [lo, hi]) => Math.max(lo, Math.min(hi, v));

const num = (v, fallback, limits) => (Number.isFinite(v) ? clamp(v, limits) : fallback);

/** The stored arrangement merged over the defaults; unreadable or invalid parts fall back to them. */
export function loadLayout(storage, defaults = DEFAULT_LAYOUT) {
  let stored = {};
  try {
    stored = JSON.parse(storage?.getItem(LAYOUT_KEY) || '{}') || {};
  } catch {
    stored = {};
  }
  const panels = {};
  for (const [name, d] of Object.entries(defaults.panels)) {
    const s = stored.panels?.[name] || {};
    panels[name] = {
      collapsed: typeof s.collapsed === 'boolean' ? s.collapsed : d.collapsed,
      height: d.height === null ? null : num(s.height, d.height, LIMITS.panelHeight),
    };
  }
  return {
    sideWidth: num(stored.sideWidth, defaults.sideWidth, LIMITS.sideWidth),
    timelineHeight: num(stored.timelineHeight, defaults.timelineHeight, LIMITS.timelineHeight),
    dockOpen: typeof stored.dockOpen === 'boolean' ? stored.dockOpen : defaults.dockOpen,
    panels,
  };
}

/** Stores the arrangement; a storage that refuses (private mode, quota) only loses the memory. */
export function saveLayout(storage, layout) {
  try {
    storage?.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch { /* not remembered */ }
}

/** The arrangement with panel `name` changed by `patch` ({collapsed} or {height}), heights clamped. */
export function withPanel(layout, name, patch) {
  const old = layout.panels[name] || { collapsed: false, height: null };
  const next = { ...old, ...patch };
  if (next.height !== null && next.height !== undefined) next.height = clamp(next.height, LIMITS.panelHeight);
  return { ...layout, panels: { ...layout.panels, [name]: next } };
}

/** The arrangement after dragging a split by `delta` px: `what` is sideWidth or timelineHeight. */
export function withSize(layout, what, value) {
  return { ...layout, [what]: clamp(value, LIMITS[what]) };
}
