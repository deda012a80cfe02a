/**
 * The doctor's migration checks (pending, drifted, unknown revision, schema
 * without history, lock held) from the migrations engine's read-only
 * status, and its stamp action for a schema without history: the revision
 * the tables match, recorded without running anything.
 */
import type pg from 'pg';
import type { Settings } from '../config/resolve.js';
import { openClient } from '../db/connect.js';
import { ToolError } from '../errors.js';
import { describeHolder } from '../migrations/lock.js';
import type { MigrationStatus, Problem } from '../migrations/status-model.js';
import { shellCommand } from '../system/shell-quote.js';
import type { ActionInput, ActionOutcome } from './actions.js';
import { result, type CheckResult } from './check-types.js';
import type { MigrationChecks } from './doctor.js';
import { adminCommand, dockerCommand, sqlArg, type FixContext } from './fix-context.js';
import type { InferredRevision } from '../migrations/schema-match.js';
import { partialFixes } from '../migrations/advice.js';

/** Which problem names the check, most fundamental first. */
const ORDER: Problem['code'][] = ['schema_without_history', 'unknown_revision', 'migration_drift', 'migration_partial', 'migration_out_of_order', 'migrations_pending'];
const CODE: Partial<Record<Problem['code'], CheckResult['code']>> = {
  schema_without_history: 'schema_without_history',
  unknown_revision: 'unknown_revision',
  migration_drift: 'migration_drift',
  migration_partial: 'migration_drift',
  migration_out_of_order: 'migrations_pending',
  migrations_pending: 'migrations_pending',
};

/** The app's own container, for the Alembic form of a fix (the seed's compose file names it so). */
const APP_SERVICE = 'midpilot-connector-gen';

export function migrationCheckResults(ctx: FixContext, status: MigrationStatus, migrationsDir: { dir: string; source: string }, inferred?: InferredRevision): CheckResult[] {
  const at = `${status.current ?? 'base'}${status.atHead && status.current !== null ? ' (head)' : ''}`;
  const atLine = `database at ${at}; files ${status.revisions[0]?.id ?? '-'}–${status.head ?? '-'} in ${migrationsDir.dir} (MIGRATIONS__DIR: ${migrationsDir.source})`;
  const problems = status.problems.filter((p) => p.code !== 'migration_lock_held');
  const main = ORDER.map((code) => problems.find((p) => p.code === code)).find((p) => p !== undefined);
  const evidence = [atLine, ...problems.filter((p) => p !== main).map((p) => `${p.code}: ${p.message}`)];
  let migrations: CheckResult;
  if (!main) {
    migrations = result('migrations', 'passed', `At ${at}: nothing pending, no drift, no unknown revision.`, { evidence: problems.length ? evidence : [atLine] });
  } else {
    const code = CODE[main.code] ?? 'migrations_pending';
    migrations = result('migrations', 'failed', main.message, { code, evidence, ...fixesFor(main.code, ctx, status, inferred) });
  }
  const lock = status.lock;
  const lockCheck = lock.held && lock.holder
    ? result('migration_lock', 'failed', `A migration holds the lock now: ${describeHolder(lock.holder)}.`, {
        code: 'migration_lock_held',
        evidence: [`holder state: ${lock.holder.state ?? 'unknown'}${lock.holder.query ? `; last statement: ${lock.holder.query.slice(0, 120)}` : ''}`, ...(lock.waiting.length ? [`waiting behind it: pid ${lock.waiting.join(', ')}`] : [])],
        fixes: [
          'wait for it to finish (connector-db migrate current shows the revision as it moves)',
          `${adminCommand(ctx, 'psql', sqlArg(`SELECT pg_terminate_backend(${lock.holder.pid})`), ctx.target.database)}   # only if that session is stuck: its migration rolls back whole`,
          dockerCommand(ctx, 'psql', sqlArg(`SELECT pg_terminate_backend(${lock.holder.pid})`)),
        ],
        actions: [{ id: 'retry', label: 'check again', needsAdmin: false }],
      })
    : result('migration_lock', 'passed', 'Free: no migration is running.');
  return [migrations, lockCheck];
}

function fixesFor(code: Problem['code'], ctx: FixContext, status: MigrationStatus, inferred?: InferredRevision): Pick<CheckResult, 'fixes' | 'actions'> {
  const retry = { id: 'retry' as const, label: 'check again', needsAdmin: false };
  switch (code) {
    case 'migrations_pending':
    case 'migration_out_of_order':
      return {
        fixes: ['connector-db migrate upgrade --sql   # what would run', 'connector-db migrate upgrade head', `docker compose exec ${APP_SERVICE} alembic upgrade head   # or the app's own Alembic`],
        actions: [retry],
      };
    case 'migration_partial': {
      // Finish it and stamp that revision, or undo it and run it again: the same words as `migrate current`.
      const fixes = status.revisions.flatMap((r) => (r.partial ? partialFixes(r, r.partial, status.revisions) : []));
      return { fixes: [...fixes, 'connector-db migrate history   # every revision with its state'], actions: [retry] };
    }
    case 'migration_drift': {
      const files = status.revisions.filter((r) => r.drifted).map((r) => r.file);
      return {
        fixes: [...files.map((f) => `${shellCommand(['git', 'diff', '--', f])}   # what changed since it was applied`), ...files.map((f) => `${shellCommand(['git', 'checkout', '--', f])}   # put the applied text back`), 'connector-db migrate history   # every revision with its checksum state'],
        actions: [retry],
      };
    }
    case 'unknown_revision':
      return {
        fixes: [
          'connector-db migrate history   # what the database and the files each say',
          `point MIGRATIONS__DIR (or --migrations-dir) at the folder that has ${status.unknown.map((u) => u.name).join(', ')}: a newer app or tool migrated this database`,
        ],
        actions: [retry],
      };
    case 'schema_without_history': {
      const match = inferred ?? status.stampTo ?? undefined;
      const rev = match?.revision;
      if (!match || !rev) {
        return {
          fixes: [`the tables match no revision connector-db can verify (${match?.reason ?? 'not checked'}): compare them with ${status.dir}, then connector-db migrate stamp REV`, 'connector-db migrate stamp REV --sql   # preview: what would be recorded'],
          actions: [retry],
        };
      }
      return {
        fixes: [
          `connector-db migrate stamp ${rev} --sql   # preview: records ${rev} as applied, runs nothing (${match.reason})`,
          `connector-db migrate stamp ${rev}`,
          `docker compose exec ${APP_SERVICE} alembic stamp ${rev}   # or the app's own Alembic`,
        ],
        actions: [{ id: 'stamp', label: `stamp ${rev}: record it as applied, run nothing (${match.reason})`, needsAdmin: false }, retry],
      };
    }
    default:
      return { fixes: [], actions: [retry] };
  }
}

/** The checks, as the doctor's dependency. */
export async function doctorMigrationChecks(): Promise<{ migrations?: MigrationChecks }> {
  const migrations: MigrationChecks = async ({ client, settings, ctx }) => {
    const { readMigrationStatus } = await import('../migrations/status.js');
    // The status names the revision a schema without history matches (stampTo).
    const status = await readMigrationStatus(client, settings.migrationsDir);
    const source = settings.entries.find((e) => e.key === 'MIGRATIONS__DIR')?.source.label ?? 'default';
    return migrationCheckResults(ctx, status, { dir: settings.migrationsDir, source: source === 'default' ? 'the shipped sql-migrations' : source });
  };
  return { migrations };
}

/** The stamp action: infer the revision again (the schema may have moved) and record it, running nothing. */
export async function doctorStamp(): Promise<Pick<ActionInput, 'stamp'>> {
  const stamp = async (settings: Settings): Promise<ActionOutcome> => {
    const { readMigrationStatus } = await import('../migrations/status.js');
    const core = await import('../migrations/runner.js');
    const { dbSettingsFrom } = await import('./doctor.js');
    const client: pg.Client = await openClient(dbSettingsFrom(settings), { applicationName: 'connector-db doctor stamp' });
    try {
      const status = await readMigrationStatus(client, settings.migrationsDir);
      if (!status.schemaWithoutHistory) return { ran: [], summary: `nothing to stamp: the database is at ${status.current ?? 'base'}` };
      // Read just now: the revision the tables match at this moment.
      const inferred = status.stampTo ?? { revision: null, reason: 'not checked' };
      if (!inferred.revision) throw new ToolError('schema_without_history', `Cannot tell which revision the tables match (${inferred.reason}); stamp it yourself: connector-db migrate stamp REV`);
      const r = await core.stamp(client, { dir: settings.migrationsDir, target: inferred.revision });
      return { ran: [`stamp ${inferred.revision} (${r.steps.map((s) => s.id).join(', ')} marked applied)`], summary: `stamped ${inferred.revision}: now at ${r.status.current ?? 'base'}, nothing was run` };
    } finally {
      await client.end().catch(() => {});
    }
  };
  return { stamp };
}

