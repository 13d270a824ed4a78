// The timeline: play/pause, step back/forward, first/last, scrub slider, speed, loop, episode
// picker and keyboard shortcuts (space, ←/→, Home/End), and a band under the slider for marks
// (hotspots). It owns the current step and playback; the page listens with onStep(step, how), onPlaying(playing) and onEpisode(index) (no picker without it).
import { SPEEDS, advance, moveStep } from './playback.js';
import { createEpisodeSearch } from './episode-search.js';

/** `rollout` and `episodes` (the recording's episode count) feed the episode picker. */
export function createTimeline(container, { rollout, episodes, episode, rows, fps, onStep, onEpisode, onPlaying = () => {} }) {
  let last = Math.max(0, rows - 1);
  let step = 0;
  let playing = false;
  let speed = 1;
  let loop = false;
  let frame = 0;
  let lastTime = 0;
  let carry = 0;

  container.classList.add('timeline');
  container.innerHTML = `
    <div class="controls">
      <button data-act="first" title="First step (Home)">|◀</button>
      <button data-act="back" title="Step back (←)">◀</button>
      <button data-act="play" data-testid="play-button" title="Play/pause (space)">▶ play</button>
      <button data-act="forward" title="Step forward (→)">▶</button>
      <button data-act="last" title="Last step (End)">▶|</button>
      <span class="step" data-testid="step-label"></span>
      <label>speed <select data-act="speed">${SPEEDS.map((s) => `<option value="${s}"${s === 1 ? ' selected' : ''}>${s}×</option>`).join('')}</select></label>
      <label><input type="checkbox" data-act="loop"> loop</label>
      <span class="episode-picker"></span>
    </div>
    <div class="slider-wrap">
      <input type="range" class="slider" data-testid="timeline-slider" min="0" max="${last}" step="1" value="0">
      <div class="slider-marks" data-testid="timeline-marks"></div>
    </div>`;
  const $ = (sel) => container.querySelector(sel);
  const slider = $('[data-testid="timeline-slider"]');
  const label = $('[data-testid="step-label"]');
  const playButton = $('[data-act="play"]');
  function show() {
    slider.value = String(step);
    label.textContent = `step ${step} / ${last}`;
    label.dataset.step = String(step);
    playButton.textContent = playing ? '❙❙ pause' : '▶ play';
    playButton.setAttribute('aria-pressed', String(playing));
    onPlaying(playing);
  }

  function seek(to, how = 'seek') {
    const next = Math.max(0, Math.min(last, Math.round(to)));
    if (next === step && how !== 'init') return;
    step = next;
    show();
    onStep(step, how);
  }

  function tick(now) {
    if (!playing) return;
    const { steps, carry: c } = advance(carry, now - lastTime, fps, speed);
    carry = c;
    lastTime = now;
    if (steps > 0) {
      const { step: next, stop } = moveStep(step, steps, last, loop);
      seek(next, 'play');
      if (stop) {
        pause();
        return;
      }
    }
    frame = requestAnimationFrame(tick);
  }

  function play() {
    if (playing) return;
    if (step >= last && !loop) seek(0, 'seek');
    playing = true;
    carry = 0;
    lastTime = performance.now();
    frame = requestAnimationFrame(tick);
    show();
  }

  function pause() {
    playing = false;
    cancelAnimationFrame(frame);
    show();
  }

  const actions = {
    first: () => seek(0),
    back: () => seek(step - 1, 'step'),
    play: () => (playing ? pause() : play()),
    forward: () => seek(step + 1, 'step'),
    last: () => seek(last),
  };
  container.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    const act = button?.dataset.act;
    if (act && actions[act]) {
      actions[act]();
      button.blur(); // a focused button would also take the next space as a click
    }
  });
  slider.addEventListener('input', () => seek(Number(slider.value), 'scrub'));
  $('[data-act="speed"]').addEventListener('change', (e) => { speed = Number(e.target.value); });
  $('[data-act="loop"]').addEventListener('change', (e) => { loop = e.target.checked; });
  // without onEpisode (the compare page: each side has its own picker) there is no picker here
  const search = !onEpisode ? null : createEpisodeSearch($('.episode-picker'), {
      rollout, count: episodes, episode,
      onPick(index) {
        pause();
        onEpisode(index);
      },
    });

  function onKey(e) {
    const t = e.target;
    if (t && (t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'range' && t.type !== 'checkbox'))) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const key = { ' ': 'play', ArrowLeft: 'back', ArrowRight: 'forward', Home: 'first', End: 'last' }[e.key];
    if (!key) return;
    e.preventDefault();
    actions[key]();
  }
  document.addEventListener('keydown', onKey);

  show();
  return {
    get step() { return step; },
    /** The band under the slider's track where marks (hotspots) are drawn, step 0 to the last. */
    marks: $('.slider-marks'),
    seek: (to, how = 'seek') => seek(to, how),
    play,
    pause,
    get last() { return last; },
    get playing() { return playing; },
    /** The episode grew (a live recording): `rows` rows now; the step stays where it is. */
    setRows(rows) {
      last = Math.max(0, rows - 1);
      slider.max = String(last);
      show();
    },
    /** The recording has `n` episodes now (the picker's range). */
    setEpisodes(n) {
      search?.setCount(n);
    },
    dispose() {
      pause();
      document.removeEventListener('keydown', onKey);
      container.replaceChildren();
    },
  };
}
