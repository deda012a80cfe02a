/**
 * The doctor's migration checks (pending, drifted, unknown revision, schema
 * without history, lock held) and its stamp action, from the migrations
 * engine's read-only status API.
 */
import type { MigrationChecks } from './doctor.js';
import type { ActionInput } from './actions.js';

/** The checks, when the migrations engine is part of this build. */
export async function doctorMigrationChecks(): Promise<{ migrations?: MigrationChecks }> {
  return {};
}

/** The stamp action (for schema_without_history), when the migrations engine is part of this build. */
export async function doctorStamp(): Promise<Pick<ActionInput, 'stamp'>> {
  return {};
}
