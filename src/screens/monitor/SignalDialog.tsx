/**
 * The confirmation before a cancel or terminate: which backend, who it is,
 * what it runs, what the action does to it. y acts; n or Esc keeps it.
 * Modal: no key reaches the screen below while it is open.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import { oneLine, sessionSummary } from '../../core/monitor/format.js';
import type { SignalAction } from '../../core/monitor/signal.js';
import type { Session } from '../../core/monitor/types.js';

const CONSEQUENCE: Record<SignalAction, string> = {
  cancel: 'Its running statement stops with an error; the session and its transaction stay (the transaction is aborted if one is open).',
  terminate: 'The backend exits: its open transaction is rolled back and its client is disconnected.',
};

export function SignalDialog({ action, session, width, onConfirm, onClose }: { action: SignalAction; session: Session; width: number; onConfirm: () => void; onClose: () => void }) {
  useKeys(
    [
      { command: 'signal-yes', keys: ['y'], hint: action, description: `${action} backend ${session.pid}` },
      { command: 'signal-no', keys: ['n', 'escape'], hint: 'keep it', description: 'close without doing anything' },
    ],
    { 'signal-yes': onConfirm, 'signal-no': onClose },
    { modal: true },
  );
  const verb = action === 'cancel' ? `Cancel the query of backend ${session.pid}?` : `Terminate backend ${session.pid}?`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={action === 'terminate' ? theme.error : theme.warn} paddingX={1} width={width}>
      <Text bold>{verb}</Text>
      <Text wrap="truncate-end">{sessionSummary(session)}</Text>
      <Text color={theme.muted} wrap="truncate-end">
        {session.visible ? oneLine(session.query) || '(no statement)' : '(query hidden from this role)'}
      </Text>
      <Text wrap="wrap">{CONSEQUENCE[action]}</Text>
      <Text>
        <Text color={theme.accent}>y</Text> {action} · <Text color={theme.accent}>n</Text>/<Text color={theme.accent}>esc</Text> keep it
      </Text>
    </Box>
  );
}
