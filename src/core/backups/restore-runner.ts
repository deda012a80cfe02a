/**
 * Streams a backup file into psql (plain SQL, gunzipped on the way) or
 * pg_restore (custom archives, read from stdin) as one transaction that
 * stops at the first error, so a failed restore leaves nothing behind.
 * Progress is the share of the file read so far.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ToolError } from '../errors.js';
import type { BackupKind } from './backup-name.js';
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
  stages.push(guardedStdin(tool.child, complete));
  const streamed = pipeline(stages).then(
    () => undefined,
    (error: unknown) => error,
  );
  const [streamError, exit] = await Promise.all([streamed, tool.exited]);
  const name = path.basename(input.program);
  if (input.signal?.aborted) throw new ToolError('cancelled', `the restore was cancelled; ${name} rolled it back, nothing was restored`);
  const toolFailed = exit.spawnError !== undefined || (exit.code !== 0 && exit.signal === null);
  if (streamError && !(toolFailed && problems.length > 0)) {
    // The input failed (damaged gzip, a cut file, a read error): the child was killed before it saw the end, so nothing was committed.
    throw new ToolError('restore_failed', `reading ${input.file} failed: ${streamError instanceof Error ? streamError.message : String(streamError)}; ${name} was stopped before the end, nothing was restored`, { evidence: problems, cause: streamError });
  }
  if (toolFailed || exit.code !== 0) {
    const fixes = problems.some((p) => p.includes('invalid command \\restrict'))
      ? [`install a psql at least as new as the pg_dump that wrote the backup (its manifest names the version), then set PG_BINDIR to its folder`]
      : [];
    throw new ToolError('restore_failed', `${describeExit(name, exit)}; the transaction was rolled back, nothing was restored`, { evidence: problems, fixes });
  }
  return { warnings };
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

/**
 * The child's stdin, guarded: psql commits its single transaction when its
 * input ends, so the input is ended only after everything upstream
 * succeeded and the script is whole. On any failure the child is killed
 * first (the server then rolls back) and its stdin never sees an orderly end.
 */
function guardedStdin(child: ChildProcess, incomplete: () => string | undefined): Writable {
  const stdin = child.stdin;
  if (!stdin) throw new Error('the restore program has no stdin pipe');
  let stdinError: Error | undefined;
  stdin.on('error', (error) => (stdinError = error));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      if (stdinError) return done(stdinError);
      if (stdin.write(chunk)) done();
      else stdin.once('drain', () => done());
    },
    final(done) {
      const problem = incomplete();
      if (problem) {
        kill();
        return done(new Error(problem));
      }
      stdin.end(() => done());
    },
    destroy(error, done) {
      if (error) kill();
      done(error);
    },
  });
}
