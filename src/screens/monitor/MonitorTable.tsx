/** One monitor tab as a table: header, the rows that fit, the selected one highlighted, tones for trouble. */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../../app/theme.js';
import { layoutColumns, tableLine } from './layout.js';
import type { TabView } from './tabs.js';

const TONE_COLOUR = { warn: theme.warn, error: theme.error, muted: theme.muted } as const;

export function MonitorTable({ tab, selected, top, height, width }: { tab: TabView; selected: number; top: number; height: number; width: number }) {
  const widths = layoutColumns(tab.columns, width);
  const bodyHeight = Math.max(1, height - 1);
  const visible = tab.rows.slice(top, top + bodyHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{tableLine(tab.columns.map((c) => c.name), widths)}</Text>
      {tab.rows.length === 0 ? (
        <Text color={theme.muted} wrap="wrap">
          {tab.empty}
        </Text>
      ) : (
        visible.map((row, k) => {
          const index = top + k;
          return (
            <Text key={row.key} inverse={index === selected} color={row.tone ? TONE_COLOUR[row.tone] : undefined}>
              {tableLine(row.cells, widths)}
            </Text>
          );
        })
      )}
    </Box>
  );
}
