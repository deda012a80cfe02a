/**
 * Marking without running, in one transaction: `stamp` (node-pg-migrate's
 * `fake`), and bringing node-pg-migrate's rows in step with Alembic's record
 * before a run. Our checksum rows and Alembic's row change in the same
 * transaction, so the three records never disagree after a crash.
 */
import type pg from 'pg';
import { alembicSet, forgetApplied, recordApplied, RECORD_SCHEMA, RECORD_TABLE, SIDE_TABLE } from './bookkeeping.js';
import type { MigrationFile } from './files.js';
import type { MovePlan } from './plan.js';
import { RunTracker, runnerOptions } from './runner-loader.js';

type Client = Pick<pg.ClientBase, 'query'>;

export interface MarkOptions {
  recordTableExists: boolean;
  /** true: the plan is a stamp (mark its steps, move Alembic's row); false: only the reconcile part. */
  stamp: boolean;
}

export async function markRecords(client: Client, dir: string, files: MigrationFile[], plan: MovePlan, options: MarkOptions): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  const tracker = new RunTracker({ files, planned: [], alembic: false, markOnly: true });
  const dbClient = tracker.client(client);
  const fake = async (direction: 'up' | 'down', count: number) => {
    if (count > 0) await runner(runnerOptions(dir, dbClient, tracker, direction, count, true));
  };
  await client.query('BEGIN');
  try {
    if (plan.purge) {
      if (options.recordTableExists) await client.query(`DELETE FROM "${RECORD_SCHEMA}"."${RECORD_TABLE}"`);
      await client.query(`DELETE FROM "${RECORD_SCHEMA}"."${SIDE_TABLE}"`);
    }
    const { adopt, disown } = plan.reconcile;
    await fake('up', adopt.length);
    for (const f of adopt) await client.query(recordApplied(f, 'alembic'));
    await fake('down', disown.length);
    for (const f of disown) await client.query(forgetApplied(f));
    if (options.stamp) {
      await fake(plan.direction, plan.steps.length);
      for (const f of plan.steps) await client.query(plan.direction === 'up' ? recordApplied(f, 'stamp') : forgetApplied(f));
      if (plan.alembic) for (const s of alembicSet(plan.to)) await client.query(s);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
