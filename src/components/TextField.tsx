/**
 * One line of a form, drawn: label, value, cursor. A secret field never
 * shows what was typed, not even its length: only that something was. A
 * field with a `mask` shows its text through it (a URL's password hidden).
 * Typing is routed by the Form (one input handler for all its fields).
 */
import React from 'react';
import { Text } from 'ink';
import { theme } from '../app/theme.js';

export interface TextFieldProps {
  label: string;
  value: string;
  focus: boolean;
  secret?: boolean;
  placeholder?: string;
  labelWidth?: number;
  /** How a non-secret value is drawn (e.g. a URL with its password masked as it is typed). */
  mask?: (value: string) => string;
}

export function TextField({ label, value, focus, secret = false, placeholder, labelWidth = label.length, mask }: TextFieldProps) {
  const shown = secret ? (value === '' ? '' : '[hidden]') : mask ? mask(value) : value;
  return (
    <Text wrap="truncate-start">
      <Text color={focus ? theme.accent : undefined} bold={focus}>
        {focus ? '› ' : '  '}
        {label.padEnd(labelWidth)}{' '}
      </Text>
      {shown === '' && placeholder ? <Text color={theme.muted}>{placeholder}</Text> : <Text>{shown}</Text>}
      {focus ? <Text inverse> </Text> : null}
    </Text>
  );
}

/** What a key does to a field's text: append what was typed (a paste too), or remove the last character. */
export function editText(value: string, input: string, key: { backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean; return: boolean; tab: boolean; escape: boolean; upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean; pageUp: boolean; pageDown: boolean }): string {
  if (key.backspace || key.delete) return [...value].slice(0, -1).join('');
  if (key.return || key.tab || key.escape || key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return value;
  return value + input.replace(/[\r\n]+/g, '');
}
