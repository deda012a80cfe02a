/**
 * A failure shown in place: "✗ code: sentence", the first lines of its
 * evidence and fixes (as many as the screen has room for), then what the
 * keys do now.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { marks, theme } from '../app/theme.js';
import type { ServiceFailure } from '../app/services.js';

export interface FailureViewProps {
  failure: Pick<ServiceFailure, 'code' | 'message' | 'evidence' | 'fixes'>;
  /** How many lines of evidence, and of fixes, to show. */
  evidence: number;
  fixes: number;
  hint?: string;
  width?: number;
}

export function FailureView({ failure, evidence, fixes, hint, width }: FailureViewProps) {
  return (
    <Box flexDirection="column" {...(width === undefined ? {} : { width })}>
      <Text color={theme.error} wrap="wrap">
        {marks.fail} {failure.code}: {failure.message}
      </Text>
      {failure.evidence.slice(0, evidence).map((e, i) => (
        <Text key={i} color={theme.muted} wrap="truncate-end">
          {'  '}
          {e}
        </Text>
      ))}
      {/* A fix is a command to copy: wrapped, never cut. */}
      {failure.fixes.slice(0, fixes).map((f, i) => (
        <Text key={i} wrap="wrap">
          {'  '}fix: {f}
        </Text>
      ))}
      {hint ? <Text color={theme.muted}>{hint}</Text> : null}
    </Box>
  );
}
