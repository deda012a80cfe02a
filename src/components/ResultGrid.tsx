/**
 * A windowed grid: it draws only the rows and columns on screen, each row as
 * one <Text> (with a dim nested <Text> for each NULL cell). ink-table could
 * not be used (CommonJS requiring ESM ink 6) and its ESM fork renders every
 * row as boxes (~2 s for 2,000 rows); this stays at a few milliseconds per
 * scroll step whatever the row count (see README, "Why our own grid").
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import { columnWidths, NULL_MARK, renderRow, rowSegments, visibleColumns, type Cell, type GridColumn } from './grid-layout.js';

export interface ResultGridProps {
  columns: GridColumn[];
  /** Row `i`, or undefined while it is still being fetched. */
  getRow: (index: number) => Cell[] | undefined;
  /** Rows known so far (may grow as a cursor fetches more). */
  rowCount: number;
  /** First row on screen. */
  top: number;
  /** First column on screen (horizontal scroll). */
  left: number;
  /** Highlighted row, absolute index. */
  selected?: number;
  height: number;
  width: number;
  maxColumnWidth?: number;
}

export function ResultGrid({ columns, getRow, rowCount, top, left, selected, height, width, maxColumnWidth = 40 }: ResultGridProps) {
  const bodyHeight = Math.max(1, height - 2);
  const indices: number[] = [];
  for (let i = top; i < Math.min(rowCount, top + bodyHeight); i++) indices.push(i);
  const rows = indices.map((i) => getRow(i));
  const loaded = rows.filter((r): r is Cell[] => r !== undefined);
  const widths = columnWidths(columns, loaded, maxColumnWidth);
  const cols = visibleColumns(widths, Math.min(left, Math.max(0, columns.length - 1)), width);
  const header = renderRow(cols.map((c) => columns[c.index]?.name ?? ''), cols);
  const rule = cols.map((c) => '─'.repeat(c.width)).join('┼');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {header}
      </Text>
      <Text color={theme.muted} wrap="truncate-end">
        {rule}
      </Text>
      {indices.map((i, k) => {
        const row = rows[k];
        if (!row) {
          return (
            <Text key={i} color={theme.muted}>
              …
            </Text>
          );
        }
        return (
          <Text key={i} inverse={i === selected} wrap="truncate-end">
            {rowSegments(row, cols).map((seg, n) =>
              seg.isNull ? (
                <Text key={n} dimColor italic>
                  {seg.text}
                </Text>
              ) : (
                seg.text
              ),
            )}
          </Text>
        );
      })}
    </Box>
  );
}

export { NULL_MARK };
