/**
 * Turn whatever stopped a run into one explained ToolError: for a failing
 * statement, the file and line (PostgreSQL's position when it gives one,
 * else the statement's first line), PostgreSQL's message, detail and hint,
 * and exactly what state the run left behind.
 */
import path from 'node:path';
import { ToolError } from '../errors.js';
import type { MigrationFile } from './files.js';
import { lineAt } from './split.js';
import type { Statement } from './statements.js';
import type { ActiveStep } from './runner-loader.js';
import type { StepRef } from './events.js';
import { partialFixes, type PartialRun } from './advice.js';

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  severity?: string;
}

export interface FailureContext {
  files: MigrationFile[];
  step: ActiveStep | null;
  statement: Statement | null;
  /** Characters sent in the same query before the statement (PostgreSQL's position counts them). */
  shift?: number;
  /** Steps of this run that completed before the failure. */
  completed: StepRef[];
  /** The failing no-transaction file had stopped half-way in an earlier run (from the status read before this one). */
  previous?: PartialRun | null;
}

export interface FailureLocation {
  file: string;
  line: number;
}

export function locate(step: ActiveStep, statement: Statement, position?: string, shift = 0): FailureLocation {
  const within = position && Number(position) - 1 - shift >= 0 ? Number(position) - 1 - shift : 0;
  return { file: step.file.file, line: lineAt(step.file.content, statement.start + within) };
}

export function describeFailure(error: unknown, ctx: FailureContext): ToolError {
  if (error instanceof ToolError) return error.code === 'cancelled' && ctx.completed.length > 0 ? withWhereItStands(error, ctx) : error;
  const e = (error ?? {}) as PgError;
  const isPg = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
  const step = ctx.step;
  const raw = e.message ?? String(error);
  if (!step) {
    return new ToolError(isPg ? 'server_error' : 'failed', `The migration runner stopped: ${raw}`, { evidence: isPg ? [`SQLSTATE ${e.code}`] : [], cause: error });
  }
  const file = step.file;
  const where = ctx.statement ? locate(step, ctx.statement, e.position, ctx.shift) : null;
  const shown = where ? `${displayPath(file.file)}:${where.line}` : displayPath(file.file);
  const verb = step.direction === 'up' ? 'Upgrade' : 'Downgrade';
  const what = ctx.statement ? '' : ' while recording it (connector-db bookkeeping)';
  const evidence: string[] = [];
  if (where) evidence.push(`${shown}: ${firstLine(file.content.split('\n')[where.line - 1] ?? '')}`);
  if (e.detail) evidence.push(`detail: ${e.detail}`);
  if (e.hint) evidence.push(`hint: ${e.hint}`);
  if (isPg) evidence.push(`SQLSTATE ${e.code}`);
  evidence.push(afterState(ctx, step));
  const fixes: string[] = [];
  if (e.code === '55P03') fixes.push('another session holds a lock this migration needs: see who with `connector-db monitor` (or pg_blocking_pids), then run again');
  if (e.code === '42501') fixes.push(`the role lacks a privilege this migration needs (PostgreSQL 15 no longer lets every role create in schema public): GRANT CREATE ON SCHEMA public TO ${'<role>'};`);
  const left = leftHalfWay(step, ctx);
  if (left) fixes.push(...partialFixes(file, left, ctx.files));
  if (!isPg) {
    return new ToolError('connection_lost', `${verb} ${file.id} (${file.fileName}) was interrupted: ${raw}`, { evidence: [afterState(ctx, step), 'run `connector-db migrate current` to see where the database stands'], cause: error });
  }
  const code = e.code === '25006' ? 'read_only' : 'migration_failed';
  return new ToolError(code, `${verb} ${file.id} failed at ${shown}${what}: ${raw}`, { evidence, fixes, cause: error });
}

/** How far a no-transaction file now stands half-way: this run's statements, else an earlier run's (null: nothing of it took effect). */
function leftHalfWay(step: ActiveStep, ctx: FailureContext): PartialRun | null {
  if (!step.noTransaction) return null;
  if (step.done > 0) return { direction: step.direction, statementsDone: step.done, statementsTotal: step.statements.length };
  const previous = ctx.previous;
  return previous && previous.direction === step.direction && previous.statementsDone > 0 ? previous : null;
}

function afterState(ctx: FailureContext, step: ActiveStep): string {
  const before = ctx.completed.length > 0 ? `${ctx.completed.map((c) => c.id).join(', ')} (earlier in this run) stay${ctx.completed.length === 1 ? 's' : ''} ${step.direction === 'up' ? 'applied' : 'undone'}` : 'nothing else ran in this run';
  if (step.noTransaction) {
    const total = step.statements.length;
    if (step.done > 0) return `${step.file.name} runs without a transaction: ${step.done} of its ${total} statements ran and stay (status shows it as partial); ${before}.`;
    const previous = leftHalfWay(step, ctx);
    if (previous) {
      // Its first statement failed this time, most likely on what the earlier run made ("already exists").
      return `${step.file.name} runs without a transaction: this run stopped at its statement 1, but a previous run got ${previous.statementsDone} of its ${previous.statementsTotal} statements in, and the objects those made remain (status shows it as partial); ${before}.`;
    }
    return `${step.file.name} runs without a transaction; none of its ${total} statements took effect; ${before}.`;
  }
  const position = ctx.files.findIndex((f) => f.name === step.file.name);
  const at = step.direction === 'up' ? (position > 0 ? (ctx.files[position - 1] as MigrationFile).id : 'base') : step.file.id;
  return `${step.file.name} was rolled back completely; ${before}; the database is at ${at}.`;
}

/** A run cancelled between files: say what it did and where the database now is. */
function withWhereItStands(error: ToolError, ctx: FailureContext): ToolError {
  const last = ctx.completed[ctx.completed.length - 1] as StepRef;
  const position = ctx.files.findIndex((f) => f.name === last.name);
  const at = last.direction === 'up' ? last.id : position > 0 ? (ctx.files[position - 1] as MigrationFile).id : 'base';
  const did = `${ctx.completed.map((c) => c.id).join(', ')} ${last.direction === 'up' ? 'applied' : 'undone'}`;
  return new ToolError(error.code, `${error.message}: ${did} before it; the database is at ${at}.`, { evidence: error.evidence, fixes: error.fixes, exitCode: error.exitCode, cause: error });
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0]?.trim() ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** Paths under the working folder are shown relative (shorter, and what the user typed). */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
