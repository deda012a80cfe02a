/**
 * Runs pg_dump and streams its output into a file, end to end: stdout →
 * (gzip) → sha256 and byte count → an exclusively created temporary file.
 * Back-pressure holds pg_dump when the disk is slower, so memory stays flat
 * whatever the database size. The file gets its final name only after
 * pg_dump exited 0, the gzip stream ended and the data is on disk; on any
 * failure or abort the temporary file is removed.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ToolError } from '../errors.js';
import { closeQuietly, createExclusive, publishNoReplace, removeQuietly, syncAndClose } from './atomic-file.js';
import { describeExit, startTool, type SpawnFn } from './tool-process.js';

export interface DumpRunInput {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Compress plain SQL on the way to the file. */
  gzip: boolean;
  dir: string;
  /** Final names to try in order (the plain name, then `_2`, `_3`...): the first free one is taken. */
  finalNames: (attempt: number) => string;
  tempName: string;
  /** A free name may still be reserved (e.g. a stray manifest of a deleted backup has it). */
  reserved?: (file: string) => Promise<boolean>;
  onStderrLine: (line: string) => void;
  /** Called as bytes reach the file (every chunk; throttle in the caller). */
  onBytes?: (written: number) => void;
  spawn?: SpawnFn;
  signal?: AbortSignal;
}

export interface DumpRunResult {
  file: string;
  path: string;
  size: number;
  sha256: string;
}

const MAX_NAME_ATTEMPTS = 100;

export async function runDump(input: DumpRunInput): Promise<DumpRunResult> {
  const tempPath = path.join(input.dir, input.tempName);
  const fd = await createExclusive(tempPath);
  let closed = false;
  try {
    const hash = createHash('sha256');
    let written = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        written += chunk.length;
        input.onBytes?.(written);
        done(null, chunk);
      },
    });
    const tool = startTool(input.program, input.args, { env: input.env, stdin: 'ignore', onStderrLine: input.onStderrLine, spawn: input.spawn, signal: input.signal });
    const out = createWriteStream('', { fd, autoClose: false });
    const stdout = tool.child.stdout;
    if (!stdout) throw new Error('pg_dump has no stdout pipe');
    const streamed = pipeline([stdout, ...(input.gzip ? [createGzip()] : []), meter, out]).then(
      () => undefined,
      (error: unknown) => {
        // The file side failed (disk full, permission): stop pg_dump too.
        tool.stop();
        return error;
      },
    );
    const [streamError, exit] = await Promise.all([streamed, tool.exited]);
    if (input.signal?.aborted) throw new ToolError('cancelled', 'the backup was cancelled; nothing was kept');
    if (exit.spawnError || exit.code !== 0) throw new ToolError('backup_failed', `${describeExit(path.basename(input.program), exit)}; the partial output was removed`);
    if (streamError) throw new ToolError('backup_failed', `writing ${tempPath} failed: ${streamError instanceof Error ? streamError.message : String(streamError)}; the partial output was removed`, { cause: streamError });
    await syncAndClose(fd);
    closed = true;
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
      const file = input.finalNames(attempt);
      if (await input.reserved?.(file)) continue;
      if (await publishNoReplace(tempPath, path.join(input.dir, file))) return { file, path: path.join(input.dir, file), size: written, sha256: hash.digest('hex') };
    }
    throw new ToolError('backup_failed', `no free file name in ${input.dir} after ${MAX_NAME_ATTEMPTS} attempts`);
  } finally {
    if (!closed) await closeQuietly(fd);
    await removeQuietly(tempPath);
  }
}
