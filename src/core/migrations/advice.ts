/**
 * What to say, and what to type next, for the two states a person must
 * settle by hand (pure): a schema without history (stamp the revision its
 * tables match — never blindly head) and a no-transaction file that stopped
 * half-way (finish it and stamp that revision, or undo it and run it again).
 * The status, the planner, a failed run, `migrate current` and the doctor
 * all word them from here, so they never disagree.
 */
import type { MigrationFile } from './files.js';
import type { InferredRevision } from './schema-match.js';

export interface HistoryAdvice {
  /** What is wrong, in one sentence. */
  problem: string;
  /** What to do, in one sentence. */
  next: string;
  /** Commands to copy, preview first. */
  fixes: string[];
}

function listed(names: string[], max: number): string {
  return `${names.slice(0, max).join(', ')}${names.length > max ? ', ...' : ''}`;
}

/** `tables`: the migration files' tables found; `stampTo`: what they match (null: not looked up). */
export function historyAdvice(tables: string[], files: Pick<MigrationFile, 'fileName'>[], stampTo: InferredRevision | null): HistoryAdvice {
  const problem = `Tables that the migration files create exist (${listed(tables, 5)}) but no revision is recorded, so upgrading would re-run ${files[0]?.fileName ?? 'the first file'} into "already exists".`;
  const rev = stampTo?.revision;
  if (rev) {
    return {
      problem,
      next: `They match ${rev} (${stampTo.reason}): record that with \`migrate stamp ${rev}\`, which runs nothing.`,
      fixes: [`connector-db migrate stamp ${rev} --sql   # preview: records ${rev} as applied, runs nothing (${stampTo.reason})`, `connector-db migrate stamp ${rev}`, 'then: connector-db migrate upgrade'],
    };
  }
  const why = stampTo ? `They match no revision connector-db can verify (${stampTo.reason})` : 'Find the revision they are at';
  return {
    problem,
    next: `${why}: compare them with the migration files, then record it with \`migrate stamp REV\`, which runs nothing.`,
    fixes: [`compare the tables with the migration files (${stampTo ? stampTo.reason : 'connector-db doctor names the revision they match'}), then: connector-db migrate stamp REV --sql   # preview`, 'connector-db migrate stamp REV', 'then: connector-db migrate upgrade'],
  };
}

export interface PartialRun {
  direction: 'up' | 'down';
  statementsDone: number;
  statementsTotal: number;
}

function range(from: number, to: number): string {
  return from === to ? `statement ${from}` : `statements ${from}–${to}`;
}

/** Finish or undo a no-transaction file that stopped half-way; each way names the exact revision. */
export function partialFixes(file: Pick<MigrationFile, 'id' | 'name' | 'file'>, run: PartialRun, files: Pick<MigrationFile, 'id' | 'name'>[]): string[] {
  const done = run.statementsDone;
  const first = range(1, Math.max(1, done));
  if (run.direction === 'up') {
    return [
      `finish it by hand (${range(done + 1, run.statementsTotal)} of the up section of ${file.file}), then record it, running nothing: connector-db migrate stamp ${file.id}`,
      `or undo what its ${first} made, then run it again: connector-db migrate upgrade ${file.id}`,
    ];
  }
  const position = files.findIndex((f) => f.name === file.name);
  const below = position > 0 ? (files[position - 1] as Pick<MigrationFile, 'id'>).id : 'base';
  return [
    `finish its down by hand (${range(done + 1, run.statementsTotal)} of the down section of ${file.file}), then record it, running nothing: connector-db migrate stamp ${below}`,
    `or put back what its down ${first} removed, then run it again: connector-db migrate downgrade ${below}`,
  ];
}
