import { describe, expect, it } from 'vitest';
import { connectionFigures, openTransactions } from '../../src/core/monitor/connections.js';
import { formatAge, formatBytes, formatMs, formatRatio, oneLine } from '../../src/core/monitor/format.js';
import { blockedReportOf, lockTree } from '../../src/core/monitor/locks.js';
import { layoutColumns, windowTop } from '../../src/screens/monitor/layout.js';
import { session } from '../ui/monitor-fixture.js';

const tree = (rows: ReturnType<typeof lockTree>) => rows.map((r) => `${'  '.repeat(r.depth)}${r.session.pid}${r.alsoBlockedBy.length ? ` +${r.alsoBlockedBy.join(',')}` : ''}${r.missingBlockers.length ? ` ?${r.missingBlockers.join(',')}` : ''}`);

describe('lockTree', () => {
  it('puts the blocker at the root and each waiter under the first session it waits for', () => {
    const sessions = [
      session(1, { xactAgeSeconds: 100 }),
      session(2, { blockedBy: [1] }),
      session(3, { blockedBy: [2, 1] }),
      session(4),
      session(5, { blockedBy: [1], lockWait: { lockType: 'relation', mode: 'ShareLock', relation: 't', waitingSeconds: 9 } }),
    ];
    // 5 has waited longer than 2, so it comes first among 1's waiters; 3 also waits for 1.
    expect(tree(lockTree(sessions))).toEqual(['1', '  5', '  2', '    3 +1']);
  });

  it('no waits: no rows', () => {
    expect(lockTree([session(1), session(2)])).toEqual([]);
  });

  it('a waiter behind a prepared transaction (pid 0) is a root and says so', () => {
    expect(tree(lockTree([session(7, { blockedBy: [0] })]))).toEqual(['7 ?0']);
  });

  it('a cycle the deadlock detector has not broken yet is still drawn, once each', () => {
    expect(tree(lockTree([session(8, { blockedBy: [9] }), session(9, { blockedBy: [8] })]))).toEqual(['8', '  9']);
  });

  it('blockedReportOf: the direct blockers and the head of the queue', () => {
    const sessions = [session(1), session(2, { blockedBy: [1] }), session(3, { blockedBy: [2] })];
    const report = blockedReportOf(sessions, 3);
    expect(report?.blockers.map((s) => s.pid)).toEqual([2]);
    expect(report?.rootBlockers.map((s) => s.pid)).toEqual([1]);
    expect(blockedReportOf(sessions, 1)).toBeNull();
    expect(blockedReportOf(sessions, 99)).toBeNull();
  });
});

describe('connectionFigures', () => {
  const pool = { poolSize: 10, maxOverflow: 20, user: 'connector_user', database: 'connector_db' };

  it('counts clients only, by state and application, and the app role against its ceiling', () => {
    const sessions = [
      session(1),
      session(2, { state: 'active' }),
      session(3, { user: 'other', application: 'psql', state: 'idle in transaction' }),
      session(4, { isClient: false, backendType: 'autovacuum worker', state: null }),
      session(5, { user: 'connector_user', application: 'connector-db monitor', state: 'active', self: true }),
      session(6, { visible: false, state: null, user: 'postgres', application: 'psql' }),
    ];
    const c = connectionFigures(sessions, { maxConnections: 20, reservedForSuperusers: 3 }, pool);
    expect(c.total).toBe(5);
    expect(c.byState).toEqual([
      { state: 'active', count: 2 },
      { state: 'idle in transaction', count: 1 },
      { state: 'idle', count: 1 },
      { state: 'hidden', count: 1 },
    ]);
    // The monitor's own connection is not the app's, but it takes a slot.
    expect(c.pool).toMatchObject({ ceiling: 30, open: 2, room: 20 - 3 - 3, fits: false });
    expect(c.byApplication[0]).toMatchObject({ application: 'connector', user: 'connector_user', total: 2, states: { idle: 1, active: 1 } });
  });

  it('fits when the ceiling is within the room', () => {
    const c = connectionFigures([session(1)], { maxConnections: 100, reservedForSuperusers: 3 }, pool);
    expect(c.pool).toMatchObject({ open: 1, room: 97, fits: true });
  });

  it('openTransactions: idle in transaction at any age, others past the threshold, oldest first, never itself', () => {
    const sessions = [
      session(1, { state: 'idle in transaction', xactAgeSeconds: 2 }),
      session(2, { state: 'active', xactAgeSeconds: 30 }),
      session(3, { state: 'active', xactAgeSeconds: 90 }),
      session(4, { state: 'active', xactAgeSeconds: 500, self: true }),
      session(5, { state: 'idle in transaction (aborted)', xactAgeSeconds: 10 }),
    ];
    expect(openTransactions(sessions, 60).map((s) => s.pid)).toEqual([3, 5, 1]);
  });
});

describe('formatting', () => {
  it.each([
    [null, '-'],
    [0.42, '0.4s'],
    [12.7, '12s'],
    [192, '3m12s'],
    [7500, '2h05m'],
    [3 * 86400 + 4 * 3600, '3d04h'],
  ])('formatAge(%s) = %s', (s, text) => expect(formatAge(s)).toBe(text));

  it.each([
    [0, '0 B'],
    [512 * 1024, '512 kB'],
    [7.4 * 1024 * 1024, '7.4 MB'],
    [15 * 1024 ** 3, '15 GB'],
  ])('formatBytes(%s) = %s', (b, text) => expect(formatBytes(b)).toBe(text));

  it('ms, ratios and one-line queries', () => {
    expect(formatMs(0.123)).toBe('0.12 ms');
    expect(formatMs(45)).toBe('45 ms');
    expect(formatMs(54_000)).toBe('54.0 s');
    expect(formatRatio(0.99999)).toBe('99.9%');
    expect(formatRatio(null)).toBe('-');
    expect(oneLine('SELECT *\n  FROM   jobs\tWHERE 1', 15)).toBe('SELECT * FROM…');
    // A statement is anybody's text: terminal codes in it are shown, not obeyed.
    expect(oneLine('select pg_sleep(60) /* \u001b]2;PWN\u0007 \u001b[5mX */')).toBe('select pg_sleep(60) /* \\x1b]2;PWN\\x07 \\x1b[5mX */');
  });
});

describe('monitor table layout', () => {
  it('the last column takes the rest; narrow terminals shrink the widest fixed columns first', () => {
    const cols = [
      { name: 'PID', width: 7 },
      { name: 'USER', width: 12 },
      { name: 'APP', width: 14 },
      { name: 'QUERY', width: 0 },
    ];
    expect(layoutColumns(cols, 80)).toEqual([7, 12, 14, 80 - 33 - 3]);
    const narrow = layoutColumns(cols, 40);
    expect(narrow[3]).toBe(16);
    expect(narrow.reduce((a, b) => a + b, 0) + 3).toBe(40);
    expect(narrow[0]).toBe(7);
  });

  it('windowTop keeps the selection on screen', () => {
    expect(windowTop(0, 3, 5, 20)).toBe(0);
    expect(windowTop(0, 7, 5, 20)).toBe(3);
    expect(windowTop(10, 4, 5, 20)).toBe(4);
    expect(windowTop(10, 2, 5, 4)).toBe(0);
  });
});
