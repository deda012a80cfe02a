/**
 * `connector-db setup`: the first-time guide. Questions come from flags
 * (scripts: CONNECTOR_DB_ADMIN_URL and `--yes`) or prompts (a person); the steps are
 * the engine's (src/core/setup/setup.ts), the same as the Setup screen's.
 */
import type { Command } from 'commander';
import type { ActionFactory } from './registry.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('setup')
    .description('first-time setup: find or start a server, create the role and database, write .env (0600), migrate to head')
    .option('--host <host>', 'database host (default: the current setting)')
    .option('--port <port>', 'database port')
    .option('--database <name>', 'database name (created when missing)')
    .option('--user <name>', "the app's role (created when missing)")
    .option('--password-stdin', "read the app role's password from stdin")
    .option('--generate-password', 'when no password is set, generate a strong one')
    .option('--admin-url <url>', 'admin login URL for creating the role and database; a password here shows in ps: prefer CONNECTOR_DB_ADMIN_URL')
    .option('--admin-user <name>', 'admin role (its password is asked, or taken from ~/.pgpass)')
    .option('--devdb', 'when nothing is reachable, start the development server (connector-db devdb) without asking')
    .option('--no-migrate', 'do not run upgrade head at the end')
    .option('--yes', 'answer yes to every confirmation (scripts)')
    .action(
      action(async (ctx, { opts }) => {
        const { runSetupCommand } = await import('./setup-run.js');
        return runSetupCommand(ctx, opts);
      }),
    );
}
