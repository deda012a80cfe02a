/** What a migration run tells its caller while it goes (progress lines, the screen's log, the monitor). */
import type { LockHolder } from './lock.js';
import type { MoveKind } from './revisions.js';

export interface StepRef {
  id: string;
  name: string;
  direction: 'up' | 'down';
}

export type MigrationEvent =
  /** Something worth saying that does not stop the run (a pooler, an edited file, Alembic out of step). */
  | { type: 'warning'; code: string; message: string }
  /** The lock is held by someone else; we wait up to timeoutSeconds. */
  | { type: 'lock_wait'; holder: LockHolder | null; timeoutSeconds: number }
  /** We hold the lock; backendPid is our session (pg_blocking_pids(backendPid) shows what blocks a step). */
  | { type: 'lock_acquired'; backendPid: number; waitedMs: number }
  | { type: 'plan'; kind: MoveKind; from: string | null; to: string | null; steps: StepRef[] }
  /** node-pg-migrate's rows were brought in step with Alembic's record (marked, nothing run). */
  | { type: 'reconciled'; adopted: string[]; disowned: string[] }
  | { type: 'migration_start'; step: StepRef; index: number; total: number }
  | { type: 'migration_done'; step: StepRef; index: number; total: number; durationMs: number }
  | { type: 'migration_failed'; step: StepRef; index: number; total: number; message: string }
  /** stamp: revisions marked applied (up) or unmarked (down) without running them. */
  | { type: 'stamped'; steps: StepRef[] };

export type OnMigrationEvent = (event: MigrationEvent) => void;
