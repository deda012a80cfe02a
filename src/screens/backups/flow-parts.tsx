/** Pieces the restore and reset flows share: an option toggle, the typed confirmation, a failure with its evidence and fixes. */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { useKeys } from '../../app/keys-context.js';
import { marks, theme } from '../../app/theme.js';
import type { BackupsFailure } from '../../app/services-backups-types.js';

export function Toggle({ label, on }: { label: string; on: boolean }) {
  return (
    <Text>
      <Text color={on ? theme.ok : theme.muted}>{on ? '[x]' : '[ ]'}</Text> {label}
    </Text>
  );
}

/** The database name typed before something destructive; a wrong name is refused in place. */
export function TypedConfirm({ expected, warning, what, onCancel, onConfirmed }: { expected: string; warning: string; what: string; onCancel: () => void; onConfirmed: () => void }) {
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  useKeys([{ command: 'confirm-cancel', keys: ['escape'], hint: 'cancel', description: 'back to the plan' }], { 'confirm-cancel': onCancel }, { modal: true, captureText: true });
  return (
    <Box flexDirection="column">
      <Text bold color={theme.warn}>
        {warning}
      </Text>
      <Text>
        Type <Text bold>{expected}</Text> and press Enter:{' '}
        <TextInput
          value={typed}
          onChange={(v) => {
            setTyped(v);
            setWrong(false);
          }}
          onSubmit={(v) => (v.trim() === expected ? onConfirmed() : setWrong(true))}
        />
      </Text>
      {wrong ? <Text color={theme.error}>That is not the database name; nothing was {what}.</Text> : null}
    </Box>
  );
}

export function Failure({ failure, hint }: { failure: BackupsFailure; hint: string }) {
  return (
    <Box flexDirection="column">
      <Text color={theme.error} wrap="wrap">
        {marks.fail} {failure.code}: {failure.message}
      </Text>
      {failure.evidence.slice(0, 4).map((e) => (
        <Text key={e} color={theme.muted} wrap="truncate-end">
          {'  '}
          {e}
        </Text>
      ))}
      {failure.fixes.slice(0, 3).map((f) => (
        <Text key={f} wrap="truncate-end">
          {'  '}fix: {f}
        </Text>
      ))}
      <Text color={theme.muted}>{hint}</Text>
    </Box>
  );
}
