/**
 * The `query` command's work: split the input into statements and catalog
 * commands, classify every statement with the parser before running any
 * (so a script never half-runs and then stops at a question), ask once for
 * the destructive ones, then run them in order and stream each result.
 * CSV of a plain query goes through `COPY (...) TO STDOUT`, the server's
 * own fast path. The first error stops the run: exit 1 with the server's
 * message and the position marked.
 */
import { ToolError } from '../core/errors.js';
import type { FlagValue } from '../core/config/resolve.js';
import type { SettingKey } from '../core/config/spec.js';
import { splitScript, type InputPiece } from '../core/query/sql-scan.js';
import { classifyStatement, riskHeadline, type StatementInfo } from '../core/query/classify.js';
import { parseMeta, HELP_LINES, type MetaCommand } from '../core/query/catalog/meta.js';
import { isCatalogCommand, runCatalog, type CatalogOutput } from '../core/query/catalog/run-meta.js';
import { ConsoleSession, type StatementOutcome } from '../core/query/console-session.js';
import { redactFailure } from '../core/query/server-error.js';
import { streamCsv, streamJsonArray, streamTable, type OutputFormat } from '../core/query/stream-out.js';
import { csvLine } from '../core/query/value-format.js';
import type { ResultSet } from '../core/query/result-set.js';
import type { CommandContext } from './context.js';
import type { CommandInput } from './registry.js';
import { dbSettingsOf, openOptionsOf } from './db.js';
import { confirm } from './prompt.js';

type Step = { piece: InputPiece; kind: 'sql'; info: StatementInfo } | { piece: InputPiece; kind: 'meta'; command: MetaCommand };

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function flagsOf(opts: Record<string, unknown>): Partial<Record<SettingKey, FlagValue>> {
  const flags: Partial<Record<SettingKey, FlagValue>> = {};
  if (opts.readOnly) flags.QUERY__READ_ONLY = { value: 'true', flag: '--read-only' };
  if (opts.statementTimeout !== undefined) flags.QUERY__STATEMENT_TIMEOUT = { value: String(opts.statementTimeout), flag: '--statement-timeout' };
  return flags;
}

export async function runQueryCommand(ctx: CommandContext, { args, opts }: CommandInput): Promise<number> {
  const flags = flagsOf(opts);
  let text = args[0];
  if (text === undefined) {
    if (ctx.stdin.isTTY) {
      if (ctx.globals.json || !ctx.out.stdout.isTTY) throw new ToolError('usage', 'no SQL given: pass it as an argument or pipe it on stdin', { exitCode: 2 });
      const { runTui } = await import('../app/run-tui.js');
      return runTui(ctx, { initialScreen: 'query', flags });
    }
    text = await readAll(ctx.stdin);
  }
  const settings = ctx.settings(flags);
  // Connect while the parser loads and classifies: the two waits overlap. Nothing runs before the questions are answered.
  const opening = ConsoleSession.open(dbSettingsOf(settings), { readOnly: settings.queryReadOnly, statementTimeout: settings.queryStatementTimeout, open: openOptionsOf(ctx) });
  opening.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
  let steps: Step[];
  try {
    steps = await plan(text);
    // Read-only, every statement runs in a read-only transaction: the server refuses any change,
    // so nothing needs asking (as in the console).
    if (!settings.queryReadOnly) await confirmRisks(ctx, steps, opts.yes === true);
  } catch (error) {
    void opening.then((s) => s.close(), () => undefined);
    throw error;
  }
  return runSteps(ctx, await opening, steps, ctx.globals.json ? 'envelope' : (opts.format as OutputFormat));
}

async function runSteps(ctx: CommandContext, session: ConsoleSession, steps: Step[], format: OutputFormat | 'envelope'): Promise<number> {
  const out = ctx.out.stdout;
  const envelope = format === 'envelope' ? new Envelope(out) : undefined;
  try {
    for (const step of steps) {
      if (step.kind === 'meta') {
        if (step.command.name === 'q') break;
        await runMetaStep(ctx, session, step.command, format, envelope);
        continue;
      }
      const failure = await runSqlStep(ctx, session, step, format, envelope);
      if (failure) {
        // Password literals masked in the statement, its position moved onto the masked text.
        const { error, statement } = redactFailure(failure.error, step.piece.text);
        if (envelope) {
          await envelope.close({ ok: false, error: { code: 'server_error', message: error.message, sqlstate: error.sqlstate ?? null, statement, position: error.offset ?? null, detail: error.detail ?? null, hint: error.hint ?? null } });
          return 1;
        }
        const { describeServerError } = await import('../core/query/server-error-text.js');
        const lines = describeServerError(failure.error, step.piece.text);
        throw new ToolError('server_error', error.message, { evidence: lines.slice(1) });
      }
    }
    await envelope?.close({ ok: true });
    return 0;
  } finally {
    await session.close({ endWithoutWaiting: true });
  }
}

async function plan(text: string): Promise<Step[]> {
  const pieces = splitScript(text);
  if (pieces.length === 0) throw new ToolError('usage', 'no statement in the input (only blanks or comments)', { exitCode: 2 });
  const steps: Step[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'meta') {
      const parsed = parseMeta(piece.text);
      if (!parsed.ok) throw new ToolError('usage', parsed.message, { exitCode: 2 });
      steps.push({ piece, kind: 'meta', command: parsed.command });
      continue;
    }
    const info = await classifyStatement(piece.text);
    if (info.copyStdio === 'in') throw new ToolError('usage', 'COPY ... FROM STDIN is not supported by `query`; use psql\'s \\copy, or INSERT statements', { exitCode: 2 });
    steps.push({ piece, kind: 'sql', info });
  }
  return steps;
}

async function confirmRisks(ctx: CommandContext, steps: Step[], yes: boolean): Promise<void> {
  const risks = steps.flatMap((s) => (s.kind === 'sql' ? s.info.risks : []));
  if (risks.length === 0 || yes) return;
  const list = risks.map((r) => `  - ${r.description}`).join('\n');
  if (!ctx.interactive) {
    throw new ToolError('usage', `refusing to run without confirmation: ${risks.map((r) => r.description).join('; ')} (no terminal to ask; pass --yes to run it)`, { exitCode: 2 });
  }
  const plural = risks.length > 1;
  const ok = await confirm(ctx, `${riskHeadline(risks, plural)}\n${list}\nRun ${plural ? 'them' : 'it'}?`, false);
  if (!ok) throw new ToolError('cancelled', 'nothing was run (the statements that ask first were not confirmed)');
}

async function runSqlStep(ctx: CommandContext, session: ConsoleSession, step: Extract<Step, { kind: 'sql' }>, format: OutputFormat | 'envelope', envelope: Envelope | undefined): Promise<Extract<StatementOutcome, { kind: 'error' }> | undefined> {
  const out = ctx.out.stdout;
  if (format === 'csv' && (step.info.copyable || step.info.copyStdio === 'out')) {
    const copied = await session.copyOut(step.piece.text, out, { csvHeader: true, alreadyCopy: step.info.copyStdio === 'out' });
    return 'kind' in copied ? copied : undefined;
  }
  if (step.info.copyStdio === 'out') return { kind: 'error', error: { message: 'COPY ... TO STDOUT needs --format csv (it writes the server\'s own COPY output)' }, elapsedMs: 0, cancelled: false, notices: [] };
  const outcome = await session.execute(step.piece.text, step.info);
  for (const n of outcome.notices) ctx.out.note(n);
  if (outcome.kind === 'error') return outcome;
  if (outcome.kind === 'command') {
    if (envelope) await envelope.command(outcome.tag);
    else if (format === 'table') out.write(outcome.tag + '\n');
    return undefined;
  }
  try {
    if (envelope) await envelope.rows(outcome.result);
    else if (format === 'csv') await streamCsv(outcome.result, out);
    else if (format === 'json') {
      await streamJsonArray(outcome.result, out);
      out.write('\n');
    } else {
      // psql prints NULL as nothing; on a colour terminal a dim ∅ tells it from the empty string.
      const coloured = ctx.out.palette.dim('∅') !== '∅';
      await streamTable(outcome.result, out, { nullText: coloured ? ctx.out.palette.dim('∅') : '' });
    }
  } catch (error) {
    const { toServerError } = await import('../core/query/server-error.js');
    return { kind: 'error', error: toServerError(error, step.piece.text), elapsedMs: 0, cancelled: false, notices: [] };
  } finally {
    await outcome.result.close();
  }
  return undefined;
}

async function runMetaStep(ctx: CommandContext, session: ConsoleSession, command: MetaCommand, format: OutputFormat | 'envelope', envelope: Envelope | undefined): Promise<void> {
  const out = ctx.out.stdout;
  if (command.name === '?') {
    if (format === 'table') out.write(HELP_LINES.join('\n') + '\n');
    return;
  }
  if (!isCatalogCommand(command)) {
    ctx.out.note(`connector-db: \\${command.name} only means something in the console; ignored`);
    return;
  }
  const result = await runCatalog((sql, params) => session.catalogQuery(sql, params), command, session.info.serverVersionNum);
  if (envelope) return envelope.catalog(result);
  if (format === 'json') {
    out.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  // The aligned layouts measure display width (string-width: ~20 ms to load), so they load only here.
  const { alignedTable, describeLines } = await import('../core/query/text-table.js');
  if (result.kind === 'table') {
    const t = result.table;
    if (format === 'csv') out.write(csvLine(t.columns) + t.rows.map(csvLine).join(''));
    else out.write((t.rows.length === 0 && t.empty ? t.empty : alignedTable(t.columns, t.rows, { title: t.title, footer: !t.noFooter }).join('\n')) + '\n\n');
    return;
  }
  if (result.notFound) throw new ToolError('not_found', result.notFound);
  for (const d of result.descriptions) {
    if (format === 'csv') out.write(csvLine(d.columns) + d.rows.map(csvLine).join(''));
    else out.write(describeLines(d).join('\n') + '\n\n');
  }
}

/** `--json`: one document, streamed: {"results":[...],"ok":...}. */
class Envelope {
  private count = 0;
  constructor(private readonly out: NodeJS.WritableStream) {
    out.write('{"results":[');
  }
  private sep(): string {
    return this.count++ === 0 ? '\n' : ',\n';
  }
  async command(tag: string): Promise<void> {
    this.out.write(this.sep() + JSON.stringify({ command: tag }));
  }
  async rows(result: ResultSet): Promise<void> {
    this.out.write(this.sep() + `{"columns":${JSON.stringify(result.columns.map((c) => ({ name: c.name, type: c.typeName })))},"rows":`);
    const rows = await streamJsonArray(result, this.out as unknown as import('node:stream').Writable, '  ');
    this.out.write(`,"rowCount":${rows},"command":${JSON.stringify(result.tag ?? null)}}`);
  }
  async catalog(output: CatalogOutput): Promise<void> {
    this.out.write(this.sep() + JSON.stringify(output));
  }
  async close(tail: Record<string, unknown>): Promise<void> {
    const rest = JSON.stringify(tail).slice(1);
    this.out.write(`\n],${rest}\n`);
  }
}

