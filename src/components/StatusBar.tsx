/** The last line of every screen: where we are, what we are connected to, the keys that matter now. */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';
import { keyLabel, type KeyBinding } from '../app/keymap.js';

export function KeyHints({ bindings, width }: { bindings: KeyBinding[]; width: number }) {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const b of bindings) {
    if (!b.hint || seen.has(b.command)) continue;
    seen.add(b.command);
    parts.push(`${b.keys.map(keyLabel).join('/')} ${b.hint}`);
  }
  let line = '';
  for (const part of parts) {
    const next = line ? `${line}  ${part}` : part;
    if (next.length > width) break;
    line = next;
  }
  return <Text color={theme.muted}>{line}</Text>;
}

export function StatusBar({ title, target, bindings, width }: { title: string; target: string; bindings: KeyBinding[]; width: number }) {
  const left = ` ${title} · ${target} `;
  return (
    <Box flexDirection="column" width={width}>
      <Text inverse wrap="truncate-end">
        {left.padEnd(width, ' ')}
      </Text>
      <KeyHints bindings={bindings} width={width} />
    </Box>
  );
}
