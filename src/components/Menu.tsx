/** A vertical menu driven by the keymap (↑/↓ or k/j to move, enter to choose). */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';

export interface MenuItem {
  id: string;
  label: string;
  detail?: string;
}

/** `open`: what Enter does, for the hint line and the help ("open" a screen, "back up" in the format chooser). */
export function Menu({ items, onSelect, active = true, open = { hint: 'open', description: 'open the chosen screen' } }: { items: MenuItem[]; onSelect: (id: string) => void; active?: boolean; open?: { hint: string; description: string } }) {
  const [index, setIndex] = useState(0);
  useKeys(
    [
      { command: 'menu-up', keys: ['up', 'k'], description: 'move up' },
      { command: 'menu-down', keys: ['down', 'j'], description: 'move down' },
      { command: 'menu-open', keys: ['return'], hint: open.hint, description: open.description },
    ],
    {
      'menu-up': () => setIndex((i) => (i + items.length - 1) % items.length),
      'menu-down': () => setIndex((i) => (i + 1) % items.length),
      'menu-open': () => {
        const item = items[index];
        if (item) onSelect(item.id);
      },
    },
    { active },
  );
  const labelWidth = Math.max(...items.map((i) => i.label.length));
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Text key={item.id} color={i === index ? theme.selected : undefined} bold={i === index}>
          {i === index ? marks.pointer : ' '} {item.label.padEnd(labelWidth)}
          {item.detail ? <Text color={theme.muted}>  {item.detail}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
