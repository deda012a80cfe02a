/**
 * Everything a restore checks before it changes anything: the file is what
 * its manifest says (size, sha256) and what its bytes say it is; a psql or
 * pg_restore able to read it; the roles it names exist (or --no-owner /
 * --no-acl); the target and what will happen to it — created, filled while
 * empty, or replaced through a scratch copy — and whether the role may do
 * that. Nothing is changed here; the result is shown to a person first.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ToolError } from '../errors.js';
import type { DbSettings } from '../db/connect.js';
import { readServerInfo } from '../db/server-info.js';
import { openMaintenance } from '../db/maintenance.js';
import { mayOwn, readRights, userObjectCount, type DatabaseRights } from '../db/database-props.js';
import { sessionsOn, type DbSession } from '../db/database-sessions.js';
import { openClient } from '../db/connect.js';
import { chooseBinary, findBinaries, type PgBinary, type PgProgram } from '../system/pg-binaries.js';
import { pgToolEnv } from '../system/pg-tool-env.js';
import { kindOfFile, type BackupKind } from './backup-name.js';
import { sha256File } from './checksum.js';
import { DUMP_HEADER, dumpedByMajor, looksLikePgDump, readDumpHead, scanDumpRoles, sniffKind } from './dump-inspect.js';
import { readManifestFor } from './manifest-file.js';
import type { Manifest } from './manifest.js';
import type { SpawnFn } from './tool-process.js';

export type RestoreMode =
  /** The database does not exist: create it, restore, and drop it again if the restore fails. */
  | 'create'
  /** It exists and holds no tables: restore straight in (one transaction). */
  | 'empty'
  /** It holds data: restore into a scratch database, then swap it in and drop the old one. */
  | 'replace';

export interface RestoreRequest {
  db: DbSettings;
  file: string;
  /** Restore into this (new or empty) database instead of the configured one. */
  into?: string;
  noOwner: boolean;
  noAcl: boolean;
  env?: Record<string, string | undefined>;
  spawn?: SpawnFn;
  signal?: AbortSignal;
  findTool?: (program: PgProgram) => Promise<PgBinary[]>;
  onEvent?: (event: { type: 'verifying'; read: number; size: number }) => void;
}

export interface RestorePlan {
  file: string;
  path: string;
  size: number;
  kind: BackupKind;
  manifest: Manifest | null;
  /** 'ok': size and sha256 match the manifest; 'no_manifest': nothing to check against. */
  verification: 'ok' | 'no_manifest';
  target: string;
  mode: RestoreMode;
  /** Tables and schemas the target holds now (replace mode). */
  targetObjects: { relations: number; schemas: number } | null;
  tool: PgBinary;
  serverVersion: string;
  rights: DatabaseRights;
  /** Roles the dump names that the server lacks, and whether the options skip them. */
  missingOwners: string[];
  missingGrantees: string[];
  noOwner: boolean;
  noAcl: boolean;
  /** Others connected to the target (they block the swap of replace mode). */
  sessions: DbSession[];
}

export async function planRestore(request: RestoreRequest): Promise<RestorePlan> {
  try {
    return await buildPlan(request);
  } catch (error) {
    // Cancelled while checking the file or reading its roles: a killed pg_restore --list or a stopped read
    // fails in its own words; the person pressed Ctrl-C, so say that.
    if (request.signal?.aborted && !(error instanceof ToolError && error.code === 'cancelled')) {
      throw new ToolError('cancelled', 'the restore was cancelled while it was being prepared; nothing was restored', { cause: error });
    }
    throw error;
  }
}

async function buildPlan(request: RestoreRequest): Promise<RestorePlan> {
  const env = request.env ?? process.env;
  const file = path.resolve(request.file);
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new ToolError('not_found', `${request.file} does not exist or is not a file`, { exitCode: 2 });
  const byName = kindOfFile(file);
  const kind = await sniffKind(file);
  if (byName && byName !== kind) {
    throw new ToolError('restore_failed', `${path.basename(file)} is named like a ${byName} backup, but its content is ${kind === 'gzip' ? 'gzip-compressed' : kind === 'custom' ? 'a pg_dump custom archive' : 'plain text'}; refusing to guess`);
  }
  // Before anything is created: a file that is not pg_dump's (a script, a binary) would fail part-way and read like a cut-short backup.
  // Read once: it says whether this is pg_dump's at all, and which pg_dump wrote it.
  const head = kind === 'custom' ? '' : await readDumpHead(file, kind);
  if (kind !== 'custom' && !looksLikePgDump(head)) {
    throw new ToolError('usage', `${path.basename(file)} is not a pg_dump file: it does not start with pg_dump's "${DUMP_HEADER}" header. Nothing was changed.`, {
      exitCode: 2,
      fixes: [`restore takes files written by connector-db backup or pg_dump; to run a SQL script, use: connector-db query < ${path.basename(file)}`],
    });
  }

  const { manifest, verification } = await verify(file, st.size, request);
  const target = request.into ?? request.db.target.database;
  const maintenance = await openMaintenance(request.db, { applicationName: 'connector-db restore' });
  try {
    const server = await readServerInfo(maintenance);
    const dumpMajor = manifest ? Number(manifest.pgDump.version.split('.')[0]) : kind === 'custom' ? 0 : dumpedByMajor(head);
    const program: PgProgram = kind === 'custom' ? 'pg_restore' : 'psql';
    const found = await (request.findTool ?? ((p) => findBinaries(p, env)))(program);
    // Unlike pg_dump, psql and pg_restore talk to newer servers; what they need is to read what the dump's
    // pg_dump wrote (psql's \restrict, the archive format), so the dump's pg_dump sets the minimum.
    const { binary: tool } = chooseBinary(program, found, dumpMajor, { dbName: target, dbUser: request.db.target.user });
    const rights = await readRights(maintenance);
    const exists = (await maintenance.query('select 1 from pg_database where datname = $1', [target])).rowCount === 1;
    let mode: RestoreMode = 'create';
    let targetObjects: RestorePlan['targetObjects'] = null;
    if (exists) {
      targetObjects = await countObjects(request.db, target);
      mode = targetObjects.relations + targetObjects.schemas === 0 ? 'empty' : 'replace';
    }
    if (mode === 'replace' && request.into !== undefined) {
      throw new ToolError('restore_failed', `--into ${target}: that database exists and holds ${targetObjects?.relations} relations; --into only restores into a new or empty database`, {
        fixes: [`choose a new name: connector-db restore ${request.file} --into ${target}_restored`],
      });
    }
    await checkRights(maintenance, rights, mode, target);
    const { missingOwners, missingGrantees } = await missingRoles(maintenance, file, kind, tool, request);
    if (missingOwners.length > 0 && !request.noOwner) {
      throw new ToolError('role_missing', `the backup makes ${quoteList(missingOwners)} owner${missingOwners.length > 1 ? 's' : ''} of objects, and the server has no such role`, {
        fixes: [`connector-db restore ${request.file} --no-owner   # everything will belong to ${rights.role}`, ...missingOwners.map((r) => `CREATE ROLE ${quoteIdent(r)};   # as an admin, to keep the owners`)],
      });
    }
    if (missingGrantees.length > 0 && !request.noAcl) {
      throw new ToolError('role_missing', `the backup grants privileges to ${quoteList(missingGrantees)}, and the server has no such role`, {
        fixes: [`connector-db restore ${request.file} --no-acl   # skip the GRANT and REVOKE statements`, ...missingGrantees.map((r) => `CREATE ROLE ${quoteIdent(r)};   # as an admin, to keep the privileges`)],
      });
    }
    const sessions = mode === 'replace' ? await sessionsOn(maintenance, target) : [];
    return {
      file: path.basename(file),
      path: file,
      size: st.size,
      kind,
      manifest,
      verification,
      target,
      mode,
      targetObjects,
      tool,
      serverVersion: server.version,
      rights,
      missingOwners,
      missingGrantees,
      noOwner: request.noOwner,
      noAcl: request.noAcl,
      sessions,
    };
  } finally {
    await maintenance.end().catch(() => {});
  }
}

async function verify(file: string, size: number, request: RestoreRequest): Promise<{ manifest: Manifest | null; verification: RestorePlan['verification'] }> {
  const read = await readManifestFor(file);
  if (read.state === 'missing') return { manifest: null, verification: 'no_manifest' };
  if (read.state === 'invalid') {
    throw new ToolError('checksum_mismatch', `the manifest ${path.basename(file)}.json is damaged (${read.problem}), so the backup cannot be checked`, {
      fixes: [`move ${path.basename(file)}.json aside to restore the file unchecked (at your own risk)`],
    });
  }
  const m = read.manifest;
  const moveAside = `if you changed it on purpose, move ${path.basename(file)}.json aside to restore it unchecked`;
  if (m.size !== size) throw new ToolError('checksum_mismatch', `${path.basename(file)} is ${size} bytes but its manifest says ${m.size}: it was cut short or changed; restore refused`, { fixes: [moveAside] });
  const { sha256 } = await sha256File(file, { signal: request.signal, onBytes: (read) => request.onEvent?.({ type: 'verifying', read, size }) });
  if (sha256 !== m.sha256) {
    throw new ToolError('checksum_mismatch', `${path.basename(file)} does not match its manifest's sha256: it changed after it was written; restore refused`, { evidence: [`file:     ${sha256}`, `manifest: ${m.sha256}`], fixes: [moveAside] });
  }
  return { manifest: m, verification: 'ok' };
}

async function countObjects(db: DbSettings, database: string): Promise<{ relations: number; schemas: number }> {
  const client = await openClient(db, { database, applicationName: 'connector-db restore' });
  try {
    return await userObjectCount(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRights(client: pg.Client, rights: DatabaseRights, mode: RestoreMode, target: string): Promise<void> {
  const grant = `ALTER ROLE ${quoteIdent(rights.role)} CREATEDB;   # as an admin (e.g. docker compose exec db psql -U postgres -c '...')`;
  if (mode !== 'empty' && !rights.superuser && !rights.createdb) {
    const why = mode === 'create' ? `${target} does not exist and creating it` : `replacing ${target} (through a scratch copy)`;
    throw new ToolError('privilege_missing', `${why} needs CREATEDB, which role ${rights.role} lacks`, { fixes: [grant, `or restore into an existing empty database: connector-db restore FILE --into NAME`] });
  }
  if (mode === 'replace' && !(await mayOwn(client, target))) {
    throw new ToolError('privilege_missing', `replacing ${target} needs its owner (or a superuser); role ${rights.role} is neither`, { fixes: [`run the restore as the owner of ${target}`] });
  }
}

async function missingRoles(client: pg.Client, file: string, kind: BackupKind, tool: PgBinary, request: RestoreRequest): Promise<{ missingOwners: string[]; missingGrantees: string[] }> {
  const childEnv = await pgToolEnv(request.db.target, { base: (request.env ?? process.env) as NodeJS.ProcessEnv });
  try {
    const roles = await scanDumpRoles(file, kind, { pgRestore: tool.path, env: childEnv.env, spawn: request.spawn, signal: request.signal });
    const names = [...new Set([...roles.owners, ...roles.grantees])];
    const { rows } = await client.query<{ rolname: string }>('select rolname from pg_roles where rolname = any($1::text[])', [names]);
    const existing = new Set(rows.map((r) => r.rolname));
    // pg_database_owner is a built-in role on 14+; it is in the list above only when it exists.
    return { missingOwners: roles.owners.filter((r) => !existing.has(r)), missingGrantees: roles.grantees.filter((r) => !existing.has(r)) };
  } finally {
    await childEnv.cleanup();
  }
}

/** Always quoted: a role may be named like a keyword ("user") or hold any character. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
