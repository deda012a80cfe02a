/**
 * How `config` shows each setting: the value that is used (for the
 * target, after DATABASE__URL and ~/.pgpass; secrets masked) and the source
 * it came from.
 */
import type { Settings, Target } from './resolve.js';
import type { Source } from './sources.js';
import { SETTINGS, type SettingKey } from './spec.js';
import { maskUrlPassword } from './url.js';

/** The source a target setting shows: the one that won for that part of the target (the URL's, a placeholder's, ~/.pgpass's). */
export function targetSourceFor(key: SettingKey, sources: Settings['targetSources']): Source | undefined {
  const map: Partial<Record<SettingKey, keyof Settings['targetSources']>> = {
    DATABASE__HOST: 'host',
    DATABASE__PORT: 'port',
    DATABASE__NAME: 'database',
    DATABASE__USER: 'user',
    DATABASE__PASSWORD: 'password',
    DATABASE__SSLMODE: 'sslmode',
  };
  const field = map[key];
  return field ? sources[field] : undefined;
}

/** The value shown: the target's final part, a masked password or URL, else the raw value or its default. */
export function displayValue(key: SettingKey, raw: string | undefined, target: Target, connectTimeout: unknown): string | undefined {
  switch (key) {
    case 'DATABASE__PASSWORD':
      return target.password === undefined ? undefined : '****';
    case 'DATABASE__URL':
      return raw === undefined ? undefined : maskUrlPassword(raw);
    case 'DATABASE__HOST':
      return target.host;
    case 'DATABASE__PORT':
      return String(target.port);
    case 'DATABASE__NAME':
      return target.database;
    case 'DATABASE__USER':
      return target.user;
    case 'DATABASE__SSLMODE':
      return target.sslmode;
    case 'DATABASE__CONNECT_TIMEOUT':
      return String(connectTimeout);
    default:
      return raw ?? (SETTINGS[key] as { fallback?: string }).fallback;
  }
}
