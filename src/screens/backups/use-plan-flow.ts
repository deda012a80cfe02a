/**
 * The walk the restore and reset flows share: a plan (made again whenever
 * an option it depends on changes), the plan shown with its options, the
 * database name typed, the run, its result. Each flow says what its plan
 * depends on and what stops it from going on; this holds the steps.
 */
import { useEffect, useRef, useState, type DependencyList } from 'react';
import type { BackupsFailure } from '../../app/services-backups-types.js';

export type PlanResult<P> = { ok: true; plan: P; lines: string[] } | BackupsFailure;

export type FlowPhase<P, R> = { kind: 'planning' } | { kind: 'plan'; result: PlanResult<P> } | { kind: 'confirm'; plan: P } | { kind: 'running'; plan: P } | { kind: 'done'; result: R };

export function usePlanFlow<P extends { target: string }, R>(makePlan: () => Promise<PlanResult<P>>, deps: DependencyList) {
  const [phase, setPhase] = useState<FlowPhase<P, R>>({ kind: 'planning' });
  const [note, setNote] = useState('');
  const lastPlan = useRef<PlanResult<P> | null>(null);
  useEffect(() => {
    let live = true;
    setPhase({ kind: 'planning' });
    makePlan().then((result) => {
      lastPlan.current = result;
      if (live) setPhase({ kind: 'plan', result });
    });
    return () => {
      live = false;
    };
    // Plans again only when what the plan depends on changes.
  }, deps);
  const shown = phase.kind === 'plan' && phase.result.ok ? phase.result : null;
  return {
    phase,
    /** The plan on screen (null while planning, after a refusal, or past the plan step). */
    plan: shown ? shown.plan : null,
    /** Its lines, as the engine worded them. */
    lines: shown ? shown.lines : [],
    /** Why Enter did not go on (empty when it may). */
    note,
    /** Enter on the plan: on to the typed confirmation, unless others still use the target. */
    goOn(plan: P, inUse: boolean) {
      if (inUse) return setNote(`${plan.target} is in use: press f to disconnect those sessions, or stop the application first`);
      setNote('');
      setPhase({ kind: 'confirm', plan });
    },
    /** Esc on the typed confirmation: the plan as it was. */
    backToPlan: (plan: P) => setPhase({ kind: 'plan', result: lastPlan.current ?? { ok: true, plan, lines: [] } }),
    run: (plan: P) => setPhase({ kind: 'running', plan }),
    finish: (result: R) => setPhase({ kind: 'done', result }),
  };
}
