/**
 * Every setting the tool reads: its variable (the connector app's own
 * names), default, the libpq variable that can also supply it, and a zod
 * schema that both validates the raw text and says what is allowed.
 */
// zod/mini: the same validation as classic zod, but it bundles to ~30 KB instead of ~750 KB,
// which is ~20 ms of start-up for every command that reads the settings.
import * as z from 'zod/mini';

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Text → number in [min, max]; `pattern` says which texts are numbers at all. */
const numeric = (pattern: RegExp, min: number, max: number, int: boolean) =>
  z.pipe(
    z.pipe(z.string().check(z.trim(), z.regex(pattern)), z.transform(Number)),
    int ? z.number().check(z.int(), z.gte(min), z.lte(max)) : z.number().check(z.gte(min), z.lte(max)),
  );

const integer = (min: number, max: number) => numeric(/^\d+$/, min, max, true);
const seconds = (min: number, max: number) => numeric(/^\d+(\.\d+)?$/, min, max, false);

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off', ''];
const boolean = z.pipe(
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.refine((s) => TRUE.includes(s) || FALSE.includes(s)),
  ),
  z.transform((s) => TRUE.includes(s)),
);

const nonEmpty = z.string().check(z.minLength(1));

/** What resolve needs of a schema: parse raw text into the typed value, or fail. */
export interface TextSchema<T> {
  safeParse(raw: string): { success: true; data: T } | { success: false };
}

export interface SettingSpec<T = unknown> {
  key: string;
  /** What the setting means, one line (for `config` and help). */
  description: string;
  /** Raw default; undefined means "no value". */
  fallback?: string;
  /** What is allowed, in words, for the one-line error. */
  allowed: string;
  schema: TextSchema<T>;
  /** libpq environment variables that also supply it (lowest layer above defaults). */
  libpq?: string[];
  /** The pg_service.conf key that supplies it. */
  service?: string;
  secret?: boolean;
}

function spec<T>(s: SettingSpec<T>): SettingSpec<T> {
  return s;
}

export const SETTINGS = {
  DATABASE__HOST: spec({ key: 'DATABASE__HOST', description: 'host name, IP, or a unix-socket directory', fallback: 'localhost', allowed: 'a host name, an IP address or a socket directory starting with /', schema: nonEmpty, libpq: ['PGHOST'], service: 'host' }),
  DATABASE__PORT: spec({ key: 'DATABASE__PORT', description: 'port', fallback: '5432', allowed: 'an integer from 1 to 65535', schema: integer(1, 65535), libpq: ['PGPORT'], service: 'port' }),
  DATABASE__INT_PORT: spec({ key: 'DATABASE__INT_PORT', description: "the database's port inside Docker (the app's compose file)", fallback: '5432', allowed: 'an integer from 1 to 65535', schema: integer(1, 65535) }),
  DATABASE__EXT_PORT: spec({ key: 'DATABASE__EXT_PORT', description: 'the port Docker publishes on the host (the app\'s compose file)', fallback: '5433', allowed: 'an integer from 1 to 65535', schema: integer(1, 65535) }),
  DATABASE__NAME: spec({ key: 'DATABASE__NAME', description: 'database', fallback: 'connector_db', allowed: 'a non-empty database name', schema: nonEmpty, libpq: ['PGDATABASE'], service: 'dbname' }),
  DATABASE__USER: spec({ key: 'DATABASE__USER', description: 'role', fallback: 'connector_user', allowed: 'a non-empty role name', schema: nonEmpty, libpq: ['PGUSER'], service: 'user' }),
  DATABASE__PASSWORD: spec({ key: 'DATABASE__PASSWORD', description: 'password (never shown)', allowed: 'any text', schema: z.string(), libpq: ['PGPASSWORD'], service: 'password', secret: true }),
  DATABASE__URL: spec({ key: 'DATABASE__URL', description: 'full URL (postgresql://, postgres://, postgresql+asyncpg://)', allowed: 'postgresql://user:password@host:port/database (postgres:// and postgresql+driver:// also accepted)', schema: z.string(), secret: true }),
  DATABASE__POOL_SIZE: spec({ key: 'DATABASE__POOL_SIZE', description: 'connections kept in the pool', fallback: '10', allowed: 'an integer >= 1', schema: integer(1, 100000) }),
  DATABASE__MAX_OVERFLOW: spec({ key: 'DATABASE__MAX_OVERFLOW', description: 'connections beyond the pool (ceiling = pool size + overflow)', fallback: '20', allowed: 'an integer >= 0', schema: integer(0, 100000) }),
  DATABASE__ECHO: spec({ key: 'DATABASE__ECHO', description: 'log every SQL statement sent (parameters redacted)', fallback: 'false', allowed: 'true or false (also 1/0, yes/no, on/off)', schema: boolean }),
  DATABASE__CONNECT_TIMEOUT: spec({ key: 'DATABASE__CONNECT_TIMEOUT', description: 'seconds to wait for a connection', fallback: '5', allowed: 'a number of seconds from 0.1 to 3600', schema: seconds(0.1, 3600), libpq: ['PGCONNECT_TIMEOUT'], service: 'connect_timeout' }),
  DATABASE__SSLMODE: spec({ key: 'DATABASE__SSLMODE', description: "TLS mode (libpq's default: prefer)", allowed: SSL_MODES.join(', '), schema: z.enum(SSL_MODES), libpq: ['PGSSLMODE'], service: 'sslmode' }),
  MIGRATIONS__DIR: spec({ key: 'MIGRATIONS__DIR', description: 'folder of migration files', allowed: 'a folder path', schema: nonEmpty }),
  BACKUP__DIR: spec({ key: 'BACKUP__DIR', description: 'where backups are written and listed', fallback: './backups', allowed: 'a folder path', schema: nonEmpty }),
  QUERY__READ_ONLY: spec({ key: 'QUERY__READ_ONLY', description: 'run the query console in read-only transactions', fallback: 'false', allowed: 'true or false (also 1/0, yes/no, on/off)', schema: boolean }),
  QUERY__STATEMENT_TIMEOUT: spec({ key: 'QUERY__STATEMENT_TIMEOUT', description: 'seconds before the server cancels a console statement (0 = no limit)', fallback: '0', allowed: 'a number of seconds from 0 to 86400', schema: seconds(0, 86400) }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(name: string): name is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, name);
}
