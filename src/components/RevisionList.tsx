/**
 * The revisions, newest at the top (as `migrate history` prints them; head is
 * the first row), in a window around the selection: › selected, ● current,
 * id, state, applied at, time taken, name. Marks carry meaning without colour.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import type { MigrationStatus, RevisionStatus } from '../core/migrations/status.js';

function stateOf(r: RevisionStatus): { label: string; color: string } {
  if (r.state === 'partial') return { label: 'PARTIAL', color: theme.error };
  if (r.drifted) return { label: 'DRIFTED', color: theme.error };
  return r.applied ? { label: 'applied', color: theme.ok } : { label: 'pending', color: theme.warn };
}

function when(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function took(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function RevisionList({ status, selected, height, width }: { status: MigrationStatus; selected: number; height: number; width: number }) {
  const rows = [...status.revisions].reverse();
  const selectedRow = rows.length - 1 - selected;
  const visible = Math.max(1, height - 1);
  const top = Math.min(Math.max(0, selectedRow - Math.floor(visible / 2)), Math.max(0, rows.length - visible));
  const idWidth = Math.max(3, ...rows.map((r) => r.id.length));
  const fixed = 2 + idWidth + 2 + 9 + 18 + 9;
  const nameWidth = Math.max(10, width - fixed);
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>{cut(`  ${'REV'.padEnd(idWidth)}  STATE    APPLIED AT        TOOK     NAME`, width)}</Text>
      {rows.length === 0 ? <Text color={theme.muted}>  (no migration files in {status.dir})</Text> : null}
      {rows.slice(top, top + visible).map((r, k) => {
        const i = top + k;
        const s = stateOf(r);
        const isSelected = i === selectedRow;
        return (
          <Text key={r.id} inverse={isSelected} wrap="truncate-end">
            {isSelected ? '›' : ' '}
            {r.id === status.current ? '●' : ' '}
            {r.id.padEnd(idWidth)}
            {'  '}
            <Text color={s.color}>{s.label.padEnd(9)}</Text>
            {when(r.appliedAt).padEnd(18)}
            {took(r.durationMs).padEnd(9)}
            {cut(r.name, nameWidth)}
          </Text>
        );
      })}
      {rows.length > visible ? (
        <Text color={theme.muted}>
          {'  '}
          {top + 1}–{Math.min(rows.length, top + visible)} of {rows.length}
        </Text>
      ) : null}
    </Box>
  );
}
