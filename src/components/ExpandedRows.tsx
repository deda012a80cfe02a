/** Expanded display (\x): one field per line, records separated as psql does; NULL values dim. */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import { expandedLines, type Cell } from './grid-layout.js';

export interface ExpandedRowsProps {
  names: string[];
  getRow: (index: number) => Cell[] | undefined;
  rowCount: number;
  /** First record on screen. */
  top: number;
  selected?: number;
  height: number;
  width: number;
}

export function ExpandedRows({ names, getRow, rowCount, top, selected, height, width }: ExpandedRowsProps) {
  const lines = expandedLines(names, getRow, top, rowCount, height, width);
  let record = top - 1;
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, k) => {
        if (line.kind === 'record') {
          record++;
          return (
            <Text key={k} bold color={record === selected ? theme.selected : theme.muted} wrap="truncate-end">
              {line.text}
            </Text>
          );
        }
        return (
          <Text key={k} wrap="truncate-end">
            {line.name} │{' '}
            {line.isNull ? (
              <Text dimColor italic>
                {line.value}
              </Text>
            ) : (
              line.value
            )}
          </Text>
        );
      })}
    </Box>
  );
}
