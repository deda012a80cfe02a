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
import type { RehearsalEvent, RehearsalResult, RehearsalStep } from '../core/rehearsal/rehearse.js';

export async function rehearseCommand(ctx: CommandContext, _input: CommandInput): Promise<number> {
  const settings = ctx.settings();
  const db = dbSettingsOf(settings);
  const open = openOptionsOf(ctx);
  const { openClient } = await import('../core/db/connect.js');
  const { rehearse } = await import('../core/rehearsal/rehearse.js');
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
      dir: settings.migrationsDir,
      source: settings.target.database,
      openTarget: () => openClient(db, { ...open, applicationName: 'connector-db migrate rehearse' }),
      openAdmin: () => openClient(db, { ...open, database: 'postgres', applicationName: 'connector-db migrate rehearse' }),
      openScratch: (name) => openClient(db, { ...open, database: name, applicationName: 'connector-db migrate rehearse' }),
      onEvent: (event) => progress(ctx, event),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  out.emit({ ...result }, () => {
    if (result.pending.length === 0) {
      out.line(`Nothing pending in ${result.source}: nothing to rehearse.`);
      return;
    }
    out.line(p.bold(`Rehearsal of ${result.pending.join(', ')} on a copy of ${result.source} (${result.method === 'template' ? 'CREATE DATABASE … TEMPLATE' : 'from a fresh backup'})`));
    for (const step of result.steps) out.line(stepLine(step));
    for (const m of result.mismatches) {
      out.line(`${p.red('✗')} ${m.name}: its down does not reverse its up:`);
      for (const d of m.differences) out.line(`    ${d}`);
    }
    if (result.failure) {
      out.line(`${p.red('✗')} ${result.failure.pass} ${result.failure.id ?? ''} failed on the copy: ${result.failure.message}`);
      for (const e of result.failure.evidence) out.line(p.dim(`    ${e}`));
    }
    const blocking = result.steps.filter((s) => s.pass === 'up' && s.blocksExisting.length > 0);
    for (const s of blocking) out.line(`${p.yellow('!')} ${s.name} takes an AccessExclusiveLock on ${s.blocksExisting.join(', ')}: every read and write of it waits while it runs (${duration(s.durationMs)} here; longer with more rows).`);
    if (result.ok) out.line(`${p.green('✓')} every migration went up, down and up again; each down reversed its up.`);
    out.line(p.dim(`The copy ${result.scratch} was dropped; ${result.source} was only read.`));
    for (const l of result.leftovers) out.line(p.yellow(`note: ${l} is a copy an earlier rehearsal left behind: DROP DATABASE "${l}";`));
  });
  return result.ok ? 0 : 1;
}

const PASS_LABEL = { up: 'up', down: 'down', 'up again': 'up again' } as const;

function stepLine(step: RehearsalStep): string {
  const locks = step.locks === null ? 'locks not captured (runs without a transaction)' : step.locks.length === 0 ? 'no table locks' : step.locks.map((l) => `${l.relation} ${l.mode.replace(/Lock$/, '')}`).join(', ');
  return `  ${PASS_LABEL[step.pass].padEnd(9)}${step.name.padEnd(32)}${duration(step.durationMs).padStart(9)}   ${locks}`;
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
