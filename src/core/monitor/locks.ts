/**
 * Who blocks whom. `lockTree` is pure: from the sessions (with their
 * pg_blocking_pids) it draws the sessions holding everyone up at the roots
 * and their waiters beneath. `whoBlocks` answers it for one session (the
 * migration runner's connection) so a waiting migration can name its blocker.
 */
import type pg from 'pg';
import { readSessions } from './activity.js';
import type { LockTreeRow, LockWanted, Session } from './types.js';

type Queryable = Pick<pg.Client, 'query'>;

/**
 * The lock-wait forest, depth first. Roots are sessions that block someone
 * and wait for nobody (or, in a cycle the deadlock detector has not broken
 * yet, the lowest pid of the cycle). A session waiting on several is drawn
 * under the first and lists the others in `alsoBlockedBy`.
 */
export function lockTree(sessions: Session[]): LockTreeRow[] {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const waiters = sessions.filter((s) => s.blockedBy.length > 0);
  if (waiters.length === 0) return [];
  const children = new Map<number, Session[]>();
  for (const w of waiters) {
    const parent = w.blockedBy.find((p) => byPid.has(p));
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(w);
    children.set(parent, list);
  }
  const rows: LockTreeRow[] = [];
  const placed = new Set<number>();
  const place = (session: Session, depth: number) => {
    if (placed.has(session.pid)) return;
    placed.add(session.pid);
    const parent = session.blockedBy.find((p) => byPid.has(p));
    rows.push({
      depth,
      session,
      alsoBlockedBy: session.blockedBy.filter((p) => p !== parent && byPid.has(p)),
      missingBlockers: session.blockedBy.filter((p) => !byPid.has(p)),
    });
    const kids = [...(children.get(session.pid) ?? [])].sort(byLongestWait);
    for (const kid of kids) place(kid, depth + 1);
  };
  const blockerPids = new Set(waiters.flatMap((w) => w.blockedBy));
  const roots = sessions.filter((s) => blockerPids.has(s.pid) && !s.blockedBy.some((p) => byPid.has(p)));
  // Waiters whose every blocker is invisible here (a prepared transaction) are roots too.
  const orphans = waiters.filter((w) => !w.blockedBy.some((p) => byPid.has(p)));
  for (const root of [...roots, ...orphans].sort((a, b) => (b.xactAgeSeconds ?? 0) - (a.xactAgeSeconds ?? 0))) place(root, 0);
  // Whatever is left sits in a cycle: start it at its lowest pid.
  for (const w of [...waiters].sort((a, b) => a.pid - b.pid)) place(w, 0);
  return rows;
}

function byLongestWait(a: Session, b: Session): number {
  return (b.lockWait?.waitingSeconds ?? 0) - (a.lockWait?.waitingSeconds ?? 0);
}

/** What one waiting session waits for, and on whom. */
export interface BlockedReport {
  waiter: Session;
  lock: LockWanted | null;
  /** The sessions it waits for directly. */
  blockers: Session[];
  /** The sessions at the head of the queue it is in (blocking and waiting for nobody): usually the one to deal with. */
  rootBlockers: Session[];
  /** Blocking pids that pg_stat_activity does not show (0 = a prepared transaction). */
  missingBlockers: number[];
}

/** Null when `pid` waits for nobody (or is gone). */
export async function whoBlocks(client: Queryable, pid: number): Promise<BlockedReport | null> {
  const sessions = await readSessions(client);
  return blockedReportOf(sessions, pid);
}

/** The pure half of whoBlocks, for callers that already hold the sessions. */
export function blockedReportOf(sessions: Session[], pid: number): BlockedReport | null {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const waiter = byPid.get(pid);
  if (!waiter || waiter.blockedBy.length === 0) return null;
  const blockers = waiter.blockedBy.map((p) => byPid.get(p)).filter((s): s is Session => s !== undefined);
  const roots = new Map<number, Session>();
  const seen = new Set<number>([pid]);
  const walk = (s: Session) => {
    if (seen.has(s.pid)) return;
    seen.add(s.pid);
    const up = s.blockedBy.map((p) => byPid.get(p)).filter((x): x is Session => x !== undefined);
    if (up.length === 0) roots.set(s.pid, s);
    for (const u of up) walk(u);
  };
  for (const b of blockers) walk(b);
  return {
    waiter,
    lock: waiter.lockWait,
    blockers,
    rootBlockers: [...roots.values()],
    missingBlockers: waiter.blockedBy.filter((p) => !byPid.has(p)),
  };
}
