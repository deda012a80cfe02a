/**
 * `--sql` end to end: read the status (read-only: no lock, no table), plan
 * the move exactly as the runner would, and print it.
 */
import type pg from 'pg';
import { loadMigrationFiles } from './files.js';
import { planMove, type MovePlan } from './plan.js';
import type { MoveKind } from './revisions.js';
import { renderScript, type ScriptHeader } from './script.js';
import { readMigrationStatus } from './status.js';

export interface PlanScriptOptions {
  dir: string;
  target: string;
  purge?: boolean;
  header: ScriptHeader;
}

export async function planScript(client: Pick<pg.ClientBase, 'query'>, kind: MoveKind, options: PlanScriptOptions): Promise<{ plan: MovePlan; sql: string }> {
  const files = await loadMigrationFiles(options.dir);
  const status = await readMigrationStatus(client, options.dir, { files });
  const plan = planMove(status, files, kind, options.target, { purge: options.purge === true });
  return { plan, sql: renderScript(plan, files, options.header) };
}
