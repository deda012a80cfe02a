/**
 * What a backup file holds, learned by reading it (never by trusting its
 * name): its real format from the first bytes, and the roles it will
 * make owners or grantees, so that a restore can name the missing ones
 * before it starts instead of failing half-way.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ToolError } from '../errors.js';
import type { BackupKind } from './backup-name.js';
import { lineSink } from './sql-line-stream.js';
import { SqlDumpLines } from './sql-dump-lines.js';
import { describeExit, startTool, type SpawnFn } from './tool-process.js';

/** The format the bytes say: gzip magic, pg_dump's "PGDMP" archive header, else text. */
export async function sniffKind(file: string): Promise<BackupKind> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (head.toString('latin1') === 'PGDMP') return 'custom';
    return 'plain';
  } finally {
    await handle.close();
  }
}

export interface DumpRoles {
  /** Roles that will own objects (ALTER ... OWNER TO). */
  owners: string[];
  /** Roles named in GRANT / REVOKE / default privileges. */
  grantees: string[];
}

/** Read the SQL (gunzipped, or rendered by pg_restore for a custom archive) and collect the roles it names. */
export async function scanDumpRoles(file: string, kind: BackupKind, tools: { pgRestore?: string; env: NodeJS.ProcessEnv; spawn?: SpawnFn; signal?: AbortSignal }): Promise<DumpRoles> {
  const scanner = new SqlDumpLines();
  const owners = new Set<string>();
  const grantees = new Set<string>();
  const sink = lineSink((line) => {
    const info = scanner.feed(line);
    if (info.kind === 'owner') for (const r of info.roles) owners.add(r);
    else if (info.kind === 'acl') for (const r of info.roles) grantees.add(r);
  });
  if (kind !== 'custom') {
    await pipeline([createReadStream(file, { highWaterMark: 1 << 20 }), ...(kind === 'gzip' ? [createGunzip()] : []), sink], { signal: tools.signal }).catch((error: unknown) => {
      throw new ToolError('restore_failed', `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
  } else {
    if (!tools.pgRestore) throw new Error('scanDumpRoles needs pg_restore for a custom-format file');
    const problems: string[] = [];
    // Without a database to connect to, pg_restore prints the archive as SQL; schema only is enough for owners and grants.
    const tool = startTool(tools.pgRestore, ['--schema-only', '--file=-', file], { env: tools.env, stdin: 'ignore', onStderrLine: (l) => problems.push(l), spawn: tools.spawn, signal: tools.signal });
    const stdout = tool.child.stdout;
    if (!stdout) throw new Error('pg_restore has no stdout pipe');
    const [, exit] = await Promise.all([pipeline(stdout, sink).catch(() => undefined), tool.exited]);
    if (exit.code !== 0) throw new ToolError('restore_failed', `cannot read ${file} as a pg_dump archive: ${describeExit('pg_restore', exit)}`, { evidence: problems.slice(0, 5) });
  }
  return { owners: [...owners].sort(), grantees: [...grantees].sort() };
}

/** The major version in a plain dump's "-- Dumped by pg_dump version 15.20" header line (0 when absent). */
/** The first 4 kB of a plain or gzip'd dump, as text ('' when it cannot be read). */
export async function readDumpHead(file: string, kind: BackupKind): Promise<string> {
  let head = '';
  const source = createReadStream(file, { start: 0, end: 64 * 1024 - 1 });
  const stream = kind === 'gzip' ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream) {
      head += (chunk as Buffer).toString('utf8');
      if (head.length >= 4096) break;
    }
  } catch {
    // a damaged file: the checks that follow say so
  } finally {
    source.destroy();
  }
  return head;
}

/** The header pg_dump starts every plain dump with. */
export const DUMP_HEADER = '-- PostgreSQL database dump';

/** True when the head is pg_dump's: its header within the first lines (before any statement). */
export function looksLikePgDump(head: string): boolean {
  return head.slice(0, 1024).split('\n', 20).some((line) => line.trim() === DUMP_HEADER);
}

/** The major version of the pg_dump that wrote a plain dump, from its head (readDumpHead); 0 when it does not say. */
export function dumpedByMajor(head: string): number {
  const m = /^-- Dumped by pg_dump version (\d+)/m.exec(head);
  return m ? Number(m[1]) : 0;
}
