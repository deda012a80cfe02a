/**
 * The rehearsal on the Migrations screen: progress while it runs (Esc
 * stops it after the running step; the copy is dropped either way), then
 * the same report as `connector-db migrate rehearse`, scrollable; Esc closes.
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import { reportLines, type Tone } from '../../core/rehearsal/report-lines.js';
import type { RehearsalState } from './use-rehearsal.js';
import { FailureView } from '../../components/FailureView.js';
import { Busy } from '../../components/Busy.js';
import { wrapText } from '../../components/wrap.js';

const TONE: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  plain: {},
  bold: { bold: true },
  ok: { color: theme.ok },
  warn: { color: theme.warn },
  error: { color: theme.error },
  muted: { color: theme.muted },
};

export function RehearsalView({ state, width, height, onCancel, onClose }: { state: RehearsalState; width: number; height: number; onCancel: () => void; onClose: () => void }) {
  const [scroll, setScroll] = useState(0);
  // Wrapped before scrolling (a warning names its table at the end of a long line): every row is a whole screen row.
  const lines = state.result ? reportLines(state.result).flatMap((line) => wrapText(line.text, width, '  ').map((text) => ({ ...line, text }))) : [];
  const body = Math.max(3, height - 2);
  const maxScroll = Math.max(0, lines.length - body);
  useKeys(
    state.running
      ? [{ command: 'rehearse-stop', keys: ['escape'], hint: 'stop', description: 'stop after the running step (the copy is dropped)' }]
      : [
          { command: 'rehearse-close', keys: ['escape', 'return'], hint: 'close', description: 'close the report' },
          { command: 'rehearse-up', keys: ['up', 'k'], description: 'scroll up' },
          { command: 'rehearse-down', keys: ['down', 'j'], description: 'scroll down' },
        ],
    {
      'rehearse-stop': onCancel,
      'rehearse-close': onClose,
      'rehearse-up': () => setScroll((s) => Math.max(0, s - 1)),
      'rehearse-down': () => setScroll((s) => Math.min(maxScroll, s + 1)),
    },
    { modal: true },
  );
  if (state.running) {
    return (
      <Box flexDirection="column" width={width}>
        <Busy>{state.cancelling ? 'stopping after the running step…' : 'rehearsing the pending migrations on a scratch copy…'}</Busy>
        {state.progress.slice(-(body - 1)).map((line, i) => (
          <Text key={i} color={theme.muted} wrap="truncate-end">
            {'  '}
            {line}
          </Text>
        ))}
      </Box>
    );
  }
  if (state.failure) {
    return <FailureView failure={state.failure} evidence={4} fixes={1} hint="esc closes" width={width} />;
  }
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(scroll, scroll + body).map((line, i) => (
        <Text key={scroll + i} {...TONE[line.tone]} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
      <Text color={theme.muted}>{maxScroll > 0 ? `↑/↓ scroll (${scroll + 1}-${Math.min(lines.length, scroll + body)} of ${lines.length}) · ` : ''}esc closes</Text>
    </Box>
  );
}
