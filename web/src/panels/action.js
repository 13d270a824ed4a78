// The action panel: the action taken at the step, its reward and flags, and the recorded
// action_probabilities as bars (the taken action highlighted) when the recording has them.
// While the observation is edited (the view state's `edits` and `probe`, probe.js), the bars
// compare the policy's distribution for the recorded observation with the edited one's, each
// action's two bars one above the other, and the greedy action and V(s) before and after.
import { fmtSig } from '../format.js';
import { watch } from '../state.js';

export function createActionPanel(container, metadata, store = null) {
  const labels = (metadata?.features?.actions || []).map((f) => f.label);
  const space = metadata?.actionSpace || {};
  container.classList.add('action-panel');
  container.innerHTML = `    <div class="action-line"><span class="k">action</span> <b data-testid="action-value"></b>
      <span class="k">reward</span> <span data-testid="reward-value"></span> <span class="flags"></span> <span class="k value"></span></div>
    <div class="probs"></div>
    <div class="probe" data-testid="probe-panel" hidden>
      <div class="probe-bars" data-testid="probe-probabilities"></div>
    </div>`;
  // the greedy actions and V(s) before and after sit in the panel's title row: the body keeps its
  // rows for the bars
  const line = document.createElement('span');
  line.className = 'probe-line';
  line.dataset.testid = 'probe-line';
  line.hidden = true;
  // a Box policy's answer is its action mean, a discrete one's its most probable action
  line.innerHTML = `<span class="k">${space.type === 'Box' ? 'action mean' : 'greedy'}</span> <span class="before" data-testid="probe-recorded-action"></span>
    → <b data-testid="probe-action"></b> <span class="probe-value"></span>`;
  (container.closest('.side-panel')?.querySelector('.side-head') || container).append(line);
  const actionEl = container.querySelector('[data-testid="action-value"]');
  const rewardEl = container.querySelector('[data-testid="reward-value"]');
  const flagsEl = container.querySelector('.flags');
  const valueEl = container.querySelector('.value');
  const probs = container.querySelector('.probs');
  const probePanel = container.querySelector('.probe');
  const start = Number(space.start ?? 0);
  const unit = (i) => (Array.isArray(space.units) && space.units[i] ? ` ${space.units[i]}` : '');
  const actionText = (a) => (a === null || a === undefined ? '—'
    : Array.isArray(a) ? `[${a.map((v, i) => fmtSig(v) + unit(i)).join(', ')}]`
      : space.type === 'Discrete' && labels[a - start] && !/^=/.test(labels[a - start]) ? labels[a - start] : fmtSig(a) + unit(0));
  const label = (k) => labels[k] ?? String(start + k);

  function showProbe({ edits, probe }) {
    const shown = Boolean(edits && probe && (probe.evaluation || probe.recorded));
    probePanel.hidden = !shown;
    line.hidden = !shown;
    // the policy's distributions for the recorded and the edited observation take the panel's few
    // rows (a continuous action has none: the recorded action line stays)
    container.classList.toggle('editing', shown && Boolean(probe.recorded?.probabilities || probe.evaluation?.probabilities));
    if (!shown) return;
    const before = probe.recorded;
    const after = probe.evaluation;
    line.querySelector('[data-testid=probe-recorded-action]').textContent = actionText(before?.action);
    const greedyEl = line.querySelector('[data-testid=probe-action]');
    greedyEl.textContent = after ? actionText(after.action) : '…';
    greedyEl.dataset.action = after ? JSON.stringify(after.action) : '';
    greedyEl.classList.toggle('flipped', Boolean(after && before && JSON.stringify(after.action) !== JSON.stringify(before.action)));
    line.querySelector('.probe-value').textContent = Number.isFinite(after?.value)
      ? `V(s) ${fmtSig(before?.value)} → ${fmtSig(after.value)}` : '';
    const bars = container.querySelector('.probe-bars');
    const p0 = before?.probabilities || [];
    const p1 = after?.probabilities || [];
    bars.replaceChildren(...Array.from({ length: Math.max(p0.length, p1.length) }, (_, k) => {
      const line = document.createElement('div');
      line.className = 'probe-prob';
      line.dataset.action = String(start + k);
      if (Number.isFinite(p0[k])) line.dataset.recorded = String(p0[k]);
      if (Number.isFinite(p1[k])) line.dataset.edited = String(p1[k]);
      line.innerHTML = '<span class="lbl"></span><span class="bars"><span class="bar rec"><span></span></span><span class="bar edit"><span></span></span></span><span class="num"></span>';
      line.children[0].textContent = label(k);
      line.querySelector('.rec span').style.width = `${Math.max(0, Math.min(1, p0[k] ?? 0)) * 100}%`;
      line.querySelector('.edit span').style.width = `${Math.max(0, Math.min(1, p1[k] ?? 0)) * 100}%`;
      line.children[2].innerHTML = '<span class="rec"></span> → <span class="edit"></span>';
      line.querySelector('.num .rec').textContent = fmtSig(p0[k], 3);
      line.querySelector('.num .edit').textContent = fmtSig(p1[k], 3);
      line.title = `${label(k)}: ${fmtSig(p0[k])} for the recorded observation (grey), ${fmtSig(p1[k])} for the edited one (orange)`;
      line.classList.toggle('greedy', after?.action === start + k);
      return line;
    }));
  }

  if (store) watch(store, ['edits', 'probe'], showProbe);

  return {
    update(row) {
      if (!row) return;
      const a = row.action;
      actionEl.textContent = a === null ? '— (final observation)'
        : Array.isArray(a) ? `[${a.map((v, i) => fmtSig(v) + unit(i)).join(', ')}]` : fmtSig(a) + unit(0);
      rewardEl.textContent = fmtSig(row.reward);
      valueEl.textContent = row.value === null || row.value === undefined ? '' : `V(s) ${fmtSig(row.value)}`;
      flagsEl.textContent = [row.terminated && 'terminated', row.truncated && 'truncated'].filter(Boolean).join(' ');
      probs.replaceChildren();
      if (!Array.isArray(row.probabilities)) return;
      row.probabilities.forEach((p, k) => {
        const line = document.createElement('div');
        line.className = 'prob' + (space.type === 'Discrete' && a === start + k ? ' taken' : '');
        line.innerHTML = '<span class="lbl"></span><span class="bar"><span></span></span><span class="num"></span>';
        line.children[0].textContent = label(k);
        line.children[1].firstChild.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
        line.children[2].textContent = fmtSig(p, 3);
        probs.appendChild(line);
      });
    },
  };
}
