/**
 * What a move will do, decided before anything runs (pure): which files run
 * (or are only marked, for stamp) in which direction, what must first be
 * brought in step with Alembic's record, and what stops us.
 * node-pg-migrate is then given an explicit count; never its `file` option.
 */
import { ToolError } from '../errors.js';
import type { MigrationFile } from './files.js';
import { resolveRevision, type MoveKind } from './revisions.js';
import type { MigrationStatus, Problem } from './status-model.js';
import { historyAdvice } from './advice.js';

export interface MovePlan {
  kind: MoveKind;
  direction: 'up' | 'down';
  fromIndex: number;
  toIndex: number;
  /** Revision ids; null = base. */
  from: string | null;
  to: string | null;
  /** Files to run (upgrade, downgrade) or to mark (stamp), in the order they go. */
  steps: MigrationFile[];
  /**
   * Bring node-pg-migrate's rows in step with Alembic's record first: files
   * Alembic applied that our table lacks (adopt), or rows for files Alembic
   * has since undone (disown). Marked only, never run.
   */
  reconcile: { adopt: MigrationFile[]; disown: MigrationFile[] };
  /** stamp --purge: drop every record first (unknown or out-of-order rows). */
  purge: boolean;
  /** alembic_version exists and is kept in step. */
  alembic: boolean;
  /** Not blocking, but worth saying before running. */
  warnings: Problem[];
}

export interface PlanOptions {
  purge?: boolean;
}

export function currentIndexOf(status: MigrationStatus, files: MigrationFile[]): number {
  return status.current === null ? -1 : files.findIndex((f) => f.id === status.current);
}

export function planMove(status: MigrationStatus, files: MigrationFile[], kind: MoveKind, spec: string, options: PlanOptions = {}): MovePlan {
  const purge = kind === 'stamp' && options.purge === true;
  refuseBrokenHistory(status, kind, purge);
  const fromIndex = purge ? -1 : currentIndexOf(status, files);
  const toIndex = resolveRevision(spec, files, fromIndex, kind);
  if (kind === 'upgrade' && toIndex < fromIndex) {
    throw new ToolError('usage', `${files[toIndex]?.id ?? 'base'} is behind the current revision ${status.current}: use \`migrate downgrade ${files[toIndex]?.id ?? 'base'}\` to go back.`, { exitCode: 2 });
  }
  if (kind === 'downgrade' && toIndex > fromIndex) {
    throw new ToolError('usage', `${files[toIndex]?.id} is ahead of the current revision ${status.current ?? 'base'}: use \`migrate upgrade ${files[toIndex]?.id}\` to go forward.`, { exitCode: 2 });
  }
  if (kind === 'upgrade' && status.schemaWithoutHistory && toIndex > fromIndex) {
    const advice = historyAdvice(status.migratedTables, files, status.stampTo);
    throw new ToolError('schema_without_history', `${advice.problem} ${advice.next} Nothing was changed.`, { fixes: advice.fixes });
  }
  const direction: 'up' | 'down' = toIndex >= fromIndex ? 'up' : 'down';
  const steps = direction === 'up' ? files.slice(fromIndex + 1, toIndex + 1) : files.slice(toIndex + 1, fromIndex + 1).reverse();
  if (kind === 'upgrade') {
    // A file with neither marker is not in the format (a pasted script?): caught before it runs, not on the way down, when it could no longer be undone.
    const unmarked = steps.find((f) => f.sections.unmarked);
    if (unmarked) {
      throw new ToolError('migration_files_invalid', `${unmarked.fileName} has neither "-- Up Migration" nor "-- Down Migration": applied, it could never be undone. Nothing was changed.`, {
        fixes: [`put "-- Up Migration" above its statements and a "-- Down Migration" section that undoes them below, in ${unmarked.file} (connector-db migrate new writes both)`],
      });
    }
  }
  if (kind === 'downgrade') {
    const noDown = steps.find((f) => f.sections.down === null);
    if (noDown) {
      throw new ToolError('migration_files_invalid', `${noDown.fileName} has no "-- Down Migration" section, so the database cannot go below ${noDown.id}. Nothing was changed.`, {
        fixes: [`add a "-- Down Migration" section to ${noDown.file} that undoes its up`],
      });
    }
  }
  const warnings: Problem[] = status.problems.filter((p) => p.code === 'migration_drift' || p.code === 'alembic_out_of_step');
  for (const f of steps) {
    const r = status.revisions.find((x) => x.name === f.name);
    if (r?.partial && kind !== 'stamp') warnings.push({ code: 'migration_partial', message: `${f.fileName} stopped half-way before (${r.partial.statementsDone} of ${r.partial.statementsTotal} statements ran); it runs again from its first statement.` });
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const pick = (test: (r: MigrationStatus['revisions'][number]) => boolean) => status.revisions.filter(test).map((r) => byName.get(r.name) as MigrationFile);
  return {
    kind,
    direction,
    fromIndex,
    toIndex,
    from: fromIndex >= 0 ? (files[fromIndex] as MigrationFile).id : null,
    to: toIndex >= 0 ? (files[toIndex] as MigrationFile).id : null,
    steps,
    reconcile: purge ? { adopt: [], disown: [] } : { adopt: pick((r) => r.applied && !r.recorded), disown: pick((r) => !r.applied && r.recorded) },
    purge,
    alembic: status.alembic.exists,
    warnings,
  };
}

function refuseBrokenHistory(status: MigrationStatus, kind: MoveKind, purge: boolean): void {
  if (purge) return;
  if (status.unknown.length > 0) {
    const names = status.unknown.map((u) => `${u.name} (in ${u.where})`).join(', ');
    throw new ToolError('unknown_revision', `The database is at ${names}, which no file in ${status.dir} has; connector-db will not guess how to move from there. Nothing was changed.`, {
      fixes: ['use the migrations folder that has it (a newer connector-db, or --migrations-dir / MIGRATIONS__DIR)', 'or, if the schema really is at a revision these files know: connector-db migrate stamp REV --purge'],
    });
  }
  if (status.outOfOrder.length > 0) {
    throw new ToolError('migration_out_of_order', `${status.outOfOrder.join(', ')} ${status.outOfOrder.length === 1 ? 'is' : 'are'} pending but sort${status.outOfOrder.length === 1 ? 's' : ''} before the applied ${status.current}; node-pg-migrate's order check refuses that. Nothing was changed.`, {
      fixes: [`renumber the new file${status.outOfOrder.length === 1 ? '' : 's'} after ${status.head}`, ...(kind === 'stamp' ? ['or record a clean history: connector-db migrate stamp REV --purge'] : [])],
    });
  }
}
