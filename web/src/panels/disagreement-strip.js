// The disagreement strip, pinned at the top of the timeline's plot stack when two policies are
// attached (metadata.comparePolicy): per step, a bar of the distance between policy A's and B's
// answers (total variation of the distributions, or the distance of Box action means) and an
// orange mark over every run of steps where their greedy actions differ. It is a step plot
// (step-plot.js), so it shares the stack's step axis, cursor and click-to-seek (`rld-seek`).
import { getDisagreement } from '../data.js';
import { STRIP_MAX_ROWS, describe, differingRuns, distanceColumn, markBox, mergeAnswers, stepText, windows } from '../disagreement.js';
import { createStepPlot } from './step-plot.js';

const HEIGHT = 76;

export function createDisagreementStrip(stack, { rollout, episode, rows, metadata, fetch = getDisagreement }) {
  const element = document.createElement('div');
  element.dataset.order = '0';
  element.className = 'disagreement-strip';
  stack.insertBefore(element, stack.firstChild);
  const layer = document.createElement('div');
  layer.className = 'disagreement-marks';
  let answer = null;
  const plot = createStepPlot(element, `policy A (${metadata.policy?.name}) vs B (${metadata.comparePolicy?.name})`, {
    yLabel: 'A vs B', height: HEIGHT, testid: 'disagreement-strip', xAxis: false,
    // from 0 to the episode's largest distance: CartPole's checkpoints differ by hundredths
    yRange: (u, min, max) => [0, max > 0 ? max : 1],
    // marks sit in percent of the plot area, so a resize needs no layout; a rebuilt plot has a new area
    onDraw: (u) => { if (layer.parentNode !== u.over) u.over.appendChild(layer); },
  });
  const title = element.querySelector('h3');
  const note = document.createElement('span');
  note.className = 'strip-step';
  element.querySelector('.plot-head').appendChild(note);
  const x = Array.from({ length: rows }, (_, i) => i);
  const controller = new AbortController();

  function setState(state, text) {
    element.dataset.state = state;
    if (text) title.textContent = text;
  }

  function show(merged) {
    answer = merged;
    const runs = differingRuns(merged.steps);
    element.dataset.differing = String(merged.disagreeing);
    element.dataset.runs = String(runs.length);
    layer.replaceChildren(...runs.map((run) => {
      const mark = document.createElement('i');
      mark.className = 'disagreement-mark';
      mark.dataset.testid = 'disagreement-mark';
      mark.dataset.from = String(run.from);
      mark.dataset.to = String(run.to);
      const { left, width } = markBox(run, rows);
      mark.style.left = `${left}%`;
      mark.style.width = `max(2px, ${width}%)`;
      return mark;
    }));
    plot.set(x, [{ label: merged.measure === 'euclidean' ? 'distance' : 'total variation', bars: true, stroke: '#56606b', fill: 'rgba(86, 96, 107, 0.45)' }],
      [distanceColumn(merged.steps, rows)]);
    title.textContent = describe(merged);
    title.title = title.textContent;
  }

  async function load() {
    if (rows > STRIP_MAX_ROWS) {
      setState('too-long', `policy A vs B: the strip shows episodes of at most ${STRIP_MAX_ROWS.toLocaleString('en')} steps; ask GET …/disagreement?from=&to= for ranges`);
      return;
    }
    setState('loading', `policy A (${metadata.policy?.name}) vs B (${metadata.comparePolicy?.name}): evaluating both…`);
    const answers = [];
    try {
      for (const w of windows(rows)) {
        answers.push(await fetch(rollout, episode, w.from, w.to, controller.signal));
        show(mergeAnswers(answers));
      }
      setState('ready');
    } catch (e) {
      if (controller.signal.aborted) return;
      setState('error', `policy A vs B: could not compare the policies: ${e.message || e}`);
    }
  }

  load();
  return {
    setStep(step) {
      plot.setStep(step);
      const s = answer ? answer.steps[step - answer.from] : null;
      note.textContent = (s && s.step === step ? stepText(s) : null) || '';
    },
    dispose() {
      controller.abort();
      plot.dispose();
      element.remove();
    },
  };
}
