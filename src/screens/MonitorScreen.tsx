/**
 * Monitor: the server as it is now, refreshed every 2 s (space pauses):
 * connections against max_connections and the app's pool ceiling, then tabs
 * for sessions, who blocks whom, open transactions, applications, table
 * sizes and the slowest statements. c cancels the selected backend's query,
 * t terminates it, each after a confirmation. Same engine as
 * `connector-db monitor`.
 */
import React, { useMemo, useRef, useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import { useServices } from '../app/services.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import { clip, oneLine, sessionSummary } from '../core/monitor/format.js';
import type { SignalAction } from '../core/monitor/signal.js';
import type { Session, Visibility } from '../core/monitor/types.js';
import { quoteIdent } from '../core/monitor/visibility.js';
import { ConnectionLines, FreshnessLine, TabBar } from './monitor/MonitorSummary.js';
import { MonitorTable } from './monitor/MonitorTable.js';
import { SessionDetail } from './monitor/SessionDetail.js';
import { SignalDialog } from './monitor/SignalDialog.js';
import { windowTop } from './monitor/layout.js';
import { buildTabs, TAB_ORDER, type TabId } from './monitor/tabs.js';
import { REFRESH_MS, useMonitor } from './monitor/use-monitor.js';

type Dialog = { kind: 'signal'; action: SignalAction; session: Session } | { kind: 'detail'; session: Session } | null;

/** Lines the App's frame takes around a screen (itself one line short of the terminal): title, margin, status bar and hints. */
const FRAME_LINES = 4;
/** The screen's own lines besides the table: freshness, three summary lines, tab bar, two detail lines, one message line. */
const OWN_LINES = 8;

export function MonitorScreen() {
  const services = useServices();
  const [service] = useState(() => services.openMonitor());
  const [mon, { togglePause, refresh }] = useMonitor(service);
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns || 80);
  const tableHeight = Math.max(3, (stdout.rows || 24) - 1 - FRAME_LINES - OWN_LINES);

  const [tab, setTab] = useState<TabId>('sessions');
  const [cursor, setCursor] = useState<{ key?: string; index: number }>({ index: 0 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const topRef = useRef(0);

  const tabs = useMemo(() => (mon.snapshot ? buildTabs(mon.snapshot) : []), [mon.snapshot]);
  const view = tabs.find((t) => t.id === tab);
  const rows = view?.rows ?? [];
  // The selection follows its row (by pid) when a refresh reorders the list.
  const keyed = cursor.key === undefined ? -1 : rows.findIndex((r) => r.key === cursor.key);
  const selected = rows.length === 0 ? 0 : keyed >= 0 ? keyed : Math.min(cursor.index, rows.length - 1);
  const top = windowTop(topRef.current, selected, tableHeight - 1, rows.length);
  topRef.current = top;
  const row = rows[selected];
  const session = row?.pid !== undefined ? mon.snapshot?.sessions.find((s) => s.pid === row.pid) : undefined;

  // Keys handled before the next draw (a held arrow on a slow link) each move on from the previous one.
  const movedTo = useRef<number | undefined>(undefined);
  movedTo.current = undefined;
  const move = (delta: number) => {
    if (rows.length === 0) return;
    const index = Math.max(0, Math.min(rows.length - 1, (movedTo.current ?? selected) + delta));
    movedTo.current = index;
    setCursor({ key: rows[index]?.key, index });
  };
  const switchTab = (id: TabId) => {
    setTab(id);
    setCursor({ index: 0 });
    topRef.current = 0;
  };
  const shiftTab = (delta: number) => switchTab(TAB_ORDER[(TAB_ORDER.indexOf(tab) + delta + TAB_ORDER.length) % TAB_ORDER.length] as TabId);
  const ask = (action: SignalAction) => {
    if (!row || row.pid === undefined || !session) {
      setMessage({ ok: false, text: 'choose a session first (tabs 1 Sessions, 2 Locks, 3 Transactions)' });
      return;
    }
    if (session.self) {
      setMessage({ ok: false, text: `pid ${session.pid} is the monitor's own connection` });
      return;
    }
    setMessage(null);
    setDialog({ kind: 'signal', action, session });
  };
  const act = async (action: SignalAction, target: Session) => {
    setDialog(null);
    setMessage({ ok: true, text: `${action === 'cancel' ? 'cancelling the query of' : 'terminating'} backend ${target.pid}…` });
    const answer = await service.signal(target.pid, action);
    if (answer.ok) setMessage({ ok: answer.result.done, text: answer.result.message });
    else setMessage({ ok: false, text: `${answer.code}: ${answer.message}${answer.fixes[0] ? ` — ${answer.fixes[0]}` : ''}` });
    refresh();
  };

  useKeys(
    [
      { command: 'pause', keys: ['space', 'p'], hint: mon.paused ? 'resume' : 'pause', description: 'pause or resume the 2 s refresh' },
      { command: 'cancel', keys: ['c'], hint: 'cancel', description: "cancel the selected backend's running query (asks first)" },
      { command: 'terminate', keys: ['t'], hint: 'terminate', description: 'terminate the selected backend (asks first)' },
      { command: 'next-tab', keys: ['tab', 'right'], hint: 'tabs', description: 'next tab (1-6 jump to one)' },
      { command: 'prev-tab', keys: ['shift+tab', 'left'], description: 'previous tab' },
      { command: 'details', keys: ['return'], description: 'the selected session in full' },
      { command: 'refresh', keys: ['r'], hint: 'refresh', description: 'refresh now (also while paused)' },
      { command: 'up', keys: ['up', 'k'], description: 'move up' },
      { command: 'down', keys: ['down', 'j'], description: 'move down' },
      { command: 'page-up', keys: ['pageup'], description: 'a page up' },
      { command: 'page-down', keys: ['pagedown'], description: 'a page down' },
      ...TAB_ORDER.map((id, i) => ({ command: `tab-${id}`, keys: [String(i + 1)], description: `tab ${i + 1}: ${id}` })),
    ],
    {
      pause: togglePause,
      cancel: () => ask('cancel'),
      terminate: () => ask('terminate'),
      'next-tab': () => shiftTab(1),
      'prev-tab': () => shiftTab(-1),
      details: () => (session ? setDialog({ kind: 'detail', session }) : undefined),
      refresh,
      up: () => move(-1),
      down: () => move(1),
      'page-up': () => move(-(tableHeight - 1)),
      'page-down': () => move(tableHeight - 1),
      ...Object.fromEntries(TAB_ORDER.map((id) => [`tab-${id}`, () => switchTab(id)])),
    },
  );

  if (!mon.snapshot) {
    return (
      <Box flexDirection="column">
        {mon.failure ? <FreshnessLine paused={mon.paused} failure={mon.failure} intervalMs={REFRESH_MS} /> : <Text color={theme.muted}>reading the server…</Text>}
        {mon.failure?.evidence[0] ? <Text color={theme.muted}>{clip(mon.failure.evidence[0], width)}</Text> : null}
        {mon.failure ? <Text color={theme.muted}>Open Doctor for the fix.</Text> : null}
      </Box>
    );
  }
  const snap = mon.snapshot;
  const detail = detailLines(row?.query, session, view?.id, width);
  const note = message ?? (snap.sizes.estimated && tab === 'tables' ? { ok: false, text: 'a table is locked: sizes estimated from the catalog' } : visibilityNote(snap.visibility));
  return (
    <Box flexDirection="column">
      <FreshnessLine paused={mon.paused} failure={mon.failure} refreshedAt={mon.refreshedAt} intervalMs={REFRESH_MS} snapshot={snap} />
      <ConnectionLines snapshot={snap} />
      <TabBar tabs={tabs} current={tab} />
      {dialog?.kind === 'signal' ? (
        <Box height={tableHeight + 2}>
          <SignalDialog action={dialog.action} session={dialog.session} width={width} onConfirm={() => void act(dialog.action, dialog.session)} onClose={() => setDialog(null)} />
        </Box>
      ) : dialog?.kind === 'detail' ? (
        <SessionDetail session={snap.sessions.find((s) => s.pid === dialog.session.pid) ?? dialog.session} width={width} height={tableHeight + 2} onClose={() => setDialog(null)} />
      ) : (
        <>
          {view ? <MonitorTable tab={view} selected={selected} top={top} height={tableHeight} width={width} /> : null}
          <Text color={theme.muted}>{detail[0]}</Text>
          <Text color={theme.muted}>{detail[1]}</Text>
        </>
      )}
      {note ? (
        <Text color={message ? (message.ok ? theme.ok : theme.error) : theme.muted} wrap="truncate-end">
          {message ? `${message.ok ? marks.ok : marks.fail} ` : ''}
          {note.text}
        </Text>
      ) : (
        <Text> </Text>
      )}
    </Box>
  );
}

/** The one line this role most needs to know (the full sentences are in `connector-db monitor`). */
function visibilityNote(v: Visibility): { ok: boolean; text: string } | null {
  const role = quoteIdent(v.role);
  if (v.hiddenSessions > 0) return { ok: true, text: `${v.hiddenSessions} hidden from ${v.role}: GRANT pg_read_all_stats TO ${role}; shows them` };
  if (!v.signalBackend) return { ok: true, text: `${v.role} may signal only its own sessions (GRANT pg_signal_backend TO ${role};)` };
  return null;
}

/** Two lines under the table: who the selected session is, and its statement. */
function detailLines(query: string | null | undefined, session: Session | undefined, tab: TabId | undefined, width: number): [string, string] {
  if (session) return [clip(sessionSummary(session), width), clip(session.visible ? oneLine(session.query) : '(query hidden from this role)', width)];
  if (tab === 'statements' && query) {
    const flat = oneLine(query);
    return [flat.slice(0, width), clip(flat.slice(width), width)];
  }
  return [' ', ' '];
}
