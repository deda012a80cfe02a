/**
 * The shapes of resolved settings: what resolveSettings takes (flags, the
 * environment, the folders) and what it gives (the target, every value with
 * its source, the notes).
 */
import type { Source } from './sources.js';
import type { SettingKey, SslMode } from './spec.js';

export interface FlagValue {
  value: string;
  /** The flag as typed, e.g. "--url". */
  flag: string;
}

export interface ResolveInput {
  flags?: Partial<Record<SettingKey, FlagValue>>;
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  /** `--env-file PATH`: must exist. Without it, `./.env` is read when present. */
  envFile?: string;
  /** `--profile NAME` */
  profile?: string;
  /** The sql-migrations folder shipped with the tool (MIGRATIONS__DIR's default). */
  shippedMigrationsDir: string;
}

/** The connection the tool will open. */
export interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode?: SslMode;
  /** From DATABASE__URL's sslrootcert: the CA file for verify-ca / verify-full (else PGSSLROOTCERT, else ~/.postgresql/root.crt). */
  sslrootcert?: string;
  /** The SQLAlchemy driver named in the URL (asyncpg, psycopg2...): informative only. */
  driver?: string;
}

export interface Settings {
  target: Target;
  /** Where each part of the target came from. */
  targetSources: Record<'host' | 'port' | 'database' | 'user' | 'password' | 'sslmode', Source | undefined>;
  poolSize: number;
  maxOverflow: number;
  echo: boolean;
  connectTimeout: number;
  intPort: number;
  extPort: number;
  migrationsDir: string;
  backupDir: string;
  queryReadOnly: boolean;
  queryStatementTimeout: number;
  /** Every setting with its raw value (secrets masked) and source, for `config`. */
  entries: SettingEntry[];
  /** The final URL with the password masked. */
  maskedUrl: string;
  /** Things worth saying that are not errors (an ignored part, a placeholder filled in, a pgpass file ignored). */
  notes: string[];
  /** The .env file that was read, if any. */
  envFilePath?: string;
  profileName: string;
  configDir: string;
}

export interface SettingEntry {
  key: SettingKey;
  /** Display value; secrets are masked, unset is undefined. */
  display?: string;
  source: Source;
}
