/** The Monitor's top lines: freshness, connections against both limits, states, size and cache, and the tab bar. */
import React from 'react';
import { Box, Text } from 'ink';
import { marks, theme } from '../../app/theme.js';
import type { ServiceFailure } from '../../app/services.js';
import { formatBytes, formatRatio } from '../../core/monitor/format.js';
import type { MonitorSnapshot } from '../../core/monitor/types.js';
import type { TabId, TabView } from './tabs.js';

function clock(d: Date | undefined): string {
  return d ? d.toTimeString().slice(0, 8) : '--:--:--';
}

export function FreshnessLine({ paused, failure, refreshedAt, intervalMs, snapshot }: { paused: boolean; failure?: ServiceFailure; refreshedAt?: Date; intervalMs: number; snapshot?: MonitorSnapshot }) {
  const server = snapshot ? `PostgreSQL ${snapshot.server.version} · as ${snapshot.server.user}` : '';
  if (failure) {
    return (
      <Text wrap="truncate-end">
        <Text color={theme.error}>
          {marks.fail} {failure.code}
        </Text>
        : {failure.message}
        <Text color={theme.muted}> {refreshedAt ? `(showing ${clock(refreshedAt)}) ` : ''}retrying every {intervalMs / 1000}s</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      {paused ? <Text color={theme.warn}>‖ paused at {clock(refreshedAt)} (space resumes)</Text> : <Text color={theme.ok}>● live</Text>}
      {paused ? null : <Text color={theme.muted}> · refreshed {clock(refreshedAt)} · every {intervalMs / 1000}s</Text>}
      <Text color={theme.muted}> · {server}</Text>
    </Text>
  );
}

export function ConnectionLines({ snapshot }: { snapshot: MonitorSnapshot }) {
  const c = snapshot.connections;
  const pool = c.pool;
  const usable = c.maxConnections - c.reservedForSuperusers;
  const states = c.byState.map((s) => `${s.state.replace('idle in transaction', 'idle in tx')} ${s.count}`).join(' · ');
  const st = snapshot.statements;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Conn</Text> {c.total}/{c.maxConnections} ({usable} for roles) <Text bold>Pool</Text> {pool.ceiling}={pool.poolSize}+{pool.maxOverflow}, {pool.user} has {pool.open}, room {pool.room}{' '}
        {pool.fits ? <Text color={theme.ok}>{marks.ok} fits</Text> : <Text color={theme.error}>{marks.warn} ceiling above room</Text>}
      </Text>
      <Text wrap="truncate-end">
        {states || 'no client connections'}
        {c.waitingOnLocks > 0 ? <Text color={theme.warn}> · {c.waitingOnLocks} waiting on locks</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>DB</Text> {snapshot.sizes.database} {formatBytes(snapshot.sizes.databaseBytes)} · <Text bold>cache hit</Text> {formatRatio(snapshot.cache.hitRatio)} ·{' '}
        <Text bold>pg_stat_statements</Text> {st.status === 'available' ? <Text color={theme.ok}>on</Text> : <Text color={theme.muted}>off (tab 6 says how)</Text>}
      </Text>
    </Box>
  );
}

export function TabBar({ tabs, current }: { tabs: TabView[]; current: TabId }) {
  return (
    <Text wrap="truncate-end">
      {tabs.map((t, i) => {
        const label = `${i + 1} ${t.title}${t.count !== undefined ? ` ${t.count}` : ''}`;
        const colour = t.id === current ? theme.selected : t.alert ? theme.warn : theme.muted;
        return (
          <Text key={t.id} color={colour} bold={t.id === current} inverse={t.id === current}>
            {` ${label} `}
          </Text>
        );
      })}
    </Text>
  );
}
