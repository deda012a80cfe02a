/**
 * Find PostgreSQL's client programs (pg_dump, pg_restore, psql) and pick
 * the one that can talk to a given server: pg_dump refuses a server newer
 * than itself ("aborting because of server version mismatch"), so we look
 * everywhere they are usually installed and take the newest that is not
 * older than the server.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../errors.js';
import { withoutSecrets } from './child-env.js';

const execFileAsync = promisify(execFile);

export type PgProgram = 'pg_dump' | 'pg_restore' | 'psql' | 'pg_dumpall';

export interface PgBinary {
  program: PgProgram;
  path: string;
  /** e.g. "15.19" */
  version: string;
  major: number;
}

export interface SearchOptions {
  /** Also look in the usual install folders (default true); false limits the search to PG_BINDIR and PATH. */
  installFolders?: boolean;
}

/** Folders to search, most explicit first: PG_BINDIR, PATH, then the usual install folders (newest version first). */
export function candidateDirs(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, options: SearchOptions = {}): string[] {
  const dirs: string[] = [];
  if (env.PG_BINDIR) dirs.push(env.PG_BINDIR);
  for (const p of (env.PATH ?? '').split(path.delimiter)) if (p) dirs.push(p);
  if (options.installFolders === false) return [...new Set(dirs)];
  const versioned = (root: string, pattern: RegExp, suffix: string) => {
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .map((name) => ({ name, v: pattern.exec(name) }))
      .filter((x): x is { name: string; v: RegExpExecArray } => x.v !== null)
      .sort((a, b) => Number(b.v[1]) - Number(a.v[1]))
      .map((x) => path.join(root, x.name, suffix));
  };
  dirs.push(...versioned('/usr/lib/postgresql', /^(\d+)$/, 'bin'));
  dirs.push(...versioned('/usr', /^pgsql-(\d+)$/, 'bin'));
  if (platform === 'darwin' || existsSync('/opt/homebrew') || existsSync('/home/linuxbrew')) {
    for (const root of ['/opt/homebrew/opt', '/usr/local/opt', '/home/linuxbrew/.linuxbrew/opt']) {
      dirs.push(...versioned(root, /^postgresql@(\d+)$/, 'bin'));
      dirs.push(path.join(root, 'libpq', 'bin'));
    }
    dirs.push(...versioned('/Applications/Postgres.app/Contents/Versions', /^(\d+)$/, 'bin'));
  }
  return [...new Set(dirs)];
}

export function parseVersion(output: string): { version: string; major: number } | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) return undefined;
  return { version: m[2] !== undefined ? `${m[1]}.${m[2]}` : String(m[1]), major: Number(m[1]) };
}

/** Every distinct copy of `program` found, with its version (a copy that fails `--version` is skipped). */
export async function findBinaries(program: PgProgram, env: Record<string, string | undefined> = process.env, options: SearchOptions = {}): Promise<PgBinary[]> {
  const seen = new Set<string>();
  const found: PgBinary[] = [];
  for (const dir of candidateDirs(env, process.platform, options)) {
    const file = path.join(dir, program);
    if (!existsSync(file)) continue;
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      continue;
    }
    // Debian's /usr/bin/pg_dump is a wrapper script (pg_wrapper) that picks a version itself: keep it, keyed by its path.
    const key = real;
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const { stdout } = await execFileAsync(file, ['--version'], { timeout: 5000, env: { ...withoutSecrets(env), PGCLUSTER: undefined } as NodeJS.ProcessEnv });
      const v = parseVersion(stdout);
      if (v) found.push({ program, path: file, ...v });
    } catch {
      // not runnable: ignore, another copy may be
    }
  }
  return found;
}

export interface BinaryChoice {
  binary: PgBinary;
  /** Other copies that were found, for the report. */
  others: PgBinary[];
}

/**
 * The newest copy not older than the server. Throws pg_dump_missing /
 * pg_dump_too_old (the codes are named after pg_dump, the usual case) with
 * what to install for this system.
 */
export function chooseBinary(program: PgProgram, found: PgBinary[], serverMajor: number, context: { dbName?: string; dbUser?: string; osRelease?: string } = {}): BinaryChoice {
  const sorted = [...found].sort((a, b) => b.major - a.major || compareMinor(b.version, a.version));
  if (sorted.length === 0) {
    throw new ToolError('pg_dump_missing', `${program} was not found (looked in PG_BINDIR, PATH, /usr/lib/postgresql/*/bin and the Homebrew folders).`, {
      fixes: installFixes(program, serverMajor, context),
    });
  }
  const usable = sorted.filter((b) => b.major >= serverMajor);
  const best = usable[0];
  if (!best) {
    const newest = sorted[0] as PgBinary;
    throw new ToolError('pg_dump_too_old', `The newest ${program} found is ${newest.version} (${newest.path}), older than the server (PostgreSQL ${serverMajor}); ${program} refuses a newer server.`, {
      evidence: sorted.map((b) => `${b.path}: ${b.version}`),
      fixes: installFixes(program, serverMajor, context),
    });
  }
  return { binary: best, others: sorted.filter((b) => b !== best) };
}

function compareMinor(a: string, b: string): number {
  return Number(a.split('.')[1] ?? 0) - Number(b.split('.')[1] ?? 0);
}

export function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

/** What to install, for this system, plus the seed's Docker form that uses the server container's own tools. */
export function installFixes(program: PgProgram, major: number, context: { dbName?: string; dbUser?: string; osRelease?: string } = {}): string[] {
  const os = context.osRelease ?? readOsRelease();
  const id = /^ID=("?)([a-z]+)\1$/m.exec(os)?.[2] ?? '';
  const like = /^ID_LIKE=("?)([a-z ]+)\1$/m.exec(os)?.[2] ?? '';
  const fixes: string[] = [];
  if (process.platform === 'darwin') fixes.push(`brew install postgresql@${major}   # then: export PG_BINDIR=$(brew --prefix postgresql@${major})/bin`);
  else if (id === 'debian' || id === 'ubuntu' || like.includes('debian')) {
    fixes.push(`sudo apt install postgresql-client-${major}   # from apt.postgresql.org (PGDG) if your release does not ship ${major}; it installs to /usr/lib/postgresql/${major}/bin`);
  } else if (['rhel', 'centos', 'fedora', 'rocky', 'almalinux'].includes(id) || like.includes('rhel') || like.includes('fedora')) {
    fixes.push(`sudo dnf install postgresql${major}   # from the PGDG repository; it installs to /usr/pgsql-${major}/bin`);
  } else if (id === 'alpine') fixes.push(`apk add postgresql${major}-client`);
  else fixes.push(`install the PostgreSQL ${major} client programs, then set PG_BINDIR to their folder`);
  const user = context.dbUser ?? 'connector_user';
  const db = context.dbName ?? 'connector_db';
  if (program === 'pg_dump') fixes.push(`docker compose exec -T db pg_dump -U ${user} ${db} > ${db}_$(date -u +%Y%m%d_%H%M%S).sql   # the server container's own pg_dump`);
  else if (program === 'psql') fixes.push(`docker compose exec db psql -U ${user} ${db}`);
  else if (program === 'pg_restore') fixes.push(`docker compose exec -T db pg_restore -U ${user} -d ${db} < backup.dump`);
  return fixes;
}
