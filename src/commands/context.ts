/**
 * What every command receives: the global options, an Output, and lazy
 * settings (resolved once, on first use, so `--help` never reads files).
 */
import os from 'node:os';
import type { FlagValue, ResolveInput, Settings } from '../core/config/resolve.js';
import type { SettingKey } from '../core/config/spec.js';
import { shippedMigrationsDir } from '../core/system/package-root.js';
import { Output } from './output.js';

export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  envFile?: string;
  url?: string;
  profile?: string;
  migrationsDir?: string;
}

export interface CommandContext {
  globals: GlobalOptions;
  out: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolve settings, adding command-specific flags (e.g. doctor's --timeout). Cached per flag set. */
  settings(extraFlags?: Partial<Record<SettingKey, FlagValue>>, options?: { fresh?: boolean }): Settings;
  stdin: NodeJS.ReadStream;
  /** True when a person can answer a question (stdin and stderr are terminals). */
  interactive: boolean;
}

/** The resolver is passed in (loaded with `await import()` by cli.ts) so zod stays out of start-up for --help and --version. */
export type Resolver = (input: ResolveInput) => Settings;

export function createContext(
  globals: GlobalOptions,
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream },
  env: Record<string, string | undefined>,
  colour: boolean,
  resolveSettings: Resolver,
): CommandContext {
  const cache = new Map<string, Settings>();
  return {
    globals,
    out: new Output(io.stdout, io.stderr, Boolean(globals.json), colour),
    env,
    cwd: process.cwd(),
    stdin: io.stdin,
    interactive: Boolean(io.stdin.isTTY && io.stderr.isTTY),
    settings(extraFlags = {}, options = {}) {
      const key = JSON.stringify(extraFlags);
      const hit = options.fresh ? undefined : cache.get(key);
      if (hit) return hit;
      const flags: Partial<Record<SettingKey, FlagValue>> = { ...extraFlags };
      if (globals.url !== undefined) flags.DATABASE__URL = { value: globals.url, flag: '--url' };
      if (globals.migrationsDir !== undefined) flags.MIGRATIONS__DIR = { value: globals.migrationsDir, flag: '--migrations-dir' };
      const settings = resolveSettings({
        flags,
        env,
        cwd: process.cwd(),
        homeDir: os.homedir(),
        ...(globals.envFile !== undefined ? { envFile: globals.envFile } : {}),
        ...(globals.profile !== undefined ? { profile: globals.profile } : {}),
        shippedMigrationsDir: shippedMigrationsDir(),
      });
      cache.set(key, settings);
      return settings;
    },
  };
}
