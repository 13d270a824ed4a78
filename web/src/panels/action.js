// The action panel: the action taken at the step, its reward and flags, and the recorded
// action_probabilities as bars (the taken action highlighted) when the recording has them.
import { fmtSig } from '../format.js';

export function createActionPanel(container, metadata) {
  const labels = (metadata?.features?.actions || []).map((f) => f.label);
  const space = metadata?.actionSpace || {};
  container.classList.add('action-panel');
  container.innerHTML = `    <div class="action-line"><span class="k">action</span> <b data-testid="action-value"></b>
      <span class="k">reward</span> <span data-testid="reward-value"></span> <span class="flags"></span> <span class="k value"></span></div>
    <div class="probs"></div>`;
  const actionEl = container.querySelector('[data-testid="action-value"]');
  const rewardEl = container.querySelector('[data-testid="reward-value"]');
  const flagsEl = container.querySelector('.flags');
  const valueEl = container.querySelector('.value');
  const probs = container.querySelector('.probs');
  const start = Number(space.start ?? 0);

  return {
    update(row) {
      if (!row) return;
      const a = row.action;
      const unit = (i) => (Array.isArray(space.units) && space.units[i] ? ` ${space.units[i]}` : '');
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
        line.children[0].textContent = labels[k] ?? String(start + k);
        line.children[1].firstChild.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
        line.children[2].textContent = fmtSig(p, 3);
        probs.appendChild(line);
      });
    },
  };
}
