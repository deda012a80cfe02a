/**
 * The doctor's checks as rows: ✓ passed, ✗ failed, ! warning, – skipped.
 * Runs of skipped checks fold into one row (they share one reason), and so
 * do long runs of passed ones when there is a problem to make room for it.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { CheckResult } from '../core/diagnostics/check-types.js';
import { marks, theme } from '../app/theme.js';

export type CheckRow = { kind: 'check'; check: CheckResult } | { kind: 'fold'; status: 'passed' | 'skipped'; checks: CheckResult[] };

export function foldChecks(checks: CheckResult[], foldPassed: boolean): CheckRow[] {
  const rows: CheckRow[] = [];
  for (let i = 0; i < checks.length; ) {
    const c = checks[i] as CheckResult;
    const foldable = c.status === 'skipped' || (foldPassed && c.status === 'passed');
    let j = i;
    while (foldable && j < checks.length && checks[j]?.status === c.status) j++;
    const run = checks.slice(i, j);
    if (foldable && run.length >= (c.status === 'skipped' ? 2 : 3)) {
      rows.push({ kind: 'fold', status: c.status as 'passed' | 'skipped', checks: run });
      i = j;
    } else {
      rows.push({ kind: 'check', check: c });
      i++;
    }
  }
  return rows;
}

const MARK = { passed: marks.ok, failed: marks.fail, warning: marks.warn, skipped: marks.skip } as const;
const COLOUR = { passed: theme.ok, failed: theme.error, warning: theme.warn, skipped: theme.muted } as const;

export function CheckList({ checks, selectedId, width }: { checks: CheckResult[]; selectedId?: string; width: number }) {
  const problems = checks.some((c) => c.status === 'failed' || c.status === 'warning');
  const rows = foldChecks(checks, problems);
  const titleWidth = 24;
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => {
        if (row.kind === 'fold') {
          const first = row.checks[0] as CheckResult;
          const text =
            row.status === 'skipped'
              ? `${row.checks.length} ${first.message}`
              : `${row.checks.length} passed: ${row.checks.map((c) => c.title).join(', ')}`;
          return (
            <Text key={`fold-${i}`} color={row.status === 'skipped' ? theme.muted : undefined} wrap="truncate-end">
              <Text color={COLOUR[row.status]}>{MARK[row.status]}</Text> {text}
            </Text>
          );
        }
        const c = row.check;
        const selected = c.id === selectedId;
        const detail = c.status === 'failed' || c.status === 'warning' ? (c.code ?? c.status) : c.message;
        return (
          <Text key={c.id} wrap="truncate-end" inverse={selected}>
            <Text color={COLOUR[c.status]}>{MARK[c.status]}</Text> {c.title.padEnd(titleWidth).slice(0, Math.max(10, width - 30))}{' '}
            <Text color={c.status === 'failed' ? theme.error : c.status === 'warning' ? theme.warn : theme.muted}>{detail}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
