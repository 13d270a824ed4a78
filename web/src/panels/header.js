// The episode header: which recording and episode, how the episode ended (the env's outcome
// when its last infos give one: won, eaten, drowned…) and its return, with the return so far at
// the current step. The outcome fills in when the episode's last rows arrive.
import { episodeOutcome, outcomeRows } from '../outcome.js';
import { fmtSig } from '../format.js';

export function createEpisodeHeader(container, { recording, metadata, episode: first, rows: firstRows }) {
  let episode = first;
  let rows = firstRows;
  container.innerHTML = `<a href="#/">recordings</a> <span class="sep">›</span>
    <b class="rec"></b> <span class="env"></span> <span class="sep">›</span> <b class="ep"></b>
    <span class="outcome" data-testid="episode-outcome"></span>
    <span class="kv">return <b data-testid="episode-return"></b></span>
    <span class="kv len">length <b></b> steps</span>
    <span class="kv now">return after this step <b></b></span>
    <span class="head-error error"></span>`;
  const $ = (s) => container.querySelector(s);
  $('.rec').textContent = recording;
  $('.env').textContent = metadata.envId ? `(${metadata.envId})` : '(unknown env)';
  $('.ep').textContent = `episode ${episode.index}`;
  $('[data-testid="episode-return"]').textContent = fmtSig(episode.return);
  $('.len b').textContent = String(episode.length);
  const outcomeEl = $('.outcome');
  const nowEl = $('.now b');
  const infos = new Map();
  let rewards = new Array(rows).fill(null);
  let step = 0;

  function showOutcome() {
    const o = episodeOutcome(episode, outcomeRows(episode, rows).map((r) => infos.get(r)));
    outcomeEl.textContent = o.label === o.end ? o.label : `${o.label} (${o.end})`;
    outcomeEl.className = `outcome end-${o.kind}`;
    outcomeEl.dataset.outcome = o.label;
  }

  function showNow() {
    let sum = 0;
    // as the return plot: every reward up to and including this step's
    for (let i = 0; i <= step && i < rows; i++) {
      if (rewards[i] === null && i < rows - 1) { nowEl.textContent = '…'; return; }
      sum += rewards[i] ?? 0;
    }
    nowEl.textContent = fmtSig(sum);
  }

  showOutcome();
  const badgeSlot = document.createElement('span');
  container.querySelector('.outcome').after(badgeSlot);
  return {
    /** Where a live recording's badge goes (episode-live.js). */
    badgeSlot,
    /** A live episode grew or ended: its new summary and row count. */
    grow(ep, n) {
      episode = ep;
      rows = n;
      rewards = rewards.concat(new Array(Math.max(0, n - rewards.length)).fill(null));
      $('[data-testid="episode-return"]').textContent = fmtSig(episode.return);
      $('.len b').textContent = String(episode.length);
      showOutcome();
      showNow();
    },
    addRows(from, chunk) {
      const wanted = new Set(outcomeRows(episode, rows));
      chunk.forEach((r, i) => {
        rewards[from + i] = r.reward;
        if (wanted.has(from + i)) infos.set(from + i, r.info);
      });
      showOutcome();
      showNow();
    },
    setStep(s) {
      step = s;
      showNow();
    },
    error(text) {
      $('.head-error').textContent = text;
    },
  };
}
