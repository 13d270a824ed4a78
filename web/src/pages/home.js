// The start page: the served recordings, and per recording an overview chart of its returns and
// a virtual table of its episodes, both served by page or in buckets (a million episodes load
// as fast as three).
import { listRollouts, followLive } from '../data.js';
import { liveBadge, withLiveState, mayRedraw } from '../live.js';
import { formatHash } from '../router.js';
import { createEpisodeTable } from './home-episodes.js';
import { createOverviewChart } from './home-overview.js';
import { createComparePicks } from '../compare-picks.js';

export async function showHome(root) {
  root.innerHTML = '<h2>Recordings</h2><div class="loading">loading…</div>';
  const rollouts = await listRollouts();
  root.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = rollouts.length ? 'Recordings' : 'No recordings are served';
  root.appendChild(h);
  const summary = document.createElement('table');
  summary.className = 'rollouts';
  summary.dataset.testid = 'rollouts-table';
  summary.innerHTML = '<thead><tr><th>recording</th><th>env id</th><th>episodes</th><th>steps</th><th>policy</th><th>title</th></tr></thead><tbody></tbody>';
  for (const r of rollouts) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td><a></a></td><td></td><td class="num"></td><td class="num"></td><td></td><td></td>';
    const a = tr.querySelector('a');
    a.href = formatHash({ page: 'episode', rollout: r.id, episode: 0, step: 0 });
    a.textContent = r.id;
    a.title = 'open its first episode';
    tr.children[1].textContent = r.envId || '(unknown)';
    tr.children[2].textContent = r.episodes;
    tr.children[3].textContent = r.steps;
    tr.children[4].textContent = r.hasPolicy ? 'yes' : 'no';
    tr.children[5].textContent = r.title;
    summary.tBodies[0].appendChild(tr);
  }
  root.appendChild(summary);
  // picking two episodes to compare: the bar stays in view while the tables scroll
  const picks = rollouts.length ? createComparePicks(document.createElement('div')) : null;
  if (picks) root.appendChild(picks.bar);

  for (const r of rollouts) {
    const section = document.createElement('section');
    section.className = 'rollout';
    section.dataset.rollout = r.id;
    section.innerHTML = '<h3></h3><div class="overview"></div><div class="episodes-box"></div>';
    section.querySelector('h3').textContent = `${r.id} — ${r.envId || 'unknown env'}: ${r.episodes} episodes, ${r.steps} steps`;
    root.appendChild(section);
    const failed = (box) => (e) => { box.textContent = e.message; };
    const overview = section.querySelector('.overview');
    createOverviewChart(overview, r.id).catch(failed(overview));
    const table = section.querySelector('.episodes-box');
    const episodes = createEpisodeTable(table, r.id, picks);
    episodes.ready.catch(failed(table));
    followRecording(r, section, summary.tBodies[0].children[rollouts.indexOf(r)], overview, episodes, failed);
  }
}

// A recording still being written: its counts, badge, overview and episode table follow its
// /live events.
function followRecording(r, section, row, overview, episodes, failed) {
  const badge = document.createElement('span');
  badge.dataset.testid = 'live-state';
  const show = (now) => {
    const b = liveBadge(now);
    badge.textContent = b.text;
    badge.className = b.className;
    section.querySelector('h3').firstChild.textContent =
      `${now.id} — ${now.envId || 'unknown env'}: ${now.episodes} episodes, ${now.steps} steps `;
    row.children[2].textContent = now.episodes;
    row.children[3].textContent = now.steps;
  };
  section.querySelector('h3').appendChild(badge);
  show(r);
  if (r.finished !== false) return;
  let drawn = Date.now();
  const stop = followLive(r.id, (state) => {
    if (!section.isConnected) { stop(); return; } // the page was left
    show(withLiveState(r, state));
    if (mayRedraw(drawn, Date.now()) || state.finished) {
      drawn = Date.now();
      createOverviewChart(overview, r.id).catch(failed(overview));
    }
    // the table asks for one page of rows: cheap enough for every event
    episodes.refresh();
  });
}
