// The landscape dock beside the scene: made when it first opens, it then follows the view state
// (the step's recorded row, or the edited observation while surgery edits it) and the
// attribution panel's answers (its default axes), and computes only while open.
import { createLandscapePanel } from './panels/landscape.js';
import { rankingAt } from './landscape.js';
import { shownObservation } from './edits.js';
import { unflattenObservation } from './spaces.js';
import { watch } from './state.js';

/** The dock in `element` (workbench.js's, which hears 'rld-dock'); setAttributions(answer) from the attribution panel. */
export function createLandscapeDock(element, store, { rollout, metadata, rowsSoFar }) {
  const labels = (metadata.features?.observations || []).map((f) => f.label);
  let panel = null;
  let open = !element.hidden;
  let attributions = null;

  function show(s) {
    const shown = shownObservation(s, metadata.observationSpace, unflattenObservation);
    if (!open || !shown) return;
    if (!panel) panel = createLandscapePanel(element, { rollout, metadata, rowsSoFar });
    panel.setRanking(rankingAt(attributions, shown.step, labels));
    panel.update(shown.step, shown.flat, shown.raw, s.how === 'play' && !shown.edited);
  }
  const onDock = (e) => {
    open = e.detail.open;
    show(store.get());
  };
  element.addEventListener('rld-dock', onDock);
  const stop = watch(store, ['recorded', 'edits'], show);
  return {
    setAttributions(answer) {
      attributions = answer;
      const step = store.get().recorded?.step;
      if (panel && step !== undefined) panel.setRanking(rankingAt(answer, step, labels));
    },
    dispose() {
      stop();
      element.removeEventListener('rld-dock', onDock);
      if (panel) panel.dispose();
    },
  };
}
