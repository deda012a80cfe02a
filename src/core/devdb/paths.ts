/**
 * Where the development server owned by connector-db lives: a folder under
 * the user's data directory (CONNECTOR_DB_DATA_DIR, else XDG_DATA_HOME or
 * the platform's equivalent). Run as root, the server itself runs as the
 * `postgres` account (initdb refuses root), so the default is a system
 * folder that account can reach.
 */
import path from 'node:path';

export interface DevdbPaths {
  /** connector-db's data folder (also holds a fallback server install). */
  root: string;
  /** The devdb folder: data/, run/ (socket), server.log, devdb.json. */
  dir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
  stateFile: string;
  passwordFile: string;
}

export function dataRootFor(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform, uid = process.getuid?.() ?? -1): string {
  if (env.CONNECTOR_DB_DATA_DIR) return path.resolve(env.CONNECTOR_DB_DATA_DIR);
  if (uid === 0 && platform === 'linux') return '/var/lib/connector-db';
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'connector-db');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'connector-db');
}

export function devdbPaths(root: string): DevdbPaths {
  const dir = path.join(root, 'devdb');
  return {
    root,
    dir,
    dataDir: path.join(dir, 'data'),
    socketDir: path.join(dir, 'run'),
    logFile: path.join(dir, 'server.log'),
    stateFile: path.join(dir, 'devdb.json'),
    passwordFile: path.join(dir, 'superuser.pw'),
  };
}
