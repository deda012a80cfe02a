/**
 * The migrations engine seen through the backups' RevisionReader port:
 * where the database stands against the files in `migrationsDir`, for the
 * manifest of a backup and the report after a restore.
 */
import { readMigrationStatus, summarizeStatus } from '../migrations/status.js';
import type { RevisionReader } from './revision.js';

export function revisionReaderFor(migrationsDir: string): RevisionReader {
  return async (client) => {
    const status = await readMigrationStatus(client, migrationsDir);
    const doubtful = status.schemaWithoutHistory || status.unknown.length > 0 || status.drifted.length > 0;
    return {
      current: status.current,
      head: status.head,
      pending: status.pendingCount,
      ...(doubtful ? { note: summarizeStatus(status) } : {}),
    };
  };
}
