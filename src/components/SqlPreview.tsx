/**
 * One revision's up or down SQL with the file's own line numbers, scrolled
 * in a window; a title says what Enter or y would do with it.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';

export interface SqlPreviewProps {
  title: string;
  /** The instruction line (what runs it, what cancels). */
  prompt: string;
  text: string;
  startLine: number;
  scroll: number;
  height: number;
  width: number;
  danger?: boolean;
}

export function SqlPreview({ title, prompt, text, startLine, scroll, height, width, danger = false }: SqlPreviewProps) {
  const lines = text.split('\n');
  const visible = Math.max(1, height - 3);
  const top = Math.min(Math.max(0, scroll), Math.max(0, lines.length - visible));
  const numberWidth = String(startLine + lines.length).length;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={danger ? theme.error : theme.accent} wrap="truncate-end">
        {title}
      </Text>
      {lines.slice(top, top + visible).map((line, k) => (
        <Text key={top + k} wrap="truncate-end">
          <Text color={theme.muted}>{String(startLine + top + k).padStart(numberWidth)} │ </Text>
          {line}
        </Text>
      ))}
      <Text color={theme.muted}>
        {lines.length > visible ? `lines ${startLine + top}–${startLine + Math.min(lines.length, top + visible) - 1} of ${startLine}–${startLine + lines.length - 1} · ` : ''}
      </Text>
      <Text color={danger ? theme.warn : theme.accent} wrap="truncate-end">
        {prompt}
      </Text>
    </Box>
  );
}
