/**
 * The connections a rehearsal needs, from the settings: the target (read
 * once), the maintenance database to create and drop the copy from (as
 * restore and reset do), and the copy itself.
 */
import { openClient, type DbSettings, type OpenOptions } from '../db/connect.js';
import { openMaintenance } from '../db/maintenance.js';
import type { RehearseOptions } from './rehearse.js';

export function rehearsalConnections(settings: DbSettings, options: OpenOptions = {}): Pick<RehearseOptions, 'source' | 'openTarget' | 'openAdmin' | 'openScratch'> {
  return {
    source: settings.target.database,
    openTarget: () => openClient(settings, options),
    openAdmin: () => openMaintenance(settings, options),
    openScratch: (database) => openClient(settings, { ...options, database }),
  };
}
