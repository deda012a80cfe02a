/**
 * `--sql`: the script a move would run, printed from the files and the
 * bookkeeping statements (pure). Nothing is locked, created or changed to
 * make it: node-pg-migrate's own dryRun would take the lock and create its
 * table, so it is not used. The sections are split exactly as the runner
 * splits them (split.ts).
 */
import { alembicSet, CREATE_RECORD_TABLE, CREATE_SIDE_TABLE, forgetApplied, recordApplied, runnerMark } from './bookkeeping.js';
import type { MigrationFile } from './files.js';
import type { MovePlan } from './plan.js';

export interface ScriptHeader {
  /** The command as typed, e.g. "connector-db migrate upgrade head --sql". */
  command: string;
  /** user@host:port/db (never a password). */
  target: string;
}

export function renderScript(plan: MovePlan, files: MigrationFile[], header: ScriptHeader): string {
  const out: string[] = [];
  const count = plan.steps.length;
  const moving =
    count === 0 ? 'nothing to run' : plan.kind === 'stamp' ? `marks ${count} revision${count === 1 ? '' : 's'} ${plan.direction === 'up' ? 'applied' : 'not applied'} without running them` : `${count} migration${count === 1 ? '' : 's'} ${plan.direction}`;
  out.push(`-- ${header.command}`);
  out.push(`-- Target: ${header.target} · from ${plan.from ?? 'base'} to ${plan.to ?? 'base'} (${moving})`);
  out.push('-- Printed only: nothing has run, no lock was taken, no table was created.');
  if (count === 0 && plan.reconcile.adopt.length + plan.reconcile.disown.length === 0 && !plan.purge) {
    out.push(`-- Nothing to do: the database is already at ${plan.to ?? 'base'}.`);
    return out.join('\n') + '\n';
  }
  out.push('', CREATE_RECORD_TABLE, CREATE_SIDE_TABLE);
  const marks: string[] = [];
  if (plan.purge) marks.push('DELETE FROM "public"."pgmigrations";', 'DELETE FROM "public"."connector_db_migrations";');
  for (const f of plan.reconcile.adopt) marks.push(runnerMark(f.name, 'up'), recordApplied(f, 'alembic'));
  for (const f of [...plan.reconcile.disown].reverse()) marks.push(runnerMark(f.name, 'down'), forgetApplied(f));
  if (plan.kind !== 'stamp' && marks.length > 0) {
    out.push('', `-- Bring connector-db's record in step with alembic_version (marks only)`, 'BEGIN;', ...marks, 'COMMIT;');
  }
  if (plan.kind === 'stamp') {
    for (const f of plan.steps) marks.push(runnerMark(f.name, plan.direction), plan.direction === 'up' ? recordApplied(f, 'stamp') : forgetApplied(f));
    if (plan.alembic) marks.push(...alembicSet(plan.to));
    out.push('', `-- Stamp ${plan.to ?? 'base'}`, 'BEGIN;', ...marks, 'COMMIT;');
    return out.join('\n') + '\n';
  }
  for (const f of plan.steps) out.push('', ...stepScript(f, plan, files));
  return out.join('\n') + '\n';
}

function stepScript(file: MigrationFile, plan: MovePlan, files: MigrationFile[]): string[] {
  const up = plan.direction === 'up';
  const position = files.findIndex((f) => f.name === file.name);
  const before = position > 0 ? (files[position - 1] as MigrationFile).id : 'base';
  const section = up ? file.sections.up : file.sections.down;
  const lines = [up ? `-- Running upgrade ${before} -> ${file.id}: ${file.fileName}` : `-- Running downgrade ${file.id} -> ${before}: ${file.fileName}`];
  const noTx = file.sections.noTransaction;
  if (noTx) lines.push('-- (connector-db: no-transaction: each statement commits on its own)');
  else lines.push('BEGIN;');
  lines.push((section?.text ?? '').trim());
  lines.push(up ? recordApplied(file, 'upgrade') : forgetApplied(file));
  if (plan.alembic) lines.push(...alembicSet(up ? file.id : before === 'base' ? null : before));
  lines.push(runnerMark(file.name, plan.direction));
  if (!noTx) lines.push('COMMIT;');
  return lines;
}

/** One revision's up or down section, with the line it starts on (the screen's SQL view). */
export function revisionSql(file: MigrationFile, direction: 'up' | 'down'): { text: string; startLine: number; noTransaction: boolean } | null {
  const section = direction === 'up' ? file.sections.up : file.sections.down;
  if (!section) return null;
  // The marker regex may start on a blank line before the marker; show from the marker on.
  const lead = /^(?:[ \t]*\r?\n)*/.exec(section.text)?.[0] ?? '';
  const startLine = file.content.slice(0, section.start + lead.length).split('\n').length;
  return { text: section.text.slice(lead.length).replace(/\s+$/, ''), startLine, noTransaction: file.sections.noTransaction };
}
