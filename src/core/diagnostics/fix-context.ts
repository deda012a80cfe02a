/**
 * What every fix is tailored to: the target, where each of its values came
 * from, the app's Docker ports, and this machine. Plus the builders for the
 * two forms every fix is given in: the local one (psql, createdb, run as
 * the server's superuser) and the seed's `docker compose exec db ...` one.
 */
import type { Settings, Target } from '../config/resolve.js';
import type { Source } from '../config/sources.js';
import { quoteIdent } from '../db/quote.js';
import { shellCommand, shellQuote } from '../system/shell-quote.js';

export interface FixContext {
  target: Target;
  sources: Settings['targetSources'];
  /** Source of any setting (pool size, overflow...), for "set X in .env line N". */
  sourceOf: (key: string) => Source | undefined;
  intPort: number;
  extPort: number;
  poolSize: number;
  maxOverflow: number;
  connectTimeout: number;
  platform: NodeJS.Platform;
}

export function fixContextOf(settings: Settings, platform: NodeJS.Platform = process.platform): FixContext {
  return {
    target: settings.target,
    sources: settings.targetSources,
    sourceOf: (key) => settings.entries.find((e) => e.key === key)?.source,
    intPort: settings.intPort,
    extPort: settings.extPort,
    poolSize: settings.poolSize,
    maxOverflow: settings.maxOverflow,
    connectTimeout: settings.connectTimeout,
    platform,
  };
}

export function isSocket(host: string): boolean {
  return host.startsWith('/');
}

/** The server runs on this machine (so `sudo -u postgres` reaches it over the local socket). */
export function isLocalHost(host: string): boolean {
  return isSocket(host) || ['localhost', '::1'].includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** "DATABASE__PORT=5432 (default)" — a value and where it came from. */
export function settingLine(key: string, value: string | number | undefined, source: Source | undefined): string {
  const shown = value === undefined ? '(not set)' : String(value);
  return `${key}=${shown} (${source?.label ?? 'default'})`;
}

/** "in .env line 3" / "in the environment" / "in .env": where a person should change a setting. */
export function whereToSet(source: Source | undefined): string {
  if (!source || source.kind === 'default') return 'in .env';
  if (source.kind === 'dotenv' || source.kind === 'url') return `in ${source.label}`;
  if (source.kind === 'env' || source.kind === 'libpq') return `where ${source.variable ?? 'it'} is exported (the environment)`;
  return `in ${source.label}`;
}

const URL_PART: Record<string, string> = { DATABASE__HOST: 'host', DATABASE__PORT: 'port', DATABASE__NAME: 'database', DATABASE__USER: 'user', DATABASE__SSLMODE: 'sslmode' };

/**
 * A settings change as a fix: try it for one run, then where to make it
 * stick. When the value comes from DATABASE__URL, the URL is what to edit
 * (the parts would be overridden by it).
 */
export function settingChangeFix(changes: { key: string; value: string | number; source: Source | undefined }[], note?: string): string {
  const fromUrl = changes.find((c) => c.source?.kind === 'url');
  if (fromUrl) {
    return `edit ${fromUrl.source?.label}: ${changes.map((c) => `its ${URL_PART[c.key] ?? c.key} → ${c.value}`).join(', ')}${note ? `   # ${note}` : ''}`;
  }
  const assignments = changes.map((c) => `${c.key}=${c.value}`);
  return `${shellCommand(['env', ...assignments, 'connector-db', 'doctor'])}   # ${note ? `${note}; ` : ''}if this passes, set ${assignments.join(' ')} ${whereToSet(changes[0]?.source)}`;
}

/**
 * libpq connection flags. `viaSocket`: the server's superuser on its own
 * machine goes through the default local socket (peer auth), so only a
 * non-default socket directory is named; everyone else goes the way the
 * app does, so host and port are always given.
 */
function connectionFlags(ctx: FixContext, user: string | undefined, database: string | undefined, viaSocket = false): string[] {
  const { host, port } = ctx.target;
  const flags: string[] = [];
  const defaultSocket = host === '/var/run/postgresql' || host === '/tmp';
  if (!viaSocket || (isSocket(host) && !defaultSocket)) flags.push('-h', host);
  if (!viaSocket || port !== 5432) flags.push('-p', String(port));
  if (user) flags.push('-U', user);
  if (database) flags.push('-d', database);
  return flags;
}

/**
 * A client program run with the server's superuser rights, in the form that
 * usually works here: on the server's own machine through the local socket as
 * the `postgres` OS user (Debian, RHEL) or yourself (Homebrew), else over TCP
 * as the `postgres` role.
 */
export function adminCommand(ctx: FixContext, program: 'psql' | 'createdb' | 'createuser', args: string[], database?: string): string {
  if (isLocalHost(ctx.target.host)) {
    const flags = connectionFlags(ctx, undefined, program === 'psql' ? database : undefined, true);
    const prefix = ctx.platform === 'darwin' ? [] : ['sudo', '-u', 'postgres'];
    return shellCommand([...prefix, program, ...flags, ...args]);
  }
  return shellCommand([program, ...connectionFlags(ctx, 'postgres', program === 'psql' ? database : undefined), ...args]);
}

/** `psql` as the configured role itself (for what it may do on its own). */
export function userCommand(ctx: FixContext, program: 'psql' | 'createdb', args: string[], database?: string): string {
  return shellCommand([program, ...connectionFlags(ctx, ctx.target.user, program === 'psql' ? (database ?? ctx.target.database) : undefined), ...args]);
}

/**
 * The seed's Docker Compose form: the `db` service's own client programs over
 * its local socket. Its compose file makes DATABASE__USER the superuser
 * (POSTGRES_USER) and DATABASE__NAME the first database.
 */
export function dockerCommand(ctx: FixContext, program: 'psql' | 'createdb' | 'createuser' | 'sh', args: string[], options: { database?: string; user?: string } = {}): string {
  const base = ['docker', 'compose', 'exec', 'db', program];
  if (program === 'sh') return shellCommand([...base, ...args]);
  const user = options.user ?? ctx.target.user;
  const db = program === 'psql' ? ['-d', options.database ?? ctx.target.database] : [];
  return shellCommand([...base, '-U', user, ...db, ...args]);
}

/** `psql -c SQL` argument pair. */
export function sqlArg(sql: string): string[] {
  return ['-c', sql];
}

export function ident(name: string): string {
  return quoteIdent(name);
}

export { shellQuote };
