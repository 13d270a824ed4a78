// The episode page's one-screen arrangement, like an IDE: a header, the scene large at the top
// left, collapsible side panels on the right, the timeline across the bottom. The splits between
// scene and side column, top and timeline, and between side panels are dragged; panels collapse
// on a header click; the policy landscape docks beside the scene on demand; the arrangement is
// remembered (layout.js). Each part scrolls inside itself,
// the page never does.
import { loadLayout, saveLayout, withPanel, withSize } from './layout.js';

/** The side panels, top to bottom: name and title. */
export const SIDE_PANELS = [['observation', 'Observation'], ['action', 'Action'], ['infos', 'Info'], ['attribution', 'Attribution']];

/**
 * Builds the workbench in `root`; returns its parts' elements ({head, scene, timeline, panels:
 * {name: body element}}) and dispose(). `storage`: where the arrangement is remembered.
 */
export function createWorkbench(root, storage = safeStorage()) {
  let layout = loadLayout(storage);
  root.innerHTML = `
    <div class="workbench">
      <div class="wb-head" data-testid="episode-header"></div>
      <div class="wb-scene">
        <div class="wb-scene-view scene"></div>
        <button type="button" class="dock-toggle" data-testid="landscape-toggle" aria-pressed="false">policy landscape ▸</button>
        <div class="wb-dock" hidden></div>
      </div>
      <div class="wb-split vertical" data-split="sideWidth" title="drag to resize"></div>
      <div class="wb-side"></div>
      <div class="wb-split horizontal" data-split="timelineHeight" title="drag to resize"></div>
      <div class="wb-timeline"></div>
    </div>`;
  const grid = root.querySelector('.workbench');
  const side = root.querySelector('.wb-side');
  const panels = {};
  const sections = {};
  SIDE_PANELS.forEach(([name, title], i) => {
    const section = document.createElement('section');
    section.className = 'side-panel';
    section.dataset.panel = name;
    section.innerHTML = `<h2 class="side-head" data-testid="panel-${name}-header" role="button" tabindex="0" aria-expanded="true"><span class="chev">▾</span> ${title}</h2><div class="side-body"></div>`;
    side.appendChild(section);
    if (i < SIDE_PANELS.length - 1) {
      const handle = document.createElement('div');
      handle.className = 'wb-split panel-split';
      handle.dataset.panelSplit = name;
      handle.title = 'drag to resize';
      side.appendChild(handle);
    }
    panels[name] = section.querySelector('.side-body');
    sections[name] = section;
    const head = section.querySelector('.side-head');
    const toggle = () => update(withPanel(layout, name, { collapsed: !layout.panels[name].collapsed }));
    head.addEventListener('click', toggle);
    head.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation(); // space would also play
        toggle();
      }
    });
  });

  const dock = root.querySelector('.wb-dock');
  const dockToggle = root.querySelector('.dock-toggle');
  dockToggle.addEventListener('click', () => update({ ...layout, dockOpen: !layout.dockOpen }));

  function apply() {
    // the landscape dock shares the scene's area: the scene is the larger part, both stay visible
    dock.hidden = !layout.dockOpen;
    dockToggle.setAttribute('aria-pressed', String(layout.dockOpen));
    dockToggle.textContent = layout.dockOpen ? '◂ hide landscape' : 'policy landscape ▸';
    dock.dispatchEvent(new CustomEvent('rld-dock', { detail: { open: layout.dockOpen } }));
    if (layout.sideWidth === null) grid.style.removeProperty('--side-width');
    else grid.style.setProperty('--side-width', `${layout.sideWidth}px`);
    if (layout.timelineHeight === null) grid.style.removeProperty('--timeline-height');
    else grid.style.setProperty('--timeline-height', `${layout.timelineHeight}px`);
    // the last open panel takes the height left, so the column is always filled
    const open = SIDE_PANELS.map(([n]) => n).filter((n) => !layout.panels[n].collapsed);
    const filler = open[open.length - 1];
    for (const [name] of SIDE_PANELS) {
      const p = layout.panels[name];
      const section = sections[name];
      section.classList.toggle('collapsed', p.collapsed);
      section.querySelector('.side-head').setAttribute('aria-expanded', String(!p.collapsed));
      section.querySelector('.chev').textContent = p.collapsed ? '▸' : '▾';
      // a panel is as tall as its content up to its height (four CartPole rows leave no blank),
      // scrolling inside beyond it; the filler takes what is left
      section.style.flex = p.collapsed ? '0 0 auto' : name === filler ? '1 1 0' : '0 1 auto';
      section.style.maxHeight = !p.collapsed && name !== filler ? `${p.height ?? 200}px` : '';
      // the filler (the attribution table, usually) keeps a usable share when the others are tall
      section.style.minHeight = !p.collapsed && name === filler ? 'min(45%, 320px)' : '';
    }
    side.querySelectorAll('[data-panel-split]').forEach((h) => {
      const n = h.dataset.panelSplit;
      h.hidden = layout.panels[n].collapsed || n === filler;
    });
  }

  function update(next, save = true) {
    layout = next;
    apply();
    if (save) saveLayout(storage, layout);
  }

  // Dragging: pointer capture on the handle, sizes from the pointer's travel since the press.
  grid.addEventListener('pointerdown', (e) => {
    const handle = e.target.closest('.wb-split');
    if (!handle || e.button !== 0) return;
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    // sizes not dragged yet follow the window: start from what is shown
    const start = { x: e.clientX, y: e.clientY, layout: { ...layout,
      sideWidth: layout.sideWidth ?? side.getBoundingClientRect().width,
      timelineHeight: layout.timelineHeight ?? grid.querySelector('.wb-timeline').getBoundingClientRect().height } };
    const split = handle.dataset.split;
    const panel = handle.dataset.panelSplit;
    const startHeight = panel ? sections[panel].getBoundingClientRect().height : 0;
    grid.classList.add('dragging');
    const move = (m) => {
      const dx = m.clientX - start.x;
      const dy = m.clientY - start.y;
      if (split === 'sideWidth') update(withSize(start.layout, 'sideWidth', start.layout.sideWidth - dx), false);
      else if (split === 'timelineHeight') update(withSize(start.layout, 'timelineHeight', start.layout.timelineHeight - dy), false);
      else if (panel) update(withPanel(start.layout, panel, { height: startHeight + dy }), false);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      grid.classList.remove('dragging');
      saveLayout(storage, layout);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });

  apply();
  return {
    head: root.querySelector('.wb-head'),
    scene: root.querySelector('.wb-scene-view'),
    /** The landscape's dock beside the scene; it hears 'rld-dock' ({open}) when shown or hidden. */
    dock,
    timeline: root.querySelector('.wb-timeline'),
    panels,
    get layout() { return layout; },
  };
}

/** localStorage, or nothing where the browser refuses it (the layout is then not remembered). */
function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
