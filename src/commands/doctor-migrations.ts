/**
 * The migrations part of the doctor, when the migrations engine is in this
 * build. Kept apart so wiring it is one file.
 */
import type { MigrationChecks } from '../core/diagnostics/doctor.js';

export async function doctorMigrationChecks(): Promise<{ migrations?: MigrationChecks }> {
  return {};
}
