/**
 * The restore runner's plumbing with real child processes that behave like
 * psql at its edges: one that stops reading and fails, one that quits
 * early with success, one that leaves its input pipe open behind it, one
 * that never reads and is cancelled, and one that reads everything. Each
 * settles promptly (the file is 16 MB: far more than the pipe holds).
 * The same runner against PostgreSQL: test/pg/restore-stops.pg.test.ts.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_COMPLETE, runRestoreTool } from '../../src/core/backups/restore-runner.js';
import type { SpawnFn } from '../../src/core/backups/tool-process.js';
import { failure } from '../harness/failure.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-runner-'));
const file = path.join(dir, 'big.sql');
// Generous: a hang is for ever; each case takes well under a second here.
const PROMPT_MS = 10_000;

/** A stand-in for psql: the shell script runs instead, with the pipes the runner set up. */
const shell =
  (script: string): SpawnFn =>
  (_command, _args, options) =>
    nodeSpawn('sh', ['-c', script], options);

const run = (script: string, signal?: AbortSignal) =>
  runRestoreTool({ file, kind: 'plain', program: '/usr/bin/psql', database: 'x', env: process.env, noOwner: false, noAcl: false, spawn: shell(script), ...(signal ? { signal } : {}) });

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await promise;
  return { value, ms: Date.now() - started };
}

describe('restore runner: the child ends first, or is cancelled', () => {
  // The stand-in's background job, ended by its pid even when a test times out.
  const pidFile = path.join(dir, 'stray.pid');
  beforeAll(() => {
    const line = `INSERT INTO t VALUES ('${'x'.repeat(80)}');\n`;
    writeFileSync(file, line.repeat(Math.ceil((16 << 20) / line.length)) + `-- ${DUMP_COMPLETE}\n`);
  });
  afterAll(() => {
    if (!existsSync(pidFile)) return;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('stops reading and fails (ON_ERROR_STOP): its exit and its error, at once', async () => {
    const { value: e, ms } = await timed(failure(run(`head -c 100000 >/dev/null; echo 'psql:<stdin>:3: ERROR:  boom' >&2; exit 3`)));
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toBe('psql exited with code 3; the transaction was rolled back, nothing was restored');
    expect(e.evidence).toEqual(['psql:<stdin>:3: ERROR:  boom']);
  });

  it('quits early with success (a \\q in the script): not called a restore, and not called rolled back', async () => {
    const { value: e, ms } = await timed(failure(run('head -c 100000 >/dev/null; exit 0')));
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toBe(`psql ended before reading all of ${file}; what it read may have been committed`);
  });

  it('exits while something it started keeps its input open (the pipe never breaks): still settles on its exit', async () => {
    // A background job's stdin would be /dev/null; through fd 3 it keeps the pipe.
    const { value: e, ms } = await timed(failure(run(`exec 3<&0; sleep 20 <&3 >/dev/null 2>&1 & echo $! > '${pidFile}'; head -c 100000 >/dev/null; exit 2`)));
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toMatch(/^psql exited with code 2/);
  });

  it('never reads and is cancelled: stopped, and reported as cancelled at once', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { value: e, ms } = await timed(failure(run('exec sleep 30', controller.signal)));
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('the restore was cancelled; psql was stopped and its transaction rolled back, nothing was restored');
  });

  it('reads everything and exits 0: a success, every time (the end of the input is not mistaken for an early exit)', async () => {
    for (let i = 0; i < 5; i++) await expect(run('cat >/dev/null')).resolves.toEqual({ warnings: [] });
  });
});
