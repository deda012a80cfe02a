/**
 * `connector-db migrate ...`: Alembic's words (current, history, upgrade,
 * downgrade, stamp, --sql) so old runbooks translate word for word, plus
 * `check` and `new`. Registration only; the handlers load lazily.
 */
import { Option, type Command } from 'commander';
import type { ActionFactory, Handler } from './registry.js';

const lazy =
  (name: 'current' | 'history' | 'check' | 'upgrade' | 'downgrade' | 'stamp' | 'create'): Handler =>
  async (ctx, input) => {
    const handlers = await import('./migrate-run.js');
    return handlers[name](ctx, input);
  };

const lockWaitTimeout = () =>
  new Option('--lock-wait-timeout <seconds>', 'a migration that waits this long for a table lock gives up (lock_timeout) instead of queueing every other query behind it');

const lockTimeout = () => new Option('--lock-timeout <seconds>', 'wait up to this long for another migration to finish (0 = fail at once and say who holds the lock)').default('0');

export function register(program: Command, action: ActionFactory): void {
  const migrate = program
    .command('migrate')
    .description('migrate the schema up and down (Alembic\'s words: current, history, upgrade, downgrade, stamp)')
    .addHelpText(
      'after',
      '\nRevisions: head, base, +N, -N, a number (002 or 2), or the start of a name (add_scrape).\nFiles: sql-migrations/ (or --migrations-dir / MIGRATIONS__DIR), each with "-- Up Migration" and "-- Down Migration".',
    );
  migrate.command('current').description('the revision the database is at, and anything wrong (pending, drift, unknown)').action(action(lazy('current')));
  migrate.command('history').description('every revision: applied / pending / drifted, when, how long').action(action(lazy('history')));
  migrate.command('check').description('exit 1 when anything is pending, drifted or unknown (for CI and deploy scripts)').action(action(lazy('check')));
  migrate
    .command('upgrade')
    .description('apply pending migrations, each in its own transaction (default: to head)')
    .argument('[revision]', 'head | +N | REV', 'head')
    .option('--sql', 'print the SQL it would run; change nothing (no lock, no table)')
    .addOption(lockTimeout())
    .addOption(lockWaitTimeout())
    .action(action(lazy('upgrade')));
  migrate
    .command('downgrade')
    .description("run down migrations, newest first (default: one step, -1); asks first")
    .argument('[revision]', '-N | base | REV', '-1')
    .option('--sql', 'print the SQL it would run; change nothing')
    .option('-y, --yes', 'do not ask')
    .addOption(lockTimeout())
    .addOption(lockWaitTimeout())
    .action(action(lazy('downgrade')));
  migrate
    .command('stamp')
    .description('record a revision as the current one without running anything (e.g. a schema built without records)')
    .argument('<revision>', 'REV | head | base')
    .option('--sql', 'print the SQL it would run; change nothing')
    .option('--purge', 'first drop every record (unknown or out-of-order revisions)')
    .addOption(lockTimeout())
    .action(action(lazy('stamp')));
  migrate
    .command('rehearse')
    .description('try the pending migrations on a scratch copy: up, down, up again, timed, with the locks each takes; the database itself is only read')
    .action(
      action(async (ctx, input) => {
        const { rehearseCommand } = await import('./migrate-rehearse.js');
        return rehearseCommand(ctx, input);
      }),
    );
  migrate
    .command('new')
    .description('create the next numbered migration file, with its up and down sections')
    .argument('<message...>', 'what the migration does, e.g. "add index on jobs status"')
    .action(action(lazy('create')));
}
