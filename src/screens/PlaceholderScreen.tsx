/** A screen that is not built yet says so plainly, with the command to use meanwhile. */
import React from 'react';
import { Box, Text } from 'ink';
import { theme } from '../app/theme.js';

export function PlaceholderScreen({ title, command }: { title: string; command: string }) {
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text color={theme.warn}>This screen is not built yet.</Text>
      <Text color={theme.muted}>Meanwhile, from a shell: {command}</Text>
    </Box>
  );
}
