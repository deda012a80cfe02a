/**
 * Real resolved Settings for engine tests: a temp project folder with a
 * .env, a clean environment, and a temp home, so every value keeps the
 * source a person would see (".env line 2", "env", "default").
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings, type Settings } from '../../src/core/config/resolve.js';
import { ConfigError } from '../../src/core/errors.js';

export interface Project {
  cwd: string;
  home: string;
  env: Record<string, string>;
}

export function project(dotenv?: string, env: Record<string, string> = {}): Project {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cdb-home-'));
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-proj-'));
  if (dotenv !== undefined) writeFileSync(path.join(cwd, '.env'), dotenv, { mode: 0o600 });
  return { cwd, home, env: { HOME: home, CONNECTOR_DB_CONFIG_DIR: path.join(home, 'config'), PATH: process.env.PATH ?? '', ...env } };
}

export function settingsOf(p: Project): Settings {
  return resolveSettings({ env: p.env, cwd: p.cwd, homeDir: p.home, shippedMigrationsDir: path.resolve(import.meta.dirname, '../../sql-migrations') });
}

export function settingsOrError(p: Project): Settings | ConfigError {
  try {
    return settingsOf(p);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

/** `.env` text for a target. */
export function envText(vars: Record<string, string | number>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n') + '\n';
}
