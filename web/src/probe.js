// The surgery probe: while an observation is edited, asks the server what the policy makes of it.
// It watches the view state (state.js): `recorded` ({step, row}: the step shown), `edits` (edits.js)
// and `attributionQuery` (the attribution panel's current options, so edited and recorded
// attributions are comparable), and on a change, debounced, POSTs the edited observation to
// /evaluate and /attributions (aborting requests gone stale) and publishes
//   probe: {step, edits, observation (edited, flat), recorded (evaluation of the recorded
//           observation), evaluation (of the edited one), attribution (answer for the edited one),
//           status: 'unchanged' | 'computing' | 'ready' | 'error', error, attributionError}
//   probeTiming: {edits, evaluationMs, roundTripMs}: request start to the distribution, and to both
//           the distribution and the attributions drawn (the store's subscribers draw synchronously).
// The recorded observation's evaluation is asked once per step.
import { evaluate, explainObservation } from './data.js';
import { applyEdits, changeCount } from './edits.js';
import { unflattenObservation } from './spaces.js';
import { watch } from './state.js';

/** Quiet time after an edit before the server is asked (a slider drag sends one request, not fifty). */
export const PROBE_DELAY_MS = 150;

/**
 * Starts probing edits of `store`'s observation for recording `rollout`; returns dispose().
 * `api` ({evaluate, explainObservation}) and `now` can be replaced in tests.
 */
export function createProbe(store, { rollout, metadata, api = { evaluate, explainObservation }, delay = PROBE_DELAY_MS, now = () => performance.now() }) {
  const space = metadata?.observationSpace;
  const recordedEvaluations = new Map(); // step -> Promise of the recorded observation's evaluation
  let timer = 0;
  let controller = null;

  function recordedEvaluation(step, observation, signal) {
    if (!recordedEvaluations.has(step)) {
      const answer = api.evaluate(rollout, unflattenObservation(space, observation), signal);
      answer.catch(() => recordedEvaluations.delete(step)); // an aborted or failed one is asked again
      recordedEvaluations.set(step, answer);
      if (recordedEvaluations.size > 64) recordedEvaluations.delete(recordedEvaluations.keys().next().value);
    }
    return recordedEvaluations.get(step);
  }

  function stop() {
    clearTimeout(timer);
    if (controller) controller.abort();
    controller = null;
  }

  function schedule(state) {
    stop();
    const { edits, recorded } = state;
    if (!edits || !recorded || recorded.step !== edits.step || !recorded.row) {
      if (state.probe) store.set({ probe: null });
      return;
    }
    if (!metadata?.hasPolicy) {
      store.set({ probe: { step: edits.step, edits, observation: applyEdits(recorded.row.observation, edits), status: 'error',
        error: 'no policy is attached to this recording: the server cannot evaluate edits (serve it with --policy)' } });
      return;
    }
    timer = setTimeout(() => run(edits, recorded, state.attributionQuery), delay);
  }

  async function run(edits, recorded, attributionQuery) {
    controller = new AbortController();
    const { signal } = controller;
    const { step, row } = recorded;
    const observation = applyEdits(row.observation, edits);
    const base = { step, edits, observation, recorded: null, evaluation: null, attribution: null, error: null, attributionError: null };
    const started = now();
    const publish = (patch) => {
      if (signal.aborted) return false;
      store.set({ probe: { ...(store.get().probe?.edits === edits ? store.get().probe : base), ...patch } });
      return true;
    };
    publish({ status: 'computing' });
    try {
      const before = await recordedEvaluation(step, row.observation, signal);
      if (changeCount(edits) === 0) {
        publish({ recorded: before, evaluation: before, status: 'unchanged' });
        return;
      }
      const raw = unflattenObservation(space, observation);
      const query = attributionQuery?.query;
      const body = { observation: raw, step };
      if (row.action !== null && row.action !== undefined) body.action = row.action; // "picked" explains the recorded action
      const attribution = query ? api.explainObservation(rollout, query, body, signal) : null;
      attribution?.catch(() => {}); // awaited below; an early refusal must not go unhandled
      const evaluation = await api.evaluate(rollout, raw, signal);
      if (!publish({ recorded: before, evaluation, status: attribution ? 'computing' : 'ready',
        attributionError: query ? null : attributionQuery?.error || null })) return;
      const evaluationMs = now() - started;
      if (attribution) {
        try {
          const answer = await attribution;
          if (!publish({ attribution: answer, status: 'ready' })) return;
        } catch (e) {
          if (!publish({ attributionError: e.message || String(e), status: 'ready' })) return;
        }
      }
      store.set({ probeTiming: { edits, evaluationMs, roundTripMs: now() - started } });
    } catch (e) {
      if (!signal.aborted) publish({ status: 'error', error: e.message || String(e) });
    }
  }

  const unsubscribe = watch(store, ['edits', 'recorded', 'attributionQuery'], schedule);
  return {
    dispose() {
      unsubscribe();
      stop();
    },
  };
}
