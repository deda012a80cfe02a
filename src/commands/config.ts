/** `connector-db config`: every setting, its value and where it came from; the URL with the password masked. */
import type { Command } from 'commander';
import { describeTarget } from '../core/config/url.js';
import type { ActionFactory } from './registry.js';
import { columns } from './output.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('config')
    .description('show the effective settings, where each came from, and the URL (password masked)')
    .action(
      action(async (ctx) => {
        const s = ctx.settings();
        const { out } = ctx;
        const p = out.palette;
        out.emit(
          {
            ok: true,
            target: { host: s.target.host, port: s.target.port, database: s.target.database, user: s.target.user, passwordSet: s.target.password !== undefined, sslmode: s.target.sslmode ?? null, driver: s.target.driver ?? null },
            url: s.maskedUrl,
            settings: s.entries.map((e) => ({ key: e.key, value: e.display ?? null, source: e.source })),
            envFile: s.envFilePath ?? null,
            profile: s.profileName,
            configDir: s.configDir,
            notes: s.notes,
          },
          () => {
            out.line(`${p.bold('Target')}  ${describeTarget(s.target)}`);
            out.line(`${p.bold('URL')}     ${s.maskedUrl}`);
            if (s.target.driver) out.line(p.dim(`(the URL names the SQLAlchemy driver "${s.target.driver}"; connector-db speaks to the same server with node-postgres)`));
            out.line();
            const rows = [[p.bold('SETTING'), p.bold('VALUE'), p.bold('SOURCE')]];
            for (const e of s.entries) rows.push([e.key, e.display ?? p.dim('(not set)'), e.source.label]);
            for (const line of columns(rows)) out.line(line);
            if (s.notes.length > 0) {
              out.line();
              for (const n of s.notes) out.line(`${p.yellow('note')}  ${n}`);
            }
          },
        );
      }),
    );
}
