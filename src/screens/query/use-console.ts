/**
 * The console's state and actions: the connection, the history, running
 * what was typed (statements and backslash commands, in order, stopping at
 * the first error), the question before a destructive statement, cancel,
 * and what the result area shows. The screen only draws this and maps keys.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QuerySession, Services } from '../../app/services.js';
import type { HistoryStore } from '../../core/query/history.js';
import { scanInput, type InputPiece } from '../../core/query/sql-scan.js';
import { HELP_LINES, parseMeta } from '../../core/query/catalog/meta.js';
import type { CatalogOutput } from '../../core/query/catalog/run-meta.js';
import { MemoryResult, type ResultSet } from '../../core/query/result-set.js';
import { describeServerError } from '../../core/query/server-error-text.js';
import { describeLines } from '../../core/query/text-table.js';
import type { StatementOutcome } from '../../core/query/console-session.js';
import { riskHeadline } from '../../core/query/classify.js';
import { sqlSecretSpans } from '../../core/redact/sql.js';
import { EMPTY_EDITOR, editorWith, type EditorState } from '../../components/editor-state.js';

export type Tone = 'plain' | 'ok' | 'error' | 'warn' | 'muted';
export interface LogLine {
  text: string;
  tone: Tone;
}

export type ResultView = { kind: 'none' } | { kind: 'rows'; result: ResultSet; elapsedMs?: number } | { kind: 'text'; lines: string[] };

export type Connection = { status: 'connecting' } | { status: 'open'; session: QuerySession } | { status: 'failed'; code: string; message: string };

export type Busy = false | 'statement' | 'fetch' | 'export';

export interface Question {
  lines: string[];
  answer: (yes: boolean) => void;
}

function describeTiming(ms: number): string {
  return `Time: ${ms.toFixed(3)} ms`;
}

function toggle(current: boolean, arg: string | undefined): boolean {
  if (arg === 'on') return true;
  if (arg === 'off') return false;
  return !current;
}

function catalogView(out: CatalogOutput): { view: ResultView; log: LogLine[] } {
  if (out.kind === 'table') {
    const t = out.table;
    if (t.rows.length === 0) return { view: { kind: 'none' }, log: [{ text: t.empty ?? `${t.title}: none`, tone: 'muted' }] };
    const columns = t.columns.map((name) => ({ name, typeId: 25, typeName: 'text' }));
    return { view: { kind: 'rows', result: new MemoryResult(columns, t.rows, `${t.rows.length} row${t.rows.length === 1 ? '' : 's'}`) }, log: [{ text: `${t.title} (${t.rows.length} row${t.rows.length === 1 ? '' : 's'})`, tone: 'ok' }] };
  }
  if (out.descriptions.length === 0) return { view: { kind: 'none' }, log: [{ text: out.notFound ?? 'nothing found', tone: 'error' }] };
  const lines = out.descriptions.flatMap((d, i) => [...(i > 0 ? [''] : []), ...describeLines(d)]);
  return { view: { kind: 'text', lines }, log: [{ text: out.descriptions.map((d) => d.title).join(', '), tone: 'ok' }] };
}

/**
 * What was typed and not run when the console was left (Esc goes back): it is
 * there again on the way back, for as long as the same services last (a
 * settings reload starts afresh).
 */
const keptDrafts = new WeakMap<Services['query'], EditorState>();

export function useConsole(services: Services, onQuit: () => void) {
  const q = services.query;
  const [connection, setConnection] = useState<Connection>({ status: 'connecting' });
  const [editor, setEditorState] = useState<EditorState>(() => keptDrafts.get(q) ?? EMPTY_EDITOR);
  // Keys may arrive before React re-renders: every reader of the text goes through this ref.
  const editorRef = useRef<EditorState>(keptDrafts.get(q) ?? EMPTY_EDITOR);
  const setEditor = useCallback((next: EditorState) => {
    editorRef.current = next;
    setEditorState(next);
  }, []);
  const currentEditor = useCallback(() => editorRef.current, []);
  const [view, setView] = useState<ResultView>({ kind: 'none' });
  const [log, setLog] = useState<LogLine[]>([]);
  const [busy, setBusy] = useState<Busy>(false);
  const [expanded, setExpanded] = useState(false);
  const [timing, setTiming] = useState(true);
  const [readOnly, setReadOnlyState] = useState(q.readOnly);
  const [question, setQuestion] = useState<Question | undefined>();
  const sessionRef = useRef<QuerySession | undefined>(undefined);
  const historyRef = useRef<HistoryStore | undefined>(undefined);
  const historyPos = useRef<{ index: number; draft: EditorState } | undefined>(undefined);
  const busyRef = useRef<Busy>(false);
  const readOnlyRef = useRef(q.readOnly);
  const mounted = useRef(true);

  const setBusyBoth = (b: Busy) => {
    busyRef.current = b;
    if (mounted.current) setBusy(b);
  };

  const connect = useCallback(async (): Promise<QuerySession | undefined> => {
    setConnection({ status: 'connecting' });
    try {
      const session = await q.open();
      session.readOnly = readOnlyRef.current;
      if (!mounted.current) {
        await session.close();
        return undefined;
      }
      sessionRef.current = session;
      setConnection({ status: 'open', session });
      return session;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (mounted.current) setConnection({ status: 'failed', code: e.code ?? 'internal', message: e.message ?? String(error) });
      return undefined;
    }
  }, [q]);

  useEffect(() => {
    mounted.current = true;
    // Warm the SQL parser (WASM) while the user types, so the first statement does not wait for it.
    void connect().then(() => q.classify('SELECT 1').catch(() => undefined));
    void q.openHistory().then((h) => (historyRef.current = h));
    return () => {
      mounted.current = false;
      keptDrafts.set(q, editorRef.current);
      const session = sessionRef.current;
      sessionRef.current = undefined;
      if (session) void (busyRef.current ? session.cancel().catch(() => false) : Promise.resolve(false)).finally(() => void session.close());
    };
  }, [connect, q]);

  const ask = (lines: string[]) =>
    new Promise<boolean>((resolve) => {
      setQuestion({
        lines,
        answer: (yes) => {
          setQuestion(undefined);
          resolve(yes);
        },
      });
    });

  const outcomeLog = (outcome: StatementOutcome, statement: string): LogLine[] => {
    const notices = outcome.notices.map((n) => ({ text: n, tone: 'warn' as Tone }));
    const time = timing ? [{ text: describeTiming(outcome.elapsedMs), tone: 'muted' as Tone }] : [];
    if (outcome.kind === 'error') {
      if (outcome.cancelled) return [...notices, { text: 'Cancelled: the server stopped the statement.', tone: 'warn' }];
      const [first, ...rest] = describeServerError(outcome.error, statement);
      return [...notices, { text: first as string, tone: 'error' }, ...rest.map((text) => ({ text, tone: 'plain' as Tone }))];
    }
    if (outcome.kind === 'command') return [...notices, { text: outcome.tag, tone: 'ok' }, ...time];
    const r = outcome.result;
    return [...notices, { text: r.done ? (r.tag ?? `${r.loaded} rows`) : `first ${r.loaded} rows (more as you scroll)`, tone: 'ok' }, ...time];
  };

  const toggleExpanded = (arg?: string) => {
    const on = toggle(expanded, arg);
    setExpanded(on);
    setLog([{ text: `Expanded display is ${on ? 'on' : 'off'}.`, tone: 'ok' }]);
  };

  const runPiece = async (session: QuerySession, piece: InputPiece): Promise<boolean> => {
    if (piece.kind === 'meta') {
      const parsed = parseMeta(piece.text);
      if (!parsed.ok) {
        setLog([{ text: parsed.message, tone: 'error' }]);
        return true;
      }
      const cmd = parsed.command;
      if (cmd.name === 'x') {
        toggleExpanded(cmd.arg);
        return false;
      }
      if (cmd.name === 'timing') {
        const on = toggle(timing, cmd.arg);
        setTiming(on);
        setLog([{ text: `Timing is ${on ? 'on' : 'off'}.`, tone: 'ok' }]);
        return false;
      }
      if (cmd.name === '?') {
        setView({ kind: 'text', lines: HELP_LINES });
        return false;
      }
      if (cmd.name === 'q') {
        onQuit();
        return true;
      }
      setView({ kind: 'none' });
      setBusyBoth('statement');
      try {
        const shown = catalogView(await session.catalog(cmd));
        setView(shown.view);
        setLog(shown.log);
        return false;
      } catch (error) {
        setLog([{ text: `ERROR:  ${(error as Error).message}`, tone: 'error' }]);
        return true;
      } finally {
        setBusyBoth(false);
      }
    }
    const info = await q.classify(piece.text);
    if (info.risks.length > 0 && !session.readOnly) {
      const yes = await ask([riskHeadline(info.risks), ...info.risks.map((r) => `  ${r.description}`), 'Run it? (y/N)']);
      if (!yes) {
        setLog([{ text: 'Not run.', tone: 'warn' }]);
        return true;
      }
    }
    setView({ kind: 'none' });
    setBusyBoth('statement');
    const outcome = await session.execute(piece.text, info);
    setBusyBoth(false);
    if (!mounted.current) return true;
    if (outcome.kind === 'rows') setView({ kind: 'rows', result: outcome.result, elapsedMs: outcome.elapsedMs });
    setLog(outcomeLog(outcome, piece.text));
    return outcome.kind === 'error';
  };

  const submit = async () => {
    if (busyRef.current || question) return;
    const text = editorRef.current.text;
    const scanned = scanInput(text);
    if (scanned.pieces.length === 0 || scanned.rest) {
      // Not finished: Enter is a new line (an empty input stays empty).
      const e = editorRef.current;
      if (text.trim() !== '') setEditor({ text: e.text.slice(0, e.cursor) + '\n' + e.text.slice(e.cursor), cursor: e.cursor + 1 });
      // Enter on an emptied prompt starts the history walk afresh: the next Up is the newest entry, not one older than the last recalled.
      else historyPos.current = undefined;
      return;
    }
    // The history keeps password literals masked: recalled as is, ALTER ROLE ... PASSWORD '****' would set the password to four stars.
    if (sqlSecretSpans(text).some((span) => span.secret === '****')) {
      setLog([{ text: "Not run: the password is '****' as the history masks it; type it again.", tone: 'error' }]);
      return;
    }
    historyRef.current?.add(text);
    historyPos.current = undefined;
    setEditor(EMPTY_EDITOR);
    const session = sessionRef.current ?? (await connect());
    if (!session) return;
    for (const piece of scanned.pieces) if (await runPiece(session, piece)) break;
  };

  const walkHistory = (direction: -1 | 1) => {
    const entries = historyRef.current?.entries() ?? [];
    const pos = historyPos.current;
    const index = (pos ? pos.index : entries.length) + direction;
    if (index < 0 || entries.length === 0) return;
    if (index >= entries.length) {
      if (pos) setEditor(pos.draft);
      historyPos.current = undefined;
      return;
    }
    historyPos.current = { index, draft: pos ? pos.draft : editorRef.current };
    setEditor(editorWith(entries[index] as string));
  };

  const cancel = async () => {
    const session = sessionRef.current;
    if (!session || !busyRef.current) return;
    setLog((l) => [...l, { text: 'Cancelling…', tone: 'warn' }]);
    await session.cancel().catch(() => false);
  };

  const setReadOnly = async (on: boolean) => {
    if (!on) {
      const yes = await ask(['Allow statements that write, on this connection?', 'Read-only mode runs each statement in a read-only transaction. (y/N)']);
      if (!yes) return;
    }
    readOnlyRef.current = on;
    if (sessionRef.current) sessionRef.current.readOnly = on;
    setReadOnlyState(on);
    setLog([{ text: on ? 'Read-only: every statement runs in a read-only transaction.' : 'Read-write: statements may change data (destructive ones still ask).', tone: on ? 'ok' : 'warn' }]);
  };

  return { connection, editor, setEditor, currentEditor, view, setView, log, setLog, busy, setBusy: setBusyBoth, busyRef, expanded, toggleExpanded, timing, readOnly, question, submit, walkHistory, cancel, setReadOnly, ask, connect };
}
