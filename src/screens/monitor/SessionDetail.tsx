/** Enter on a row: the whole session, its full statement wrapped, and what it waits for. Esc or enter closes. */
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import { formatAge, sessionSummary } from '../../core/monitor/format.js';
import type { Session } from '../../core/monitor/types.js';
import { escapeControls } from '../../core/escape-controls.js';

export function SessionDetail({ session, width, height, onClose }: { session: Session; width: number; height: number; onClose: () => void }) {
  useKeys([{ command: 'detail-close', keys: ['escape', 'return'], hint: 'close', description: 'close the details' }], { 'detail-close': onClose }, { modal: true });
  const lock = session.lockWait;
  const facts = [
    sessionSummary(session),
    `database ${session.database ?? '-'} · client ${session.clientAddr ?? 'local socket'} · ${session.backendType ?? 'backend type hidden'}`,
    `statement started ${formatAge(session.queryAgeSeconds)} ago · wait ${session.waitEvent ?? 'none'}`,
    ...(lock ? [`waits ${formatAge(lock.waitingSeconds)} for ${lock.mode} on ${lock.relation ?? lock.lockType}, behind ${session.blockedBy.join(', ')}`] : []),
  ];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={width} height={height} overflow="hidden">
      {/* The facts keep their rows (flexShrink 0): a long statement below must not squeeze them to nothing and draw over them. */}
      <Box flexDirection="column" flexShrink={0}>
        <Text bold>Backend {session.pid}</Text>
        {facts.map((f) => (
          <Text key={f} wrap="truncate-end">
            {f}
          </Text>
        ))}
        <Text color={theme.muted}>─ statement ─</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="wrap">{session.visible ? escapeControls(session.query || '(none)') : '(hidden from this role: GRANT pg_read_all_stats shows it)'}</Text>
      </Box>
    </Box>
  );
}
