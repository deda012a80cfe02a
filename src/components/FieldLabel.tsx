/** The bold left-hand label of Home's fact lines, one width for all so the values line up. */
import React from 'react';
import { Text } from 'ink';

export const LABEL_WIDTH = 9;

export function FieldLabel({ text }: { text: string }) {
  return <Text bold>{text.padEnd(LABEL_WIDTH)}</Text>;
}
