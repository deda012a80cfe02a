/** A progress bar with percentage, bytes and elapsed time; a spinner instead of a bar when the share is unknown. */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import { formatBytes, formatDuration } from '../core/format-units.js';
import { Busy } from './Busy.js';

export interface ProgressBarProps {
  fraction?: number;
  bytes: number;
  elapsedMs: number;
  /** What is happening now (the table being dumped). */
  activity?: string;
  width: number;
}

export function ProgressBar({ fraction, bytes, elapsedMs, activity, width }: ProgressBarProps) {
  const barWidth = Math.max(10, Math.min(50, width - 30));
  const figures = `${formatBytes(bytes)} · ${formatDuration(elapsedMs)}`;
  return (
    <Box flexDirection="column">
      {fraction === undefined ? (
        <Busy>{figures}</Busy>
      ) : (
        <Text>
          <Text color={theme.accent}>{'█'.repeat(Math.round(Math.min(1, fraction) * barWidth))}</Text>
          <Text color={theme.muted}>{'░'.repeat(barWidth - Math.round(Math.min(1, fraction) * barWidth))}</Text>
          <Text bold> {String(Math.floor(fraction * 100)).padStart(3)}%</Text>
          <Text color={theme.muted}> {figures}</Text>
        </Text>
      )}
      {activity ? (
        <Text color={theme.muted} wrap="truncate-end">
          {activity}
        </Text>
      ) : null}
    </Box>
  );
}
