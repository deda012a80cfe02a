/**
 * Text for people from a migration status (pure): `current`, `history`,
 * `check`, and the progress lines of a run. The JSON documents carry the
 * status itself.
 */
import type { MigrationStatus, Problem, RevisionStatus } from '../core/migrations/status.js';
import type { MigrationEvent } from '../core/migrations/events.js';
import { describeHolder } from '../core/migrations/lock.js';
import { partialFixes } from '../core/migrations/advice.js';
import { columns, type Palette } from './output.js';

/** "2024-05-01 10:00:01" in local time (a person reads local time). */
export function localTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** What to type next for each problem (a second line, after a newline, is the other way). */
export function fixFor(problem: Problem, status: MigrationStatus): string | null {
  switch (problem.code) {
    case 'migrations_pending':
      return 'connector-db migrate upgrade';
    case 'schema_without_history': {
      // The revision the tables match, never blindly head (stamping head over an older schema would hide what is missing).
      const rev = status.stampTo?.revision;
      return rev ? `connector-db migrate stamp ${rev} --sql   (preview), then: connector-db migrate stamp ${rev}` : 'compare the tables with the migration files, then: connector-db migrate stamp REV --sql   (preview), and: connector-db migrate stamp REV';
    }
    case 'unknown_revision':
      return 'use the migrations folder that has it, or: connector-db migrate stamp REV --purge';
    case 'migration_drift':
      return `restore the applied text (git checkout -- ${status.dir}), or put the change in a new file: connector-db migrate new "..."`;
    case 'migration_partial': {
      const r = status.revisions.find((x) => x.id === problem.revision && x.partial);
      return r?.partial ? partialFixes(r, r.partial, status.revisions).join('\n') : 'undo or finish its statements by hand, then record where it stands: connector-db migrate stamp REV';
    }
    case 'migration_out_of_order':
      return `renumber the pending file after ${status.head ?? 'the last one'}`;
    default:
      return null;
  }
}

export function problemLines(status: MigrationStatus, p: Palette, skip: Problem['code'][] = []): string[] {
  const out: string[] = [];
  for (const problem of status.problems) {
    if (skip.includes(problem.code)) continue;
    const mark = problem.code === 'migrations_pending' || problem.code === 'alembic_out_of_step' || problem.code === 'migration_lock_held' ? p.yellow('!') : p.red('✗');
    out.push(`${mark} ${problem.code}: ${problem.message}`);
    if (problem.code === 'migration_lock_held' && status.lock.holder) out.push(`    held by ${describeHolder(status.lock.holder)}`);
    const fix = fixFor(problem, status);
    if (fix) fix.split('\n').forEach((line, i) => out.push(p.dim(`    ${i === 0 ? 'fix: ' : '     '}${line}`)));
  }
  return out;
}

export function currentLines(status: MigrationStatus, target: string, p: Palette): string[] {
  const rev = status.revisions.find((r) => r.id === status.current);
  const at = status.current ?? 'base';
  const tag = status.atHead && status.current !== null ? ' (head)' : '';
  const out = [`${p.bold(at + tag)}${rev ? `  ${rev.name}` : ''}`];
  out.push(p.dim(`  ${target} · head ${status.head ?? 'none'} · ${status.pendingCount} pending · files in ${status.dir}`));
  if (status.alembic.exists) out.push(p.dim(`  alembic_version: ${status.alembic.values.join(', ') || '(empty: base)'}${status.alembic.agrees ? ' (in step)' : ''}`));
  out.push(...problemLines(status, p));
  return out;
}

function stateLabel(r: RevisionStatus, p: Palette): string {
  if (r.state === 'partial') return p.red('PARTIAL');
  if (r.drifted) return p.red('DRIFTED');
  return r.applied ? p.green('applied') : p.yellow('pending');
}

/** Newest first, as `alembic history` lists them; › marks the current revision. */
export function historyLines(status: MigrationStatus, p: Palette): string[] {
  const rows: string[][] = [['', p.bold('REV'), p.bold('STATE'), p.bold('APPLIED AT'), p.bold('TOOK'), p.bold('BY'), p.bold('NAME')]];
  for (const u of status.unknown) rows.push([p.red('?'), u.name, p.red('UNKNOWN'), '', '', u.where, '(no file has this revision)']);
  for (const r of [...status.revisions].reverse()) {
    const tags = [r.id === status.head ? 'head' : '', r.id === status.current ? 'current' : '', r.noTransaction ? 'no-transaction' : ''].filter(Boolean);
    rows.push([r.id === status.current ? '›' : '', r.id, stateLabel(r, p), localTime(r.appliedAt), duration(r.durationMs), r.appliedBy ?? '', `${r.name}${tags.length ? p.dim(`  (${tags.join(', ')})`) : ''}`]);
  }
  const out = columns(rows);
  if (status.revisions.length === 0) out.push(p.dim(`(no migration files in ${status.dir})`));
  const problems = problemLines(status, p);
  if (problems.length) out.push('', ...problems);
  return out;
}

/** A progress line on stderr for each event worth a line (text mode). */
export function eventLine(event: MigrationEvent, p: Palette): string | null {
  switch (event.type) {
    case 'warning':
      return `${p.yellow('!')} ${event.code}: ${event.message}`;
    case 'lock_wait':
      return `… waiting up to ${event.timeoutSeconds} s for the migration lock${event.holder ? `, held by ${describeHolder(event.holder)}` : ''}`;
    case 'reconciled':
      return `${p.dim('·')} recorded what Alembic applied: ${[...event.adopted.map((a) => `+${a}`), ...event.disowned.map((d) => `-${d}`)].join(' ')} (marked, not run)`;
    case 'migration_done':
      return `${p.green('✓')} ${event.step.direction === 'up' ? 'up  ' : 'down'} ${event.step.name} ${p.dim(duration(event.durationMs))}`;
    case 'migration_failed':
      return `${p.red('✗')} ${event.step.direction === 'up' ? 'up  ' : 'down'} ${event.step.name}`;
    default:
      return null;
  }
}
