/**
 * `connector-db doctor`: every check in order, each failure with its code,
 * evidence and the fix for the settings in use. Exit 0 only when nothing
 * failed (warnings allowed); 2 when the settings themselves are invalid.
 */
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { Settings } from '../core/config/resolve.js';
import type { ActionFactory } from './registry.js';
import { printCheck, printSummary, titleWidth } from './doctor-text.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('doctor')
    .description('check everything from the settings to the migrations; name each failure and give the exact fix')
    .option('--timeout <seconds>', 'connect timeout for each probe (default DATABASE__CONNECT_TIMEOUT, 5)')
    .action(
      action(async (ctx, { opts }) => {
        const extra = typeof opts.timeout === 'string' ? { DATABASE__CONNECT_TIMEOUT: { value: opts.timeout, flag: '--timeout' } } : {};
        let settings: Settings | ConfigError;
        try {
          settings = ctx.settings(extra);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          settings = error;
        }
        const { runDoctor } = await import('../core/diagnostics/doctor.js');
        const { CHECK_TITLES } = await import('../core/diagnostics/check-types.js');
        const { doctorMigrationChecks } = await import('../core/diagnostics/migration-checks.js');
        const { out } = ctx;
        const width = titleWidth(Object.values(CHECK_TITLES));
        if (!out.json && !(settings instanceof ConfigError)) {
          const { describeTarget } = await import('../core/config/url.js');
          out.line(`${out.palette.bold('connector-db doctor')} · ${describeTarget(settings.target)}`);
          out.line();
        }
        const report = await runDoctor({
          settings,
          deps: { env: ctx.env, ...(await doctorMigrationChecks()) },
          ...(out.json ? {} : { onCheck: (check) => printCheck(out, check, width) }),
        });
        if (out.json) out.document(report);
        else printSummary(out, report);
        if (settings instanceof ConfigError) return 2;
        return report.ok ? 0 : 1;
      }),
    );
}
