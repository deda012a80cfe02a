/**
 * The Migrations screen's rehearsal: start it, follow its progress, keep
 * its result to show, cancel it (it stops after the running step and the
 * copy is dropped). The screen draws this; the engine is `migrate rehearse`'s.
 */
import { useCallback, useRef, useState } from 'react';
import type { MigrationsService, ServiceFailure } from '../../app/services.js';
import type { RehearsalEvent, RehearsalResult } from '../../core/rehearsal/rehearse.js';

export interface RehearsalState {
  running: boolean;
  /** Progress lines while it runs. */
  progress: string[];
  result?: RehearsalResult;
  failure?: ServiceFailure;
  cancelling: boolean;
}

export function progressLine(event: RehearsalEvent): string | null {
  switch (event.type) {
    case 'copying':
      return event.method === 'template' ? `copying into ${event.scratch} (TEMPLATE)…` : `${event.connected.length} session(s) use the database: copying from a fresh backup into ${event.scratch}…`;
    case 'copied':
      return `copied in ${event.durationMs} ms`;
    case 'step_start':
      return `${event.pass} ${event.id}…`;
    case 'mismatch':
      return `✗ ${event.mismatch.name}: its down does not reverse its up`;
    case 'dropped':
      return `dropped ${event.scratch}`;
    default:
      return null;
  }
}

export function useRehearsal(service: MigrationsService) {
  const [state, setState] = useState<RehearsalState | null>(null);
  const controller = useRef<AbortController | null>(null);
  const start = useCallback(() => {
    if (!service.rehearse || controller.current) return;
    const abort = new AbortController();
    controller.current = abort;
    setState({ running: true, progress: [], cancelling: false });
    const onEvent = (event: RehearsalEvent) => {
      const line = progressLine(event);
      if (line) setState((s) => (s ? { ...s, progress: [...s.progress.slice(-50), line] } : s));
    };
    void service.rehearse(onEvent, abort.signal).then((answer) => {
      controller.current = null;
      setState((s) => ({ running: false, progress: s?.progress ?? [], cancelling: false, ...(answer.ok ? { result: answer.result } : { failure: answer }) }));
    });
  }, [service]);
  const cancel = useCallback(() => {
    controller.current?.abort();
    setState((s) => (s ? { ...s, cancelling: true } : s));
  }, []);
  const close = useCallback(() => setState((s) => (s?.running ? s : null)), []);
  return { state, available: Boolean(service.rehearse), start, cancel, close };
}
