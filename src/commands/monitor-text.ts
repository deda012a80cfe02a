/** The text face of one monitor snapshot: short sections, widest first, queries cut to the terminal's width. */
import { formatAge, formatBytes, formatMs, formatRatio, lockTreeLine, oneLine } from '../core/monitor/format.js';
import type { MonitorSnapshot } from '../core/monitor/types.js';
import { columns, type Output } from './output.js';

export function printSnapshot(out: Output, snap: MonitorSnapshot, width: number): void {
  const p = out.palette;
  const c = snap.connections;
  const cut = (prefix: number) => Math.max(20, width - prefix);
  out.line(`${p.bold('Monitor')}  ${snap.server.user} on ${snap.server.database} · PostgreSQL ${snap.server.version} · ${snap.takenAt}`);
  out.line();

  const usable = c.maxConnections - c.reservedForSuperusers;
  out.line(`${p.bold('Connections')}  ${c.total} of max_connections ${c.maxConnections} (${c.reservedForSuperusers} reserved for superusers, ${usable} for other roles)`);
  out.line(`  by state     ${c.byState.map((s) => `${s.state} ${s.count}`).join(' · ') || 'none'}${c.waitingOnLocks > 0 ? ` · ${p.yellow(`waiting on a lock ${c.waitingOnLocks}`)}` : ''}`);
  const pool = c.pool;
  const poolLine = `  pool ceiling ${pool.ceiling} (DATABASE__POOL_SIZE ${pool.poolSize} + DATABASE__MAX_OVERFLOW ${pool.maxOverflow}); ${pool.user} on ${pool.database} has ${pool.open} open; room for ${pool.room}`;
  out.line(pool.fits ? poolLine : `${poolLine} ${p.red('— the ceiling does not fit: the app would hit "too many clients"')}`);
  if (c.byApplication.length > 0) {
    const rows = [[p.bold('APPLICATION'), p.bold('USER'), p.bold('DATABASE'), p.bold('TOTAL'), p.bold('STATES')]];
    for (const a of c.byApplication) {
      const states = Object.entries(a.states).map(([s, n]) => `${s} ${n}`).join(', ');
      rows.push([a.application || '(none)', a.user ?? '-', a.database ?? '-', String(a.total), states]);
    }
    for (const line of columns(rows)) out.line(`  ${line}`);
  }
  out.line();

  out.line(p.bold('Who blocks whom'));
  if (snap.lockTree.length === 0) out.line('  no session waits on a lock');
  for (const row of snap.lockTree) out.line(`  ${lockTreeLine(row, cut(2))}`);
  out.line();

  out.line(`${p.bold('Open transactions')}  (idle in transaction, or open longer than ${formatAge(snap.longTransactionSeconds)})`);
  if (snap.transactions.length === 0) out.line('  none');
  else {
    const rows = [[p.bold('PID'), p.bold('USER'), p.bold('APPLICATION'), p.bold('STATE'), p.bold('XACT'), p.bold('STATE FOR'), p.bold('QUERY')]];
    for (const s of snap.transactions) rows.push([String(s.pid), s.user ?? '-', s.application || '-', s.state ?? 'hidden', formatAge(s.xactAgeSeconds), formatAge(s.stateAgeSeconds), oneLine(s.query, 60)]);
    for (const line of columns(rows)) out.line(`  ${line}`);
  }
  out.line();

  const sizes = snap.sizes;
  out.line(`${p.bold('Sizes')}  database ${sizes.database} ${formatBytes(sizes.databaseBytes)}${sizes.estimated ? p.yellow('  (a table is locked: table sizes estimated from the catalog)') : ''}`);
  if (sizes.largestTables.length > 0) {
    const rows = [[p.bold('TABLE'), p.bold('TOTAL'), p.bold('HEAP'), p.bold('INDEXES'), p.bold('ROWS (est.)')]];
    for (const t of sizes.largestTables) rows.push([`${t.schema}.${t.name}`, formatBytes(t.totalBytes), formatBytes(t.tableBytes), formatBytes(t.indexBytes), t.estimatedRows < 0 ? 'never analysed' : String(Math.round(t.estimatedRows))]);
    for (const line of columns(rows)) out.line(`  ${line}`);
  }
  out.line(`${p.bold('Cache hit ratio')}  ${formatRatio(snap.cache.hitRatio)} (${snap.cache.blocksHit} hits, ${snap.cache.blocksRead} reads${snap.cache.statsSince ? ` since ${snap.cache.statsSince}` : ''})`);
  out.line();

  const st = snap.statements;
  out.line(`${p.bold('Slowest statements')}  (pg_stat_statements, by mean time)`);
  if (st.status === 'unavailable') out.line(`  ${p.yellow(st.howTo)}`);
  else if (st.statements.length === 0) out.line('  none recorded yet');
  else {
    const rows = [[p.bold('MEAN'), p.bold('MAX'), p.bold('CALLS'), p.bold('TOTAL'), p.bold('QUERY')]];
    for (const s of st.statements) rows.push([formatMs(s.meanMs), formatMs(s.maxMs), String(s.calls), formatMs(s.totalMs), oneLine(s.query, cut(50))]);
    for (const line of columns(rows)) out.line(`  ${line}`);
  }

  if (snap.visibility.notes.length > 0) {
    out.line();
    for (const note of snap.visibility.notes) out.line(`${p.yellow('note')}  ${note}`);
  }
}
