/**
 * Short human forms for the monitor's figures, shared by the command's text
 * output and the screen so both read the same: ages ("3m12s"), sizes
 * ("7.4 MB"), milliseconds, ratios, and a query squeezed onto one line.
 */
import type { LockTreeRow, Session } from './types.js';
import { escapeControls } from '../escape-controls.js';

/** "0.4s", "12s", "3m12s", "2h05m", "3d04h"; "-" for null. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** pg_size_pretty's units (1024-based), one decimal under 10: "7.4 MB", "512 kB", "0 B". */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/** "0.12 ms", "35 ms", "1.2 s", "4m10s". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatAge(ms / 1000);
}

/** "99.2%"; "-" when nothing was read yet. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '-';
  const pct = ratio * 100;
  return `${pct >= 99.95 && pct < 100 ? '99.9' : pct.toFixed(1)}%`;
}

/** A statement on one line: whitespace runs collapsed; cut to `max` characters with an ellipsis. */
export function oneLine(query: string | null, max = Infinity): string {
  if (query === null) return '';
  // A statement is anybody's text: no terminal code in it reaches the screen.
  const flat = escapeControls(query.replace(/\s+/g, ' ').trim());
  return flat.length > max ? flat.slice(0, Math.max(0, max - 1)).trimEnd() + '…' : flat;
}

/** How a session reads in one line (confirmations, the migration's blocker): "pid 4242 · app · psql · idle in transaction for 5m12s (transaction 5m13s)". */
export function sessionSummary(s: {
  pid: number;
  user: string | null;
  application: string;
  state: string | null;
  visible: boolean;
  xactAgeSeconds: number | null;
  stateAgeSeconds: number | null;
}): string {
  const who = [`pid ${s.pid}`, s.user ?? '?', s.application || '(no application name)'];
  if (!s.visible) return [...who, 'state hidden from this role'].join(' · ');
  const state = s.state ? `${s.state}${s.stateAgeSeconds !== null ? ` for ${formatAge(s.stateAgeSeconds)}` : ''}` : 'no state';
  const xact = s.xactAgeSeconds !== null ? ` (transaction open ${formatAge(s.xactAgeSeconds)})` : '';
  return [...who, state + xact].join(' · ');
}

/** Cut a line to `max` characters with an ellipsis, leaving its spacing alone. */
export function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, Math.max(0, max - 1)) + '…' : text;
}

function who(s: Session): string {
  return `${s.pid} ${s.user ?? '?'}${s.application ? ` (${s.application})` : ''}`;
}

/** "└ 4243 app (psql) waits 3.1s for AccessExclusiveLock on jobs: ALTER TABLE jobs ..." */
export function lockTreeLine(row: LockTreeRow, width: number): string {
  const s = row.session;
  const indent = row.depth === 0 ? '' : '  '.repeat(row.depth - 1) + '└ ';
  const query = s.visible ? oneLine(s.query) : '(query hidden from this role)';
  let what: string;
  if (s.lockWait) {
    const on = s.lockWait.relation ? ` on ${s.lockWait.relation}` : ` (${s.lockWait.lockType})`;
    what = `waits ${formatAge(s.lockWait.waitingSeconds)} for ${s.lockWait.mode}${on}`;
  } else {
    what = `${s.visible ? (s.state ?? '?') : 'state hidden'}${s.xactAgeSeconds !== null ? `, transaction open ${formatAge(s.xactAgeSeconds)}` : ''} — blocks others`;
  }
  const extra = [
    ...(row.alsoBlockedBy.length > 0 ? [`also behind ${row.alsoBlockedBy.join(', ')}`] : []),
    ...row.missingBlockers.map((p) => (p === 0 ? 'behind a prepared transaction (see pg_prepared_xacts)' : `behind pid ${p} (not visible)`)),
  ];
  const text = `${indent}${who(s)} ${what}${extra.length > 0 ? ` [${extra.join('; ')}]` : ''}: ${query}`;
  return clip(text, width);
}
