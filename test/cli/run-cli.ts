/** Run the built bin/connector-db as a child process, the way scripts do. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/connector-db');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing from the developer's shell leaks into the settings. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k] as string;
  env.HOME = mkdtempSync(path.join(os.tmpdir(), 'cdb-home-'));
  env.CONNECTOR_DB_CONFIG_DIR = path.join(env.HOME, 'config');
  return { ...env, ...extra };
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(BIN, args, {
    cwd: options.cwd ?? mkdtempSync(path.join(os.tmpdir(), 'cdb-cwd-')),
    env: options.env ?? cleanEnv(),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
