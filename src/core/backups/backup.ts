/**
 * `connector-db backup` and the Backups screen: check everything first
 * (server, a pg_dump not older than it, the folder), then run pg_dump into
 * a temporary file with progress, publish it under its timestamped name,
 * and write its manifest. Everything it touches comes in as a parameter.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ToolError } from '../errors.js';
import { openClient, type DbSettings } from '../db/connect.js';
import { majorVersion, readServerInfo } from '../db/server-info.js';
import { chooseBinary, findBinaries, type PgBinary } from '../system/pg-binaries.js';
import { pgToolEnv } from '../system/pg-tool-env.js';
import { backupFileName, manifestFileName, partialFileName, type BackupFormat } from './backup-name.js';
import { readDatabaseSize, readDumpBackend, readDumpTables } from './dump-catalog.js';
import { DumpProgress } from './dump-progress.js';
import { runDump } from './dump-runner.js';
import { removeStaleLeftovers } from './leftovers.js';
import { buildManifest, type Manifest } from './manifest.js';
import { writeManifest } from './manifest-file.js';
import { describeDump, pgDumpArgs } from './pg-dump-args.js';
import { readRevisionSafely, type RevisionReader } from './revision.js';
import { exists } from './atomic-file.js';
import type { SpawnFn } from './tool-process.js';

export interface BackupRequest {
  db: DbSettings;
  dir: string;
  format: BackupFormat;
  toolVersion: string;
  readRevision?: RevisionReader;
  /** Environment used to find pg_dump and as the child's base environment. */
  env?: Record<string, string | undefined>;
  now?: () => Date;
  pid?: number;
  spawn?: SpawnFn;
  /** Override the pg_dump search (tests: a PATH without pg_dump). */
  findPgDump?: () => Promise<PgBinary[]>;
  signal?: AbortSignal;
  onEvent?: (event: BackupEvent) => void;
  /** How often progress is sampled and reported (ms). */
  progressIntervalMs?: number;
}

export interface BackupProgress {
  /** 0..1, undefined when unknown (schema only). */
  fraction?: number;
  bytes: number;
  elapsedMs: number;
  /** The table being dumped, or pg_dump's last step. */
  activity: string;
  tablesDone: number;
  tableCount: number;
}

export type BackupEvent =
  | { type: 'start'; file: string; dir: string; pgDump: PgBinary; serverVersion: string; tableCount: number; databaseBytes: number; command: string; cleaned: string[] }
  | ({ type: 'progress' } & BackupProgress)
  | { type: 'written'; file: string; size: number; sha256: string };

export interface BackupResult {
  file: string;
  path: string;
  manifestPath: string;
  manifest: Manifest;
  elapsedMs: number;
  /** Leftovers of earlier interrupted runs that were removed first. */
  cleaned: string[];
}

export async function runBackup(request: BackupRequest): Promise<BackupResult> {
  const now = request.now ?? (() => new Date());
  const env = request.env ?? process.env;
  const pid = request.pid ?? process.pid;
  const startedAt = now();
  const target = request.db.target;

  const client = await openClient(request.db, { applicationName: 'connector-db backup' });
  const timers: NodeJS.Timeout[] = [];
  try {
    const server = await readServerInfo(client);
    const found = await (request.findPgDump ?? (() => findBinaries('pg_dump', env)))();
    const { binary } = chooseBinary('pg_dump', found, majorVersion(server.versionNum), { dbName: target.database, dbUser: target.user });
    const tables = await readDumpTables(client);
    const databaseBytes = await readDatabaseSize(client);
    const migration = await readRevisionSafely(request.readRevision, client);
    // Only now that everything checked out does the folder get touched.
    await mkdir(request.dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new ToolError('backup_failed', `cannot create the backups folder ${request.dir}: ${error.code ?? error.message}`, { fixes: ['choose another folder with --dir or BACKUP__DIR'] });
    });
    const cleaned = await removeStaleLeftovers(request.dir, startedAt);

    const args = pgDumpArgs(request.format);
    const command = describeDump('pg_dump', args);
    const names = (attempt: number) => backupFileName(target.database, startedAt, request.format, attempt);
    const tag = `connector-db backup ${pid}-${randomBytes(3).toString('hex')}`;
    const progress = new DumpProgress(tables, request.format.schemaOnly);
    const problems: string[] = [];
    let bytes = 0;
    const report = () =>
      request.onEvent?.({ type: 'progress', fraction: progress.fraction(), bytes, elapsedMs: now().getTime() - startedAt.getTime(), activity: progress.activity, tablesDone: progress.tablesDone, tableCount: progress.tableCount });

    request.onEvent?.({ type: 'start', file: names(1), dir: request.dir, pgDump: binary, serverVersion: server.version, tableCount: tables.length, databaseBytes, command, cleaned });
    const childEnv = await pgToolEnv(target, { connectTimeout: request.db.connectTimeout, applicationName: tag, base: env as NodeJS.ProcessEnv });
    let sampling = false;
    timers.push(
      setInterval(() => {
        // Within a table, the server's COPY progress moves the bar; a lock wait is named. One sample at a time.
        if (!sampling) {
          sampling = true;
          readDumpBackend(client, tag)
            .then((s) => {
              if (s.copy) progress.onCopySample(s.copy);
              progress.onWait(s.blockedBy);
            })
            .catch(() => {})
            .finally(() => (sampling = false));
        }
        report();
      }, request.progressIntervalMs ?? 250),
    );
    let written;
    try {
      written = await runDump({
        program: binary.path,
        args,
        env: childEnv.env,
        gzip: request.format.kind === 'gzip',
        dir: request.dir,
        finalNames: names,
        reserved: (file) => exists(path.join(request.dir, manifestFileName(file))),
        tempName: partialFileName(names(1), pid),
        onStderrLine: (line) => {
          const parsed = progress.onLine(line);
          if (parsed?.kind === 'problem' && problems.length < 20) problems.push(parsed.text);
          if (parsed?.kind === 'table') report();
        },
        onBytes: (n) => (bytes = n),
        spawn: request.spawn,
        signal: request.signal,
      });
    } catch (error) {
      if (error instanceof ToolError && error.code === 'backup_failed') throw new ToolError('backup_failed', error.message, { evidence: problems, cause: error });
      throw error;
    } finally {
      await childEnv.cleanup();
    }
    const finishedAt = now();
    request.onEvent?.({ type: 'written', file: written.file, size: written.size, sha256: written.sha256 });
    const manifest = buildManifest({
      toolVersion: request.toolVersion,
      file: written.file,
      format: request.format,
      target,
      server: { version: server.version, versionNum: server.versionNum },
      pgDump: { version: binary.version, path: binary.path },
      migration,
      tables: request.format.schemaOnly ? 0 : tables.length,
      databaseBytes,
      size: written.size,
      sha256: written.sha256,
      startedAt,
      finishedAt,
      command,
    });
    const manifestPath = await writeManifest(request.dir, manifest, pid);
    return { file: written.file, path: written.path, manifestPath, manifest, elapsedMs: finishedAt.getTime() - startedAt.getTime(), cleaned };
  } finally {
    for (const t of timers) clearInterval(t);
    await client.end().catch(() => {});
  }
}
