/**
 * Poll the monitor service: a snapshot now, then one every `intervalMs`
 * after the previous one finished (never two in flight, so a slow server is
 * not piled on). Pausable; `refresh` fetches at once even when paused. A
 * failure keeps the last good snapshot on screen and tries again next tick.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServiceFailure, MonitorService } from '../../app/services.js';
import type { MonitorSnapshot } from '../../core/monitor/types.js';

export const REFRESH_MS = 2000;

export interface MonitorState {
  snapshot?: MonitorSnapshot;
  /** The last attempt failed (the snapshot above, if any, is older). */
  failure?: ServiceFailure;
  /** Local time of the last good snapshot. */
  refreshedAt?: Date;
  loading: boolean;
  paused: boolean;
}

export function useMonitor(service: MonitorService, intervalMs = REFRESH_MS): [MonitorState, { togglePause: () => void; refresh: () => void }] {
  const [state, setState] = useState<MonitorState>({ loading: true, paused: false });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);
  const paused = useRef(false);
  const mounted = useRef(true);

  const schedule = useRef<() => void>(() => {});
  const fetchNow = useCallback(() => {
    if (inFlight.current || !mounted.current) return;
    inFlight.current = true;
    clearTimeout(timer.current);
    setState((s) => ({ ...s, loading: true }));
    service.snapshot().then((answer) => {
      inFlight.current = false;
      if (!mounted.current) return;
      setState((s) =>
        answer.ok
          ? { ...s, snapshot: answer.snapshot, failure: undefined, refreshedAt: new Date(), loading: false }
          : { ...s, failure: answer, loading: false },
      );
      schedule.current();
    });
  }, [service]);
  schedule.current = () => {
    clearTimeout(timer.current);
    if (!paused.current && mounted.current) timer.current = setTimeout(fetchNow, intervalMs);
  };

  useEffect(() => {
    mounted.current = true;
    fetchNow();
    return () => {
      mounted.current = false;
      clearTimeout(timer.current);
      void service.close();
    };
  }, [service, fetchNow]);

  const togglePause = useCallback(() => {
    paused.current = !paused.current;
    setState((s) => ({ ...s, paused: paused.current }));
    if (paused.current) clearTimeout(timer.current);
    else fetchNow();
  }, [fetchNow]);

  return [state, { togglePause, refresh: fetchNow }];
}
