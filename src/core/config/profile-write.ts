/**
 * Saving and switching profiles, through conf (atomic writes, 0600 file).
 * A profile never holds a password: a URL is saved without it, and the
 * password, when the person asks, goes to ~/.pgpass (0600) instead.
 */
import { chmod, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import type { ProfileFile } from './profile-store.js';
import type { Settings } from './resolve.js';
import { SETTINGS, type SettingKey } from './spec.js';
import { parseDatabaseUrl } from './url.js';

type ProfileValues = Record<string, string | number | boolean>;

async function store(configDir: string) {
  const { default: Conf } = await import('conf');
  return new Conf<ProfileFile>({ cwd: configDir, configName: 'config', projectName: 'connector-db', projectSuffix: '', configFileMode: 0o600 });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/; // no dots: conf reads them as nesting

/** Names conf's dot-path writer drops without a word (it guards them against prototype pollution), and names every plain object already answers to. */
function reservedName(name: string): boolean {
  return name === 'constructor' || name === 'prototype' || name in Object.prototype;
}

export function checkProfileName(name: string): void {
  if (reservedName(name)) throw new ToolError('usage', `profile name "${name}" is reserved; choose another name (letters, digits, _ and -)`, { exitCode: 2 });
  if (!NAME.test(name)) throw new ToolError('usage', `profile name ${JSON.stringify(name)} is not allowed; allowed: letters, digits, _ and - (up to 64, starting with a letter or digit)`, { exitCode: 2 });
}

/** The values worth saving: every non-secret setting that did not come from a default or from this same profile's absence. */
export function profileValuesFrom(settings: Settings): { values: ProfileValues; droppedPassword: boolean } {
  const values: ProfileValues = {};
  let droppedPassword = false;
  for (const entry of settings.entries) {
    if (entry.source.kind === 'default' || entry.display === undefined) continue;
    const key = entry.key as SettingKey;
    if (key === 'DATABASE__PASSWORD') {
      droppedPassword = true;
      continue;
    }
    if (key === 'DATABASE__URL') continue; // the parts below carry the same target without its password
    values[key] = entry.display;
  }
  const t = settings.target;
  Object.assign(values, { DATABASE__HOST: t.host, DATABASE__PORT: String(t.port), DATABASE__NAME: t.database, DATABASE__USER: t.user });
  if (t.sslmode) values.DATABASE__SSLMODE = t.sslmode;
  if (t.password !== undefined) droppedPassword = true;
  for (const key of Object.keys(values)) if ((SETTINGS as Record<string, { secret?: boolean }>)[key]?.secret) delete values[key];
  return { values, droppedPassword };
}

export async function saveProfile(configDir: string, name: string, values: ProfileValues, options: { activate?: boolean } = {}): Promise<string> {
  checkProfileName(name);
  if ('DATABASE__PASSWORD' in values) throw new ToolError('usage', 'passwords are never kept in profiles; allowed: ~/.pgpass (0600) or the environment', { exitCode: 2 });
  if (typeof values.DATABASE__URL === 'string' && parseDatabaseUrl(values.DATABASE__URL).password !== undefined) {
    throw new ToolError('usage', 'a URL with a password cannot go into a profile; allowed: the URL without its password, and the password in ~/.pgpass', { exitCode: 2 });
  }
  const conf = await store(configDir);
  conf.set(`profiles.${name}`, values);
  if (options.activate || !conf.get('activeProfile')) conf.set('activeProfile', name);
  return conf.path;
}

/** Own keys only: a plain object answers to toString, hasOwnProperty... */
function hasProfile(conf: Awaited<ReturnType<typeof store>>, name: string): boolean {
  const profiles = conf.get('profiles') ?? {};
  return Object.hasOwn(profiles, name);
}

export async function useProfile(configDir: string, name: string): Promise<void> {
  const conf = await store(configDir);
  if (!hasProfile(conf, name)) throw new ToolError('not_found', `profile "${name}" does not exist; allowed: ${Object.keys(conf.get('profiles') ?? {}).join(', ') || 'no profiles are saved yet'}`, { exitCode: 2 });
  conf.set('activeProfile', name);
}

export async function deleteProfile(configDir: string, name: string): Promise<void> {
  const conf = await store(configDir);
  if (!hasProfile(conf, name)) throw new ToolError('not_found', `profile "${name}" does not exist`, { exitCode: 2 });
  conf.delete(`profiles.${name}` as 'profiles');
  if (conf.get('activeProfile') === name) conf.delete('activeProfile');
}

export async function setProfileValue(configDir: string, name: string, key: SettingKey, value: string): Promise<void> {
  checkProfileName(name);
  if ((SETTINGS[key] as { secret?: boolean }).secret) throw new ToolError('usage', `${key} is a secret and is never kept in a profile`, { exitCode: 2 });
  const parsed = SETTINGS[key].schema.safeParse(value);
  if (!parsed.success) throw new ToolError('config_invalid', `${key}=${JSON.stringify(value)} is invalid; allowed: ${SETTINGS[key].allowed}`, { exitCode: 2 });
  const conf = await store(configDir);
  conf.set(`profiles.${name}.${key}`, value);
}

/**
 * Add (or replace) the line for this target in ~/.pgpass, keeping the file's
 * other lines, written 0600 through a temp file and a rename.
 */
export async function savePgpass(file: string, entry: { host: string; port: number; database: string; user: string; password: string }): Promise<void> {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const host = entry.host.startsWith('/') ? 'localhost' : entry.host;
  const prefix = `${esc(host)}:${entry.port}:${esc(entry.database)}:${esc(entry.user)}:`;
  let lines: string[] = [];
  try {
    lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '' && !l.startsWith(prefix));
  } catch {
    lines = [];
  }
  lines.unshift(prefix + esc(entry.password));
  const tmp = path.join(path.dirname(file), `.pgpass.${process.pid}.tmp`);
  await writeFile(tmp, lines.join('\n') + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
