/** The backups as a table that fits the terminal: newest first, the selected row marked, a window that follows it. */
import React from 'react';
import { Box, Text } from 'ink';
import { marks, theme } from '../../app/theme.js';
import type { BackupEntry, BackupListing } from '../../core/backups/backup-list.js';
import { formatAge, formatBytes, formatUtc } from '../../core/format-units.js';

const CHECK: Record<BackupEntry['status'], { text: string; tone: 'ok' | 'warn' | 'error' | 'muted' }> = {
  ok: { text: `${marks.ok} sha256`, tone: 'ok' },
  unverified: { text: `${marks.ok} size…`, tone: 'muted' },
  no_manifest: { text: '– no manifest', tone: 'muted' },
  manifest_invalid: { text: `${marks.fail} manifest`, tone: 'error' },
  size_mismatch: { text: `${marks.fail} size`, tone: 'error' },
  checksum_mismatch: { text: `${marks.fail} CHECKSUM`, tone: 'error' },
  file_missing: { text: `${marks.fail} missing`, tone: 'error' },
};

export function BackupTable({ listing, selected, width, rows, now }: { listing: BackupListing; selected: number; width: number; rows: number; now: Date }) {
  const backups = listing.backups;
  if (backups.length === 0) {
    return (
      <Box flexDirection="column">
        <Text color={theme.muted}>No backups in {listing.dir} yet.</Text>
        <Text color={theme.muted}>Press b to take one.</Text>
      </Box>
    );
  }
  const fileWidth = Math.max(12, width - 2 - 17 - 9 - 5 - 11 - 1);
  const top = Math.min(Math.max(0, selected - rows + 1), Math.max(0, backups.length - rows));
  const visible = backups.slice(top, top + rows);
  const current = backups[selected];
  return (
    <Box flexDirection="column">
      <Text bold>
        {'  '}
        {'TAKEN (UTC)'.padEnd(17)}
        {'FILE'.padEnd(fileWidth + 1)}
        {'SIZE'.padEnd(9)}
        {'REV'.padEnd(5)}CHECK
      </Text>
      {visible.map((b, i) => {
        const index = top + i;
        const check = CHECK[b.status];
        const chosen = index === selected;
        return (
          <Text key={b.file} wrap="truncate-end" color={chosen ? theme.selected : undefined} bold={chosen}>
            {chosen ? marks.pointer : ' '} {formatUtc(b.takenAt).replace(' UTC', '').padEnd(17)}
            {fit(b.file, fileWidth).padEnd(fileWidth + 1)}
            {(b.status === 'file_missing' ? '-' : formatBytes(b.size)).padEnd(9)}
            {(b.manifest?.migration?.current ?? (b.manifest?.migration ? 'base' : '-')).padEnd(5)}
            <Text color={check.tone === 'muted' ? theme.muted : theme[check.tone]}>{check.text}</Text>
          </Text>
        );
      })}
      {backups.length > rows ? (
        <Text color={theme.muted}>
          {top + 1}-{top + visible.length} of {backups.length}
        </Text>
      ) : null}
      {current ? <Details entry={current} now={now} /> : null}
    </Box>
  );
}

function Details({ entry, now }: { entry: BackupEntry; now: Date }) {
  const m = entry.manifest;
  const bad = CHECK[entry.status].tone === 'error';
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end" color={bad ? theme.error : theme.muted}>
        {bad ? `${marks.fail} ${entry.detail}` : `${formatAge(entry.takenAt, now)} · ${entry.detail}`}
      </Text>
      {m ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {m.database}@{m.host}:{m.port} · PostgreSQL {m.server.version} · pg_dump {m.pgDump.version} · {m.format.schemaOnly ? 'schema only' : `${m.tables} tables`}
        </Text>
      ) : null}
    </Box>
  );
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}
