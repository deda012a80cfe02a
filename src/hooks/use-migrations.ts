/**
 * The Migrations screen's state: the status (loaded, refreshed after every
 * run), the selected revision, a run in progress with its log, and the last
 * failure to show in place. The screen only draws this and binds keys.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MigrationMove, MigrationRunEvent, MigrationsService, ServiceFailure } from '../app/services.js';
import { runEventLines } from './migration-run-lines.js';
import { useLatestRun } from './use-latest-run.js';
import type { MigrationStatus } from '../core/migrations/status.js';
import type { MigrationEvent } from '../core/migrations/events.js';

export type LoadState = { status: 'loading' } | { status: 'ready'; value: MigrationStatus } | { status: 'failed'; failure: ServiceFailure };

export interface RunState {
  move: MigrationMove;
  label: string;
  log: string[];
  /** How many lines at the end of the log describe the lock wait going on now: each look replaces them. */
  waitLines?: number;
}

export interface MigrationsModel {
  load: LoadState;
  /** Index into status.revisions (file order). */
  selected: number;
  running: RunState | null;
  /** The last run's failure, shown until the next action. */
  failure: ServiceFailure | null;
  /** One line about the last successful run. */
  notice: string | null;
  select(delta: number): void;
  refresh(): void;
  run(move: MigrationMove, label: string): void;
}

export function eventText(event: MigrationEvent): string | null {
  switch (event.type) {
    case 'lock_wait':
      return `waiting for the migration lock${event.holder ? ` (held by pid ${event.holder.pid}${event.holder.applicationName ? `, ${event.holder.applicationName}` : ''})` : ''}`;
    case 'migration_start':
      return `… ${event.step.direction} ${event.step.name}`;
    case 'migration_done':
      return `✓ ${event.step.direction} ${event.step.name} (${event.durationMs} ms)`;
    case 'migration_failed':
      return `✗ ${event.step.direction} ${event.step.name}`;
    case 'warning':
      return `! ${event.message}`;
    case 'reconciled':
      return `· recorded what Alembic applied: ${event.adopted.join(', ') || '-'} (marked only)`;
    case 'stamped':
      return `✓ stamped ${event.steps.map((s) => s.id).join(', ') || 'base'}`;
    default:
      return null;
  }
}

export function useMigrations(service: MigrationsService): MigrationsModel {
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [selected, setSelected] = useState(0);
  const [running, setRunning] = useState<RunState | null>(null);
  const [failure, setFailure] = useState<ServiceFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { begin, mounted } = useLatestRun();

  const refresh = useCallback(() => {
    const current = begin();
    service.status().then((r) => {
      if (!current()) return;
      if (r.ok) {
        setLoad({ status: 'ready', value: r.status });
        // Put the cursor on the current revision (or the first pending one).
        const at = r.status.revisions.findIndex((x) => x.id === r.status.current);
        setSelected(Math.max(0, at));
      } else setLoad({ status: 'failed', failure: r });
    });
  }, [service, begin]);

  useEffect(() => {
    refresh();
  }, [refresh]);

  const select = useCallback(
    (delta: number) => {
      if (load.status !== 'ready') return;
      const n = load.value.revisions.length;
      setSelected((i) => Math.min(Math.max(0, i + delta), Math.max(0, n - 1)));
    },
    [load],
  );

  const run = useCallback(
    (move: MigrationMove, label: string) => {
      if (running) return;
      setFailure(null);
      setNotice(null);
      setRunning({ move, label, log: [] });
      const onEvent = (event: MigrationRunEvent) => {
        const lines = runEventLines(event, eventText);
        if (lines.length === 0 || !mounted.current) return;
        // A wait is redrawn in place with its new time and blockers; anything else is added below it.
        const replacing = event.type === 'blocked';
        setRunning((r) => {
          if (!r) return r;
          const kept = replacing && r.waitLines ? r.log.slice(0, r.log.length - r.waitLines) : r.log;
          return { ...r, log: [...kept.slice(-50), ...lines], waitLines: replacing ? lines.length : 0 };
        });
      };
      service.run(move, onEvent).then((r) => {
        if (!mounted.current) return;
        setRunning(null);
        if (r.ok) {
          const x = r.result;
          setNotice(x.nothingToDo ? `Already at ${x.status.current ?? 'base'}: nothing to do.` : `${label}: done. Now at ${x.status.current ?? 'base'}.`);
          setLoad({ status: 'ready', value: x.status });
          const at = x.status.revisions.findIndex((v) => v.id === x.status.current);
          setSelected(Math.max(0, at));
        } else {
          setFailure(r);
          refresh();
        }
      });
    },
    [running, service, refresh],
  );

  return { load, selected, running, failure, notice, select, refresh, run };
}
