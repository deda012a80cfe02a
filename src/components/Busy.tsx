/** Something under way: the accent spinner, then what it is. */
import React from 'react';
import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { theme } from '../app/theme.js';

export function Busy({ children }: { children: React.ReactNode }) {
  return (
    <Text>
      <Text color={theme.accent}>
        <Spinner type="dots" />
      </Text>{' '}
      {children}
    </Text>
  );
}
