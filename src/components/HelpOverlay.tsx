/** `?`: every key in force on this screen, generated from the keymap. */
import React from 'react';
import { Box, Text } from 'ink';
import { keyLabel, type KeyBinding } from '../app/keymap.js';
import { theme } from '../app/theme.js';

export function HelpOverlay({ bindings, title }: { bindings: KeyBinding[]; title: string }) {
  const seen = new Set<string>();
  const rows = bindings.filter((b) => (seen.has(b.command) ? false : (seen.add(b.command), true)));
  const keyWidth = Math.max(...rows.map((b) => b.keys.map(keyLabel).join(' / ').length), 4);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>Keys · {title}</Text>
      {rows.map((b) => (
        <Text key={b.command}>
          <Text color={theme.accent}>{b.keys.map(keyLabel).join(' / ').padEnd(keyWidth + 2)}</Text>
          {b.description}
        </Text>
      ))}
      <Text color={theme.muted}>any key closes this help</Text>
    </Box>
  );
}
