/**
 * Taking a backup on the screen: choose the kind, then a progress bar
 * (percentage from the catalog, bytes, elapsed, the table being dumped)
 * until it is written; c, Esc or Ctrl-C cancel it cleanly.
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import type { BackupsFailure, BackupsService } from '../../app/services-backups-types.js';
import type { BackupFormat } from '../../core/backups/backup-name.js';
import type { BackupProgress, BackupResult } from '../../core/backups/backup.js';
import { Menu } from '../../components/Menu.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { useCancellableRun } from '../../hooks/use-cancellable-run.js';

export type BackupOutcome = { ok: true; result: BackupResult } | { ok: false; failure: BackupsFailure } | { ok: false; cancelled: true };

const FORMATS: { id: string; label: string; detail: string; format: BackupFormat }[] = [
  { id: 'gzip', label: 'compressed SQL', detail: '.sql.gz  pg_dump | gzip; restore with psql', format: { kind: 'gzip', schemaOnly: false } },
  { id: 'plain', label: 'plain SQL', detail: '.sql     readable, largest', format: { kind: 'plain', schemaOnly: false } },
  { id: 'custom', label: 'custom format', detail: '.dump    compressed; restore with pg_restore', format: { kind: 'custom', schemaOnly: false } },
  { id: 'schema', label: 'schema only', detail: '_schema.sql  no table data', format: { kind: 'plain', schemaOnly: true } },
];

export function BackupRunner({ service, width, onFinished }: { service: BackupsService; width: number; onFinished: (outcome: BackupOutcome) => void }) {
  const [format, setFormat] = useState<BackupFormat | null>(null);
  return format ? (
    <Running service={service} format={format} width={width} onFinished={onFinished} />
  ) : (
    <Choose
      onCancel={() => onFinished({ ok: false, cancelled: true })}
      onChoose={(id) => setFormat((FORMATS.find((f) => f.id === id) ?? (FORMATS[0] as (typeof FORMATS)[number])).format)}
      database={service.database}
      dir={service.dir}
    />
  );
}

function Choose({ onChoose, onCancel, database, dir }: { onChoose: (id: string) => void; onCancel: () => void; database: string; dir: string }) {
  useKeys([{ command: 'backup-cancel', keys: ['escape'], hint: 'cancel', description: 'back to the list without a backup' }], { 'backup-cancel': onCancel });
  return (
    <Box flexDirection="column">
      <Text bold>
        Back up {database} into {dir}
      </Text>
      <Box marginTop={1}>
        <Menu items={FORMATS.map(({ id, label, detail }) => ({ id, label, detail }))} onSelect={onChoose} open={{ hint: 'back up', description: 'take a backup in the chosen format' }} />
      </Box>
    </Box>
  );
}

function Running({ service, format, width, onFinished }: { service: BackupsService; format: BackupFormat; width: number; onFinished: (outcome: BackupOutcome) => void }) {
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const signal = useCancellableRun(
    (signal, isLive) => service.backup(format, (p) => isLive() && setProgress(p), signal),
    (r) => {
      if (r.ok) onFinished({ ok: true, result: r.result });
      else if (r.code === 'cancelled') onFinished({ ok: false, cancelled: true });
      else onFinished({ ok: false, failure: r });
    },
    [service, format],
    // Leaving the screen mid-run cancels it too: pg_dump stops, the temporary file goes.
    { name: 'backup', stopKeys: ['c', 'escape', 'ctrl+c'], stop: 'cancel the backup (nothing is kept)', busy: 'other keys wait until the backup ends' },
  );
  const kind = format.schemaOnly ? 'schema only' : format.kind === 'gzip' ? 'compressed SQL' : format.kind === 'custom' ? 'custom format' : 'plain SQL';
  return (
    <Box flexDirection="column">
      <Text bold>
        Backing up {service.database} ({kind})
      </Text>
      <Box marginTop={1}>
        {progress ? (
          <ProgressBar fraction={progress.fraction} bytes={progress.bytes} elapsedMs={progress.elapsedMs} activity={`${progress.tablesDone}/${progress.tableCount} tables · ${progress.activity}`} width={width} />
        ) : (
          <Text color={theme.muted}>checking the server and pg_dump…</Text>
        )}
      </Box>
      {signal.aborted ? <Text color={theme.warn}>cancelling…</Text> : null}
    </Box>
  );
}
