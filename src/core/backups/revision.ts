/**
 * The migration revision a backup records and a restore reports against:
 * supplied by the migrations engine through this port, so that backups do
 * not depend on how migrations are kept.
 */
import type pg from 'pg';
import type { RevisionInfo } from './manifest.js';
import type { Settings } from '../config/resolve.js';
import { formatDatabaseUrl } from '../config/url.js';

/** Reads the database's revision and the files' head; never throws (a note says why it is unknown). */
export type RevisionReader = (client: pg.Client) => Promise<RevisionInfo>;

export async function readRevisionSafely(reader: RevisionReader | undefined, client: pg.Client): Promise<RevisionInfo | null> {
  if (!reader) return null;
  try {
    return await reader(client);
  } catch (error) {
    return { current: null, head: null, note: `revision unknown: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** "at 002, files reach 003: run upgrade head" and the like, for after a restore. */
/**
 * The command that brings the restored database to head. Restored into
 * another database than the configured one (--into), plain `migrate upgrade`
 * would upgrade the configured one: the command names the copy in --url.
 * A password kept apart (DATABASE__PASSWORD, ~/.pgpass) still applies to
 * it; one that was part of DATABASE__URL is shown as **** to fill in.
 */
export function upgradeCommandFor(settings: Pick<Settings, 'target' | 'targetSources'>, restoredInto: string): string {
  const configured = settings.target;
  if (restoredInto === configured.database) return 'connector-db migrate upgrade head';
  const passwordInUrl = settings.targetSources.password?.kind === 'url';
  const { password, ...withoutPassword } = configured;
  const url = formatDatabaseUrl({ ...withoutPassword, ...(passwordInUrl && password !== undefined ? { password } : {}), database: restoredInto });
  const command = `connector-db --url '${url.replace(/'/g, `'\\''`)}' migrate upgrade head`;
  return passwordInUrl && password !== undefined ? `${command} (with the password in place of ****)` : command;
}

export function describeRevisionGap(restored: RevisionInfo | null, upgradeCommand = 'connector-db migrate upgrade head'): { behind: boolean; text: string } {
  if (!restored) return { behind: false, text: 'migration revision not checked' };
  if (restored.current === null && restored.head === null) return { behind: false, text: restored.note ?? 'no migration files and no revision recorded' };
  const at = restored.current ?? 'base';
  const head = restored.head ?? 'base';
  const note = restored.note ? ` (${restored.note})` : '';
  const pending = restored.pending ?? (restored.current === head ? 0 : undefined);
  if (pending === 0 && at === head) return { behind: false, text: `at ${at}, the newest revision among the files${note}` };
  if (pending !== undefined && pending > 0) return { behind: true, text: `at ${at}, files reach ${head}: run ${upgradeCommand}${note}` };
  return { behind: false, text: `at ${at}; the files end at ${head}${note}` };
}
