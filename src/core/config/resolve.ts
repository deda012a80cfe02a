/**
 * Resolve the effective settings, first source wins:
 * flags > process env > .env (or --env-file) > saved profile > libpq
 * (PGSERVICE, PG* variables, ~/.pgpass) > defaults.
 * Every value keeps its source so that `config` and the doctor can say
 * where it came from. Invalid values are collected, one line each.
 */
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { applyUrl } from './apply-url.js';
import { chooseProfileName, configDirFor, profileFilePath } from './profile-store.js';
import { displayEnvPath, listProfiles, lookupPgpass, readDotenv, readProfileFile, readService } from './setting-files.js';
import { DEFAULT_SOURCE, tildify, type Candidate, type Source } from './sources.js';
import { SETTINGS, SETTING_KEYS, type SettingKey, type SslMode } from './spec.js';
import { displayValue, targetSourceFor } from './entry-display.js';
import { formatDatabaseUrl, type UrlParts } from './url.js';

// The shapes live apart (settings-types.ts); every importer keeps reading them from here.
export type { FlagValue, ResolveInput, Settings, SettingEntry, Target } from './settings-types.js';
import type { ResolveInput, Settings, SettingEntry, Target } from './settings-types.js';

type Layer = (key: SettingKey) => Candidate | undefined;

export function resolveSettings(input: ResolveInput): Settings {
  const problems: string[] = [];
  const notes: string[] = [];
  const home = input.homeDir;
  const { env } = input;

  const dotenv = readDotenv(input.cwd, input.envFile, problems);
  const configDir = configDirFor(env, home);
  const profileFile = readProfileFile(configDir, problems);
  const profileName = chooseProfileName(profileFile, input.profile || env.CONNECTOR_DB_PROFILE);
  // Own keys only: --profile toString must not find Object.prototype's.
  const profiles = profileFile?.profiles;
  const profile = profiles && Object.hasOwn(profiles, profileName) ? profiles[profileName] : undefined;
  if ((input.profile || env.CONNECTOR_DB_PROFILE) && !profile) {
    problems.push(`profile "${profileName}" (from ${input.profile ? 'flag --profile' : 'env CONNECTOR_DB_PROFILE'}) does not exist in ${tildify(profileFilePath(configDir), home)}; allowed: ${listProfiles(profileFile)}`);
  }
  const service = readService(env, home, problems);

  const dotenvLabel = dotenv ? displayEnvPath(dotenv.path, input.cwd, home) : '.env';
  const layers: Layer[] = [
    (key) => {
      const f = input.flags?.[key];
      return f ? { raw: f.value, source: { kind: 'flag', label: `flag ${f.flag}`, variable: key } } : undefined;
    },
    (key) => {
      const v = env[key];
      return v !== undefined ? { raw: v, source: { kind: 'env', label: 'env', variable: key } } : undefined;
    },
    (key) => {
      const e = dotenv?.entries.get(key);
      return e ? { raw: e.value, source: { kind: 'dotenv', label: `${dotenvLabel} line ${e.line}`, variable: key, path: dotenv?.path, line: e.line } } : undefined;
    },
    (key) => {
      const v = profile?.[key];
      if (v === undefined) return undefined;
      if (SETTINGS[key].secret && key === 'DATABASE__PASSWORD') {
        problems.push(`DATABASE__PASSWORD from profile ${profileName}: passwords are never kept in profiles; allowed: put it in ~/.pgpass (0600) or the environment`);
        return undefined;
      }
      return { raw: String(v), source: { kind: 'profile', label: `profile ${profileName}`, variable: key } };
    },
    (key) => {
      const serviceKey = (SETTINGS[key] as { service?: string }).service;
      const v = serviceKey ? service?.values.get(serviceKey) : undefined;
      return v && service
        ? { raw: v.value, source: { kind: 'service', label: `${tildify(service.path, home)} [${service.name}] line ${v.line}`, path: service.path, line: v.line } }
        : undefined;
    },
    (key) => {
      for (const name of (SETTINGS[key] as { libpq?: string[] }).libpq ?? []) {
        const v = env[name];
        if (v !== undefined && v !== '') return { raw: v, source: { kind: 'libpq', label: name, variable: name } };
      }
      return undefined;
    },
  ];

  const chosen = new Map<SettingKey, Candidate>();
  for (const key of SETTING_KEYS) {
    for (const layer of layers) {
      const c = layer(key);
      if (c) {
        chosen.set(key, c);
        break;
      }
    }
  }

  const value = <K extends SettingKey>(key: K, rawOverride?: Candidate): unknown => {
    const c = rawOverride ?? chosen.get(key);
    const spec = SETTINGS[key];
    const raw = c?.raw ?? (spec as { fallback?: string }).fallback;
    if (raw === undefined) return undefined;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      // A value read out of a URL is not echoed: if the URL was mistyped it may be a piece of the password.
      const shown = spec.secret ? '(hidden)' : c?.source.kind === 'url' ? '(part of the URL, not shown)' : JSON.stringify(raw);
      problems.push(`${key}=${shown} from ${c?.source.label ?? 'default'} is invalid; allowed: ${spec.allowed}`);
      return undefined;
    }
    return parsed.data;
  };
  const sourceOf = (key: SettingKey): Source => {
    const c = chosen.get(key);
    return c ? { ...c.source, variable: c.source.variable ?? key } : DEFAULT_SOURCE;
  };

  // The parts, then the URL on top of them (the app uses the URL when it is complete).
  const parts = {
    host: value('DATABASE__HOST') as string | undefined,
    port: value('DATABASE__PORT') as number | undefined,
    database: value('DATABASE__NAME') as string | undefined,
    user: value('DATABASE__USER') as string | undefined,
    password: value('DATABASE__PASSWORD') as string | undefined,
    sslmode: value('DATABASE__SSLMODE') as SslMode | undefined,
    connectTimeout: value('DATABASE__CONNECT_TIMEOUT') as number | undefined,
    sslrootcert: undefined as string | undefined,
  };
  const targetSources: Settings['targetSources'] = {
    host: sourceOf('DATABASE__HOST'),
    port: sourceOf('DATABASE__PORT'),
    database: sourceOf('DATABASE__NAME'),
    user: sourceOf('DATABASE__USER'),
    password: chosen.has('DATABASE__PASSWORD') ? sourceOf('DATABASE__PASSWORD') : undefined,
    sslmode: chosen.has('DATABASE__SSLMODE') ? sourceOf('DATABASE__SSLMODE') : undefined,
  };
  let connectTimeoutSource = sourceOf('DATABASE__CONNECT_TIMEOUT');
  let driver: string | undefined;

  const urlCandidate = chosen.get('DATABASE__URL');
  if (urlCandidate && urlCandidate.raw.trim() !== '') {
    const applied = applyUrl(urlCandidate, {
      lookup: (name) => {
        if (name === 'DATABASE__PASSWORD') return parts.password;
        if (name === 'DATABASE__PORT') return parts.port === undefined ? undefined : String(parts.port);
        if (name === 'DATABASE__HOST') return parts.host;
        if (name === 'DATABASE__NAME') return parts.database;
        if (name === 'DATABASE__USER') return parts.user;
        const known = name as SettingKey;
        if (chosen.has(known)) return chosen.get(known)?.raw;
        return env[name] ?? dotenv?.entries.get(name)?.value ?? (SETTINGS[known] as { fallback?: string } | undefined)?.fallback;
      },
      sourceOfPlaceholder: (name) => (name in SETTINGS ? sourceOf(name as SettingKey) : undefined),
      problems,
      notes,
    });
    if (applied) {
      driver = applied.parts.driver;
      const urlSource = (field: keyof UrlParts): Source =>
        applied.fieldSources[field] ?? { kind: 'url', label: `DATABASE__URL (${urlCandidate.source.label})`, variable: 'DATABASE__URL', path: urlCandidate.source.path, line: urlCandidate.source.line };
      const override = <F extends 'host' | 'port' | 'database' | 'user' | 'password' | 'sslmode'>(field: F, fromUrl: string | undefined, key: SettingKey) => {
        if (fromUrl === undefined) return;
        const typed = value(key, { raw: fromUrl, source: urlSource(field) });
        if (typed === undefined) return;
        const before = chosen.get(key);
        if (before && before.source.kind !== 'url' && String(parts[field]) !== String(typed) && !applied.fieldSources[field]) {
          notes.push(`${key} from ${before.source.label} is not used: DATABASE__URL sets the ${field === 'database' ? 'database' : field}.`);
        }
        (parts as Record<string, unknown>)[field] = typed;
        targetSources[field] = urlSource(field);
      };
      override('host', applied.parts.host, 'DATABASE__HOST');
      override('port', applied.parts.port, 'DATABASE__PORT');
      override('database', applied.parts.database, 'DATABASE__NAME');
      override('user', applied.parts.user, 'DATABASE__USER');
      override('password', applied.parts.password, 'DATABASE__PASSWORD');
      override('sslmode', applied.parts.sslmode, 'DATABASE__SSLMODE');
      // As libpq reads it: a relative path from the folder the tool runs in.
      if (applied.parts.sslrootcert) parts.sslrootcert = path.resolve(input.cwd, applied.parts.sslrootcert);
      if (applied.parts.connectTimeout !== undefined) {
        const typed = value('DATABASE__CONNECT_TIMEOUT', { raw: applied.parts.connectTimeout, source: urlSource('connectTimeout') });
        if (typed !== undefined) {
          parts.connectTimeout = typed as number;
          connectTimeoutSource = urlSource('connectTimeout');
        }
      }
    }
  }

  // ~/.pgpass supplies the password only when nothing above did (as libpq does).
  if (parts.password === undefined && parts.host && parts.port && parts.database && parts.user) {
    const found = lookupPgpass(env, home, { host: parts.host, port: parts.port, database: parts.database, user: parts.user }, notes);
    if (found) {
      parts.password = found.password;
      targetSources.password = { kind: 'pgpass', label: `${tildify(found.path, home)} line ${found.line}`, path: found.path, line: found.line };
    }
  }

  const scalar = {
    poolSize: value('DATABASE__POOL_SIZE') as number,
    maxOverflow: value('DATABASE__MAX_OVERFLOW') as number,
    echo: value('DATABASE__ECHO') as boolean,
    intPort: value('DATABASE__INT_PORT') as number,
    extPort: value('DATABASE__EXT_PORT') as number,
    queryReadOnly: value('QUERY__READ_ONLY') as boolean,
    queryStatementTimeout: value('QUERY__STATEMENT_TIMEOUT') as number,
  };
  const migrationsRaw = value('MIGRATIONS__DIR') as string | undefined;
  const backupRaw = value('BACKUP__DIR') as string;

  if (dotenv) {
    for (const bad of dotenv.malformed) {
      problems.push(`${dotenvLabel} line ${bad.line} is not KEY=value (${JSON.stringify(bad.text.slice(0, 40))}); allowed: KEY=value, export KEY=value, # comment`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const target: Target = {
    host: parts.host as string,
    port: parts.port as number,
    database: parts.database as string,
    user: parts.user as string,
    ...(parts.password !== undefined ? { password: parts.password } : {}),
    ...(parts.sslmode !== undefined ? { sslmode: parts.sslmode } : {}),
    ...(parts.sslrootcert !== undefined ? { sslrootcert: parts.sslrootcert } : {}),
    ...(driver ? { driver } : {}),
  };

  const entries: SettingEntry[] = SETTING_KEYS.map((key) => {
    const source = key === 'DATABASE__CONNECT_TIMEOUT' ? connectTimeoutSource : sourceOf(key);
    return { key, display: displayValue(key, chosen.get(key)?.raw, target, parts.connectTimeout), source: targetSourceFor(key, targetSources) ?? source };
  });

  return {
    target,
    targetSources,
    ...scalar,
    connectTimeout: parts.connectTimeout as number,
    migrationsDir: migrationsRaw ? path.resolve(input.cwd, migrationsRaw) : input.shippedMigrationsDir,
    backupDir: path.resolve(input.cwd, backupRaw),
    entries,
    maskedUrl: formatDatabaseUrl(target),
    notes,
    ...(dotenv ? { envFilePath: dotenv.path } : {}),
    profileName,
    configDir,
  };
}
