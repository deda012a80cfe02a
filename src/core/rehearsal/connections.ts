/**
 * The connections a rehearsal needs, from the settings: the target (read
 * once), a maintenance database to create and drop the copy from
 * (`postgres`, else `template1`, as createdb does), and the copy itself.
 */
import { openClient, type DbSettings, type OpenOptions } from '../db/connect.js';
import { ToolError } from '../errors.js';
import type { RehearseOptions } from './rehearse.js';

export function rehearsalConnections(settings: DbSettings, options: OpenOptions = {}): Pick<RehearseOptions, 'source' | 'openTarget' | 'openAdmin' | 'openScratch'> {
  return {
    source: settings.target.database,
    openTarget: () => openClient(settings, options),
    openAdmin: async () => {
      try {
        return await openClient(settings, { ...options, database: 'postgres' });
      } catch (error) {
        if (!(error instanceof ToolError) || (error.code !== 'database_missing' && error.code !== 'auth_failed' && error.code !== 'no_hba_entry')) throw error;
        return openClient(settings, { ...options, database: 'template1' });
      }
    },
    openScratch: (database) => openClient(settings, { ...options, database }),
  };
}
