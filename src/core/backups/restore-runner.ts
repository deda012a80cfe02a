/**
 * Streams a backup file into psql (plain SQL, gunzipped on the way) or
 * pg_restore (custom archives, read from stdin) as one transaction that
 * stops at the first error, so a failed restore leaves nothing behind.
 * Progress is the share of the file read so far. It settles as soon as the
 * child ends, whatever the reason (its own error, a kill, a cancel), even
 * with most of the file still unread.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ToolError } from '../errors.js';
import type { BackupKind } from './backup-name.js';
import { childStdin } from './child-stdin.js';
import { lineFilter } from './sql-line-stream.js';
import { SqlDumpLines } from './sql-dump-lines.js';
import { describeExit, startTool, type SpawnFn } from './tool-process.js';

export interface RestoreToolInput {
  file: string;
  kind: BackupKind;
  /** psql for plain and gzip, pg_restore for custom. */
  program: string;
  /** The database to restore into (connection details are in `env`). */
  database: string;
  env: NodeJS.ProcessEnv;
  noOwner: boolean;
  noAcl: boolean;
  onProgress?: (read: number) => void;
  spawn?: SpawnFn;
  signal?: AbortSignal;
}

/** psql's or pg_restore's argument list (no connection details beyond the database name). */
export function restoreArgs(kind: BackupKind, database: string, options: { noOwner: boolean; noAcl: boolean }): string[] {
  if (kind === 'custom') {
    // A conninfo string, so a database name is never read as a URL or keyword list.
    const args = ['--exit-on-error', '--single-transaction', '--no-password', `--dbname=dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`];
    if (options.noOwner) args.push('--no-owner');
    if (options.noAcl) args.push('--no-acl');
    return args;
  }
  // -X: no ~/.psqlrc; the database comes from PGDATABASE; the script from stdin.
  return ['-X', '--quiet', '--no-password', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '--file=-'];
}

export async function runRestoreTool(input: RestoreToolInput): Promise<{ warnings: string[] }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const args = restoreArgs(input.kind, input.database, input);
  const tool = startTool(input.program, args, {
    env: { ...input.env, PGDATABASE: input.database },
    stdin: 'pipe',
    onStderrLine: (line) => {
      if (/\b(ERROR|FATAL|error):/.test(line) || problems.length > 0) {
        if (problems.length < 12) problems.push(line);
      } else if (warnings.length < 20 && line.trim() !== '') warnings.push(line);
    },
    spawn: input.spawn,
    signal: input.signal,
  });
  tool.child.stdout?.resume();
  let read = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      input.onProgress?.(read);
      done(null, chunk);
    },
  });
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [createReadStream(input.file, { highWaterMark: 1 << 20 }), meter];
  if (input.kind === 'gzip') stages.push(createGunzip());
  let tail: TailKeeper | undefined;
  if (input.kind !== 'custom') {
    tail = new TailKeeper();
    stages.push(tail);
  }
  if (input.kind !== 'custom' && (input.noOwner || input.noAcl)) {
    const lines = new SqlDumpLines();
    stages.push(
      lineFilter((line) => {
        const info = lines.feed(line);
        return !((input.noOwner && info.kind === 'owner') || (input.noAcl && info.kind === 'acl'));
      }),
    );
  }
  const complete = () => (tail && !tail.text.includes(DUMP_COMPLETE) ? `the file does not end with pg_dump's "${DUMP_COMPLETE}" line: it was cut short` : undefined);
  const sink = childStdin(tool.child, complete);
  stages.push(sink.stream);
  // The child may end first (an error with ON_ERROR_STOP, --exit-on-error, a kill, a cancel): then nothing
  // reads the rest, so the pipeline is ended too, at once after a failure. After a normal end the input
  // has been handed over (or its next write fails on the closed pipe); it gets a moment to say so.
  const childEnded = new AbortController();
  const streamed = pipeline(stages, { signal: childEnded.signal }).then(
    () => undefined,
    (error: unknown) => error,
  );
  const exit = await tool.exited;
  if (exit.code === 0) await settledWithin(streamed, NORMAL_END_GRACE_MS);
  childEnded.abort();
  const streamError = await streamed;
  const name = path.basename(input.program);
  if (exit.code === 0 && !streamError) return { warnings };
  if (input.signal?.aborted) throw new ToolError('cancelled', `the restore was cancelled; ${name} was stopped and its transaction rolled back, nothing was restored`);
  const failedOnItsOwn = exit.spawnError !== undefined || (exit.code !== null && exit.code !== 0);
  const inputFailure = sink.killedFor();
  if (inputFailure && !(failedOnItsOwn && problems.length > 0)) {
    // The input failed (damaged gzip, a cut file, a read error): the child was killed before it saw the end, so nothing was committed.
    throw new ToolError('restore_failed', `reading ${input.file} failed: ${inputFailure.message}; ${name} was stopped before the end, nothing was restored`, { evidence: problems, cause: inputFailure });
  }
  if (exit.code === 0) {
    // It ended successfully without reading everything (a \\q in the script): what it ran may be committed.
    throw new ToolError('restore_failed', `${name} ended before reading all of ${input.file}; what it read may have been committed`, { evidence: problems, cause: streamError });
  }
  const fixes = problems.some((p) => p.includes('invalid command \\restrict'))
    ? [`install a psql at least as new as the pg_dump that wrote the backup (its manifest names the version), then set PG_BINDIR to its folder`]
    : [];
  throw new ToolError('restore_failed', `${describeExit(name, exit)}; the transaction was rolled back, nothing was restored`, { evidence: problems, fixes });
}

/** How long the input may take to finish after the child ended normally. */
const NORMAL_END_GRACE_MS = 5000;

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The last line pg_dump writes in a plain dump; without it the file was cut short. */
export const DUMP_COMPLETE = 'PostgreSQL database dump complete';

/** Passes data through and keeps its last few hundred characters. */
class TailKeeper extends Transform {
  text = '';
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.text = (this.text + chunk.subarray(Math.max(0, chunk.length - 512)).toString('latin1')).slice(-512);
    done(null, chunk);
  }
}
