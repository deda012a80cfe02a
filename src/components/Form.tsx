/**
 * A small form: fields in a column, tab / ↓ to the next, ↑ back, enter on
 * the last submits, esc cancels. Its key layer is modal and takes text, so
 * typing "q" or "?" goes into the field. Typing comes through the key
 * dispatcher like every other key, in order: "user\tsecret\r" typed ahead
 * fills both fields and submits.
 */
import React, { useRef, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import { useKeys } from '../app/keys-context.js';
import { theme } from '../app/theme.js';
import { editText, TextField } from './TextField.js';

export interface FormField {
  id: string;
  label: string;
  initial?: string;
  secret?: boolean;
  placeholder?: string;
  /** How the value is drawn while typed (TextField's mask). */
  mask?: (value: string) => string;
}

export interface FormProps {
  title: string;
  fields: FormField[];
  /** Returns an error line to show instead of submitting, or undefined. */
  validate?: (values: Record<string, string>) => string | undefined;
  onSubmit: (values: Record<string, string>) => void;
  onCancel: () => void;
  note?: string;
}

export function Form({ title, fields, validate, onSubmit, onCancel, note }: FormProps) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.id, f.initial ?? ''])));
  const [focus, setFocusState] = useState(0);
  const [error, setError] = useState<string | undefined>();
  // Keys can arrive faster than frames: typing reads and writes refs, the state only draws them.
  const focusRef = useRef(0);
  const valuesRef = useRef(values);
  const setFocus = (next: number) => {
    focusRef.current = Math.max(0, Math.min(fields.length - 1, next));
    setFocusState(focusRef.current);
  };
  const type = (input: string, key: Key) => {
    const field = fields[focusRef.current];
    if (!field) return;
    const before = valuesRef.current[field.id] ?? '';
    const after = editText(before, input, key);
    if (after === before) return;
    valuesRef.current = { ...valuesRef.current, [field.id]: after };
    setValues(valuesRef.current);
    setError(undefined);
  };
  const submit = () => {
    const problem = validate?.(valuesRef.current);
    if (problem) setError(problem);
    else onSubmit(valuesRef.current);
  };
  useKeys(
    [
      { command: 'form-next', keys: ['tab', 'down'], hint: 'next field', description: 'next field' },
      { command: 'form-prev', keys: ['shift+tab', 'up'], description: 'previous field' },
      { command: 'form-enter', keys: ['return'], hint: 'ok', description: 'next field; on the last, submit' },
      { command: 'form-cancel', keys: ['escape'], hint: 'cancel', description: 'cancel' },
      { command: 'form-type', keys: ['any'], description: 'type into the field (Backspace erases)' },
    ],
    {
      'form-next': () => setFocus(focusRef.current + 1),
      'form-prev': () => setFocus(focusRef.current - 1),
      'form-enter': () => (focusRef.current < fields.length - 1 ? setFocus(focusRef.current + 1) : submit()),
      'form-cancel': onCancel,
      'form-type': type,
    },
    { captureText: true, modal: true },
  );
  const labelWidth = Math.max(...fields.map((f) => f.label.length));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold wrap="wrap">
        {title}
      </Text>
      {note ? (
        <Text color={theme.muted} wrap="wrap">
          {note}
        </Text>
      ) : null}
      {fields.map((f, i) => (
        <TextField key={f.id} label={f.label} labelWidth={labelWidth} value={values[f.id] ?? ''} secret={f.secret ?? false} focus={i === focus} {...(f.placeholder ? { placeholder: f.placeholder } : {})} {...(f.mask ? { mask: f.mask } : {})} />
      ))}
      {error ? <Text color={theme.error}>{error}</Text> : null}
    </Box>
  );
}
