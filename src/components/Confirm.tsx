/** A yes/no question as a modal key layer: y answers yes, n or esc answers no. */
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../app/keys-context.js';
import { theme } from '../app/theme.js';

export function Confirm({ question, lines = [], onAnswer }: { question: string; lines?: string[]; onAnswer: (yes: boolean) => void }) {
  useKeys(
    [
      { command: 'confirm-yes', keys: ['y'], hint: 'yes', description: 'yes, do it' },
      { command: 'confirm-no', keys: ['n', 'escape'], hint: 'no', description: 'no' },
    ],
    { 'confirm-yes': () => onAnswer(true), 'confirm-no': () => onAnswer(false) },
    { modal: true },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1}>
      {lines.map((l, i) => (
        <Text key={i} wrap="wrap" color={l.startsWith('+') ? theme.ok : l.startsWith('-') ? theme.error : undefined}>
          {l}
        </Text>
      ))}
      <Text bold wrap="wrap">
        {question} <Text color={theme.muted}>(y/n)</Text>
      </Text>
    </Box>
  );
}
