/**
 * `connector-db migrate rehearse`: the pending migrations up, down and up
 * again on a scratch copy of the target, timed, with the locks each took;
 * a down that does not reverse its up is named with the difference. The
 * copy is dropped afterwards; the target is only read. Exit 0 when every
 * step ran and every down reversed its up, 1 otherwise.
 */
import type { CommandContext } from './context.js';
import type { CommandInput } from './registry.js';
import { dbSettingsOf, openOptionsOf } from './db.js';
import { duration } from './migrate-format.js';
import type { RehearsalEvent, RehearsalResult } from '../core/rehearsal/rehearse.js';
import { checkedMigrationsDir } from './migrations-dir.js';

export async function rehearseCommand(ctx: CommandContext, _input: CommandInput): Promise<number> {
  const settings = ctx.settings();
  const db = dbSettingsOf(settings);
  const open = openOptionsOf(ctx);
  const { rehearse } = await import('../core/rehearsal/rehearse.js');
  const { rehearsalConnections } = await import('../core/rehearsal/connections.js');
  const { copyFromFreshBackup } = await import('../core/rehearsal/copy-from-backup.js');
  const { packageVersion } = await import('../core/system/package-root.js');
  const { out } = ctx;
  const p = out.palette;
  const controller = new AbortController();
  const onSigint = () => {
    controller.abort();
    out.note('connector-db: stopping after the running step; the copy is dropped…');
  };
  process.once('SIGINT', onSigint);
  let result: RehearsalResult;
  try {
    result = await rehearse({
      dir: checkedMigrationsDir(settings),
      ...rehearsalConnections(db, { ...open, applicationName: 'connector-db migrate rehearse' }),
      copyFromBackup: copyFromFreshBackup({ db, toolVersion: packageVersion(), env: ctx.env }),
      onEvent: (event) => progress(ctx, event),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const { reportLines } = await import('../core/rehearsal/report-lines.js');
  const colour = { plain: (t: string) => t, bold: p.bold, ok: p.green, warn: p.yellow, error: p.red, muted: p.dim };
  out.emit({ ...result }, () => {
    for (const line of reportLines(result)) out.line(colour[line.tone](line.text));
  });
  return result.ok ? 0 : 1;
}

function progress(ctx: CommandContext, event: RehearsalEvent): void {
  const { out } = ctx;
  switch (event.type) {
    case 'copying':
      out.note(
        event.method === 'template'
          ? `copying the database into ${event.scratch} (TEMPLATE)…`
          : `${event.connected.length} session(s) use the database, so it cannot be copied by TEMPLATE: copying from a fresh backup into ${event.scratch}…`,
      );
      break;
    case 'copied':
      out.note(out.palette.dim(`  copied in ${duration(event.durationMs)}`));
      break;
    case 'step_start':
      out.note(out.palette.dim(`  ${event.pass} ${event.id}…`));
      break;
    case 'dropped':
      out.note(out.palette.dim(`dropped ${event.scratch}`));
      break;
    default:
      break;
  }
}
