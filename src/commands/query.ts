/**
 * `connector-db query "SQL"` or SQL on stdin: run it and stream the result
 * as an aligned table, CSV or JSON. With no SQL at a terminal, the console
 * screen opens instead. The engine loads only when the command runs.
 */
import { Option, type Command } from 'commander';
import type { ActionFactory } from './registry.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('query')
    .description('run SQL (argument or stdin) and stream the result; with no SQL at a terminal, open the console')
    .argument('[sql]', 'statements ending with ; and psql catalog commands (\\dt, \\d NAME...); read from stdin when omitted')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--read-only', 'run every statement in a read-only transaction (setting QUERY__READ_ONLY)')
    .option('--statement-timeout <seconds>', 'seconds before the server cancels a statement (setting QUERY__STATEMENT_TIMEOUT)')
    .option('--yes', 'run without asking statements that drop, truncate, update/delete every row, or whose effect cannot be seen ahead (DO, CALL, EXECUTE)')
    .action(
      action(async (ctx, input) => {
        // SQL to run now (not the console): it is classified with the WASM parser first, so start
        // loading that at once; its compile (on V8's background threads) overlaps loading the rest,
        // the settings and the connection.
        if (input.args[0] !== undefined || !ctx.stdin.isTTY) {
          void import('../core/query/classify.js').then((m) => m.loadParser({ compileAhead: true })).catch(() => undefined);
        }
        const { runQueryCommand } = await import('./query-run.js');
        return runQueryCommand(ctx, input);
      }),
    );
}
