/** A reset plan in words, for the person who must confirm it (command and screen alike). */
import { describeSession } from '../db/database-sessions.js';
import type { MigrationEvent } from '../migrations/index.js';
import type { ResetPlan } from './reset.js';
import { ToolError } from '../errors.js';
import { shellCommand } from '../system/shell-quote.js';

export function describeResetPlan(plan: ResetPlan): string[] {
  const at = plan.status.current ?? 'base';
  const head = plan.status.head ?? 'no migration files';
  const lines = [`${plan.target} is at ${at}; the files reach ${head}`];
  if (plan.recreate) {
    const p = plan.props;
    const keeps = [`owner ${p?.owner}`, p?.encoding, p?.collate, p?.acl ? 'its privileges' : '', p?.settings.length ? 'its settings' : ''].filter(Boolean).join(', ');
    lines.push(`drop the database and create it again (${keeps}): EVERY object in it goes, not only the migrated tables`);
    lines.push(`then upgrade to head (${head})`);
  } else {
    lines.push(`downgrade ${at} → base (every down migration, newest first), then upgrade base → ${head}: the migrated tables are emptied`);
    const others = plan.status.tables.filter((t) => !plan.status.migratedTables.includes(t));
    if (others.length > 0) lines.push(`left as they are (the migrations do not create them): ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}`);
  }
  for (const s of plan.sessions) lines.push(`in use: ${describeSession(s)}`);
  return lines;
}

/** One line for a migration event worth showing while a reset runs (undefined: nothing to show). */
export function describeResetMigration(event: MigrationEvent): string | undefined {
  if (event.type === 'migration_done') return `${event.step.direction === 'up' ? 'up  ' : 'down'} ${event.step.name} (${event.durationMs} ms)`;
  if (event.type === 'warning') return `! ${event.message}`;
  return undefined;
}

/** A reset that failed after its safety backup was written: say first where the contents from before are. */
export function withSafetyBackup(error: unknown, file: string | null): unknown {
  if (!file || !(error instanceof ToolError)) return error;
  const fixes = [`the contents from before the reset are in ${file}: ${shellCommand(['connector-db', 'restore', file])}`, ...error.fixes];
  return new ToolError(error.code, error.message, { evidence: error.evidence, fixes, exitCode: error.exitCode, cause: error });
}
