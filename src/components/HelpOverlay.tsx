/**
 * `?`: every key in force on this screen, generated from the keymap, drawn
 * within the rows it is given (help-layout.ts decides one column, two, or
 * scrolling), so it never runs over the status bar.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import { maxHelpTop, type HelpLayout, type HelpLine } from './help-layout.js';

function Column({ lines, keyWidth, width }: { lines: HelpLine[]; keyWidth: number; width?: number }) {
  return (
    <Box flexDirection="column" {...(width ? { width } : { flexGrow: 1 })}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          <Text color={theme.accent}>{l.keys.padEnd(keyWidth)}</Text>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

function footer(layout: HelpLayout, top: number): string {
  if (!layout.scrollable) return 'any key closes this help';
  const end = maxHelpTop(layout);
  const where = top >= end ? 'end of the list' : top === 0 ? 'more below ↓' : 'more above ↑ and below ↓';
  return `${where} · ↑↓ PgUp PgDn scroll · any other key closes`;
}

export function HelpOverlay({ title, layout, top, width }: { title: string; layout: HelpLayout; top: number; width: number }) {
  const [first, second] = layout.columns;
  const shown = layout.scrollable ? (first ?? []).slice(top, top + layout.bodyHeight) : (first ?? []);
  const rows = Math.max(shown.length, second?.length ?? 0);
  const columnWidth = second ? Math.floor((width - 4 - 3) / 2) : undefined;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={width} height={rows + 4} flexShrink={0}>
      <Text bold wrap="truncate-end">
        Keys · {title}
      </Text>
      <Box flexDirection="row" height={rows}>
        <Column lines={shown} keyWidth={layout.keyWidth} {...(columnWidth ? { width: columnWidth } : {})} />
        {second ? (
          <Box marginLeft={3}>
            <Column lines={second} keyWidth={layout.keyWidth} width={columnWidth as number} />
          </Box>
        ) : null}
      </Box>
      <Text color={theme.muted} wrap="truncate-end">
        {footer(layout, top)}
      </Text>
    </Box>
  );
}
