/**
 * pg_dump's argument list for a backup, decided from the format alone.
 * The connection (host, port, user, database) travels in the child's
 * environment (pg-tool-env.ts) and the password in a 0600 passfile, so
 * nothing here is secret and the whole argv may be shown to a person.
 */
import type { BackupFormat } from './backup-name.js';

export interface DumpArgsOptions {
  /** Give up on a table lock after this long instead of waiting behind a migration forever. */
  lockWaitTimeoutMs?: number;
}

export function pgDumpArgs(format: BackupFormat, options: DumpArgsOptions = {}): string[] {
  const args = [
    // Names each table as its data is dumped: the progress bar reads it on stderr.
    '--verbose',
    // Never prompt: the password comes from PGPASSFILE or not at all.
    '--no-password',
    // Custom format compresses itself; plain SQL is compressed (or not) by us, on the way to the file.
    format.kind === 'custom' ? '--format=custom' : '--format=plain',
  ];
  if (format.schemaOnly) args.push('--schema-only');
  if (options.lockWaitTimeoutMs !== undefined) args.push(`--lock-wait-timeout=${Math.max(1, Math.round(options.lockWaitTimeoutMs))}`);
  // Output goes to stdout, which we stream into the temporary file.
  return args;
}

/** The same run as a shell line a person could type (for the report and `--json`); no connection details. */
export function describeDump(program: string, args: string[]): string {
  return [program, ...args].map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
