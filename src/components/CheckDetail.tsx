/**
 * One failed (or warning) check in full: the sentence, the evidence, the
 * fixes to copy, and what the tool can do now. Pre-wrapped so it scrolls by
 * row in the space left on an 80x24 screen.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { CheckResult } from '../core/diagnostics/check-types.js';
import { theme } from '../app/theme.js';
import { wrapText } from './wrap.js';

export interface DetailRow {
  text: string;
  colour?: string;
  bold?: boolean;
}

export function detailRows(check: CheckResult, width: number, actionHints: string[]): DetailRow[] {
  const rows: DetailRow[] = [];
  const w = Math.max(20, width - 2);
  rows.push({ text: `${check.title} · ${check.code ?? check.status}`, colour: check.status === 'warning' ? theme.warn : theme.error, bold: true });
  for (const r of wrapText(check.message, w)) rows.push({ text: r });
  if (check.evidence.length) rows.push({ text: 'evidence', colour: theme.muted, bold: true });
  for (const e of check.evidence) for (const r of wrapText(e, w - 2, '    ')) rows.push({ text: '  ' + r, colour: theme.muted });
  if (check.fixes.length) rows.push({ text: 'fix (copy and run)', colour: theme.accent, bold: true });
  for (const f of check.fixes) for (const r of wrapText(f, w - 2, '    ')) rows.push({ text: '  ' + r });
  if (actionHints.length) rows.push({ text: `do it now: ${actionHints.join(' · ')}`, colour: theme.accent });
  return rows;
}

export function CheckDetail({ rows, offset, height }: { rows: DetailRow[]; offset: number; height: number }) {
  const visible = rows.slice(offset, offset + height);
  const more = rows.length - offset - visible.length;
  return (
    <Box flexDirection="column">
      {visible.map((r, i) => (
        <Text key={offset + i} color={r.colour} bold={r.bold ?? false} wrap="truncate-end">
          {r.text}
        </Text>
      ))}
      {offset > 0 || more > 0 ? (
        <Text color={theme.muted}>
          {offset > 0 ? '↑ ' : ''}
          {more > 0 ? `↓ ${more} more rows (pgdn)` : 'pgup for the start'}
        </Text>
      ) : null}
    </Box>
  );
}
