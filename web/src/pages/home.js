// The start page: the served recordings, and per recording its episodes (sortable by header).
import { getEpisodes, listRollouts } from '../data.js';
import { formatHash } from '../router.js';
import { episodeEnd, fmt, sortRows, toggleSort } from '../tables.js';

const COLUMNS = [
  ['index', 'episode'], ['length', 'length'], ['return', 'return'], ['seed', 'seed'], ['ended', 'ended'],
];

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

  for (const r of rollouts) {
    const section = document.createElement('section');
    section.className = 'rollout';
    section.dataset.rollout = r.id;
    section.innerHTML = '<h3></h3><div class="loading">loading episodes…</div>';
    section.querySelector('h3').textContent = `${r.id} — ${r.envId || 'unknown env'}: ${r.episodes} episodes, ${r.steps} steps`;
    root.appendChild(section);
    getEpisodes(r.id).then((eps) => episodeTable(section, r.id, eps), (e) => {
      section.querySelector('.loading').textContent = e.message;
    });
  }
}

function episodeTable(section, id, episodes) {
  const rows = episodes.map((ep) => ({ ...ep, ended: episodeEnd(ep) }));
  let sort = { key: 'index', ascending: true };
  const table = document.createElement('table');
  table.className = 'episodes sortable';
  table.dataset.testid = 'episodes-table';
  const head = document.createElement('tr');
  for (const [key, label] of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = label;
    th.dataset.key = key;
    th.addEventListener('click', () => {
      sort = toggleSort(sort, key);
      draw();
    });
    head.appendChild(th);
  }
  table.createTHead().appendChild(head);
  const body = table.createTBody();
  function draw() {
    head.querySelectorAll('th').forEach((th) => {
      th.className = th.dataset.key === sort.key ? (sort.ascending ? 'asc' : 'desc') : '';
    });
    body.replaceChildren(...sortRows(rows, sort.key, sort.ascending).map((ep) => {
      const tr = document.createElement('tr');
      const link = formatHash({ page: 'episode', rollout: id, episode: ep.index, step: 0 });
      tr.innerHTML = '<td><a></a></td><td class="num"></td><td class="num"></td><td class="num"></td><td></td>';
      tr.querySelector('a').href = link;
      tr.querySelector('a').textContent = `episode ${ep.index}`;
      tr.children[1].textContent = ep.length;
      tr.children[2].textContent = fmt(ep.return);
      tr.children[3].textContent = ep.seed ?? '—';
      tr.children[4].textContent = ep.ended;
      tr.children[4].className = `end-${ep.ended.replace(' ', '-')}`;
      return tr;
    }));
  }
  draw();
  section.querySelector('.loading').replaceWith(table);
}
