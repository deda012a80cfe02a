/**
 * Backups: the backups folder newest first, each checked against its
 * manifest (size at once, sha256 moments later); b takes a backup with a
 * progress bar, r restores the selected one after its plan and the typed
 * database name; R resets the database (down + up, or recreate). The same
 * core calls as `backup`, `backup list`, `restore`, `reset`.
 */
import React, { useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import Spinner from 'ink-spinner';
import { useServices } from '../app/services.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import { useBackupListing } from '../hooks/use-backup-listing.js';
import { formatBytes, formatDuration } from '../core/format-units.js';
import { BackupTable } from './backups/BackupTable.js';
import { BackupRunner, type BackupOutcome } from './backups/BackupRunner.js';
import { RestoreFlow } from './backups/RestoreFlow.js';
import { ResetFlow } from './backups/ResetFlow.js';

type Mode = { kind: 'list' } | { kind: 'backup' } | { kind: 'restore'; file: string } | { kind: 'reset' };
type Message = { tone: 'ok' | 'error' | 'warn'; lines: string[] };

export function BackupsScreen() {
  const { backups } = useServices();
  const { stdout } = useStdout();
  const width = Math.max(40, (stdout.columns || 80) - 1);
  const rows = Math.max(3, (stdout.rows || 24) - 14);
  const { state, reload } = useBackupListing(backups);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState<Message | null>(null);
  const list = state.status === 'ready' ? state.listing.backups : [];

  const idle = mode.kind === 'list';
  const whenIdle = (f: () => void) => () => {
    if (idle) f();
  };
  useKeys(
    [
      { command: 'backups-up', keys: ['up', 'k'], description: 'select the newer backup' },
      { command: 'backups-down', keys: ['down', 'j'], description: 'select the older backup' },
      { command: 'backups-new', keys: ['b'], hint: 'back up', description: 'take a backup (choose compressed, plain, custom or schema only)' },
      { command: 'backups-restore', keys: ['r'], hint: 'restore', description: 'restore the selected backup (shows the plan, asks for the database name)' },
      { command: 'backups-refresh', keys: ['v'], hint: 'verify', description: 'list again and re-check every checksum' },
      { command: 'backups-reset', keys: ['R'], hint: 'reset db', description: 'reset the database: downgrade base + upgrade head, or drop and recreate (asks for the name)' },
    ],
    {
      'backups-up': whenIdle(() => setSelected((i) => Math.max(0, i - 1))),
      'backups-down': whenIdle(() => setSelected((i) => Math.min(Math.max(0, list.length - 1), i + 1))),
      'backups-new': whenIdle(() => {
        setMessage(null);
        setMode({ kind: 'backup' });
      }),
      'backups-restore': whenIdle(() => {
        const entry = list[selected];
        if (!entry) return setMessage({ tone: 'warn', lines: ['No backup selected.'] });
        if (entry.status === 'file_missing') return setMessage({ tone: 'error', lines: [`${entry.file} is gone; only its manifest is left.`] });
        setMessage(null);
        setMode({ kind: 'restore', file: entry.path });
      }),
      'backups-refresh': whenIdle(() => {
        setMessage(null);
        reload();
      }),
      'backups-reset': whenIdle(() => {
        setMessage(null);
        setMode({ kind: 'reset' });
      }),
    },
    // Off while a backup, restore or reset has the screen: its keys are not offered in the hint line then.
    { active: idle },
  );

  const finishBackup = (outcome: BackupOutcome) => {
    setMode({ kind: 'list' });
    if (outcome.ok) {
      const m = outcome.result.manifest;
      setMessage({ tone: 'ok', lines: [`${marks.ok} ${outcome.result.file} written: ${formatBytes(m.size)} in ${formatDuration(outcome.result.elapsedMs)}`, `sha256 ${m.sha256}`] });
      setSelected(0);
      reload();
    } else if ('cancelled' in outcome) {
      setMessage({ tone: 'warn', lines: ['Cancelled: no backup was written.'] });
    } else {
      const f = outcome.failure;
      setMessage({ tone: 'error', lines: [`${marks.fail} ${f.code}: ${f.message}`, ...f.evidence.slice(0, 3), ...f.fixes.slice(0, 2).map((x) => `fix: ${x}`)] });
    }
  };

  if (mode.kind === 'backup') return <BackupRunner service={backups} width={width} onFinished={finishBackup} />;
  if (mode.kind === 'reset') {
    return (
      <ResetFlow
        service={backups}
        width={width}
        onClose={(changed) => {
          setMode({ kind: 'list' });
          if (changed) reload();
        }}
      />
    );
  }
  if (mode.kind === 'restore') {
    return (
      <RestoreFlow
        service={backups}
        file={mode.file}
        width={width}
        onClose={(changed) => {
          setMode({ kind: 'list' });
          if (changed) reload();
        }}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Folder </Text> {backups.dir}
        {state.status === 'ready' && !state.verified ? (
          <Text color={theme.muted}>
            {'  '}
            <Spinner type="dots" /> checking sha256…
          </Text>
        ) : null}
      </Text>
      {message ? (
        <Box flexDirection="column">
          {message.lines.map((l, i) => (
            <Text key={`${i}-${l}`} color={i === 0 ? theme[message.tone] : theme.muted} wrap="truncate-end">
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {state.status === 'loading' ? (
          <Text color={theme.muted}>reading {backups.dir}…</Text>
        ) : state.status === 'failed' ? (
          <Text color={theme.error} wrap="wrap">
            {marks.fail} {state.failure.code}: {state.failure.message}
          </Text>
        ) : (
          <>
            <BackupTable listing={state.listing} selected={Math.min(selected, Math.max(0, list.length - 1))} width={width} rows={rows} now={new Date()} />
            {state.listing.leftovers.map((l) => (
              <Text key={l.file} color={theme.warn} wrap="truncate-end">
                {marks.warn} {l.file}: {l.stale ? 'left by an interrupted backup; the next backup removes it' : `being written by pid ${l.pid}`}
              </Text>
            ))}
          </>
        )}
      </Box>
    </Box>
  );
}
