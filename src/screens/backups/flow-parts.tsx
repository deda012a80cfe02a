/**
 * The steps the restore and reset flows share, as views: the plan
 * with its option toggles, the typed confirmation, the run, the result, and
 * a failure with its evidence and fixes. The walk between them is
 * use-plan-flow.ts.
 */
import React, { useRef, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import type { BackupsFailure } from '../../app/services-backups-types.js';
import { FailureView } from '../../components/FailureView.js';
import { ProgressBar, type ProgressBarProps } from '../../components/ProgressBar.js';
import { editText } from '../../components/TextField.js';
import { wrapText } from '../../components/wrap.js';

/** A plan line wrapped to `width`, its continuation rows under its value ("how:     ...") or indented two. */
export function planRows(line: string, width: number): string[] {
  const label = /^[a-z][a-z ]*:\s+/.exec(line)?.[0];
  return wrapText(line, width, label ? ' '.repeat(label.length) : '  ');
}

/** The plan: its title, the engine's lines (wrapped: every word of a plan counts), the option toggles (children), then why Enter waits or how to go on. */
export function PlanStep({ title, lines, note, width, children }: { title: string; lines: string[]; note: string; width: number; children: React.ReactNode }) {
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {lines.flatMap((l, i) =>
        planRows(l, width).map((row, j) => (
          <Text key={`${i}-${j}`} wrap="truncate-end">
            {row}
          </Text>
        )),
      )}
      <Box flexDirection="column" marginTop={1}>
        {children}
      </Box>
      {note ? <Text color={theme.warn}>{note}</Text> : <Text color={theme.muted}>Enter to go on · Esc to cancel</Text>}
    </Box>
  );
}

export function Toggle({ label, on }: { label: string; on: boolean }) {
  return (
    <Text>
      <Text color={on ? theme.ok : theme.muted}>{on ? '[x]' : '[ ]'}</Text> {label}
    </Text>
  );
}

/**
 * The database name typed before something destructive; a wrong name is
 * refused in place. Typed through the key dispatcher, so a name and its
 * Enter that arrive together (a paste, type-ahead over SSH) type the name
 * and then submit it.
 */
/**
 * A name typed through the key dispatcher: the text to draw, and the latest
 * text for handlers (keys can come faster than frames, so they read a ref).
 * `onEdit` runs after each change (to clear an earlier complaint).
 */
function useTypedName(onEdit: () => void) {
  const [typed, setTyped] = useState('');
  const ref = useRef('');
  const type = (input: string, key: Key) => {
    const next = editText(ref.current, input, key);
    if (next === ref.current) return;
    ref.current = next;
    setTyped(next);
    onEdit();
  };
  return { typed, current: () => ref.current, type };
}

export function TypedConfirm({ expected, warning, what, onCancel, onConfirmed }: { expected: string; warning: string; what: string; onCancel: () => void; onConfirmed: () => void }) {
  const [wrong, setWrong] = useState(false);
  const { typed, current, type } = useTypedName(() => setWrong(false));
  useKeys(
    [
      { command: 'confirm-cancel', keys: ['escape'], hint: 'cancel', description: 'back to the plan' },
      { command: 'confirm-submit', keys: ['return'], hint: 'confirm', description: 'confirm with the name typed' },
      { command: 'confirm-type', keys: ['any'], description: 'type the database name (Backspace erases)' },
    ],
    {
      'confirm-cancel': onCancel,
      'confirm-submit': () => (current().trim() === expected ? onConfirmed() : setWrong(true)),
      'confirm-type': type,
    },
    { modal: true, captureText: true },
  );
  return (
    <Box flexDirection="column">
      <Text bold color={theme.warn}>
        {warning}
      </Text>
      <Text>
        Type <Text bold>{expected}</Text> and press Enter: {typed}
        <Text inverse> </Text>
      </Text>
      {wrong ? <Text color={theme.error}>That is not the database name; nothing was {what}.</Text> : null}
    </Box>
  );
}

/** A database name typed for a new target (restore into another database); Enter takes it, Esc keeps the old one. */
export function NamePrompt({ question, onCancel, onName }: { question: string; onCancel: () => void; onName: (name: string) => void }) {
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const { typed, current, type } = useTypedName(() => setProblem(undefined));
  useKeys(
    [
      { command: 'name-cancel', keys: ['escape'], hint: 'cancel', description: 'keep the database from the settings' },
      { command: 'name-submit', keys: ['return'], hint: 'use it', description: 'plan the restore into this database' },
      { command: 'name-type', keys: ['any'], description: 'type the database name (Backspace erases)' },
    ],
    {
      'name-cancel': onCancel,
      'name-submit': () => {
        const name = current().trim();
        // PostgreSQL cuts names at 63 bytes: a longer one would be created under another name.
        if (name === '' || Buffer.byteLength(name) > 63) setProblem('a database name is 1 to 63 bytes');
        else onName(name);
      },
      'name-type': type,
    },
    { modal: true, captureText: true },
  );
  return (
    <Box flexDirection="column">
      <Text>
        {question} {typed}
        <Text inverse> </Text>
      </Text>
      {problem ? <Text color={theme.error}>{problem}</Text> : null}
    </Box>
  );
}

/** A refusal or failure, with room for its evidence and fixes. */
export function Failure({ failure, hint }: { failure: BackupsFailure; hint: string }) {
  return <FailureView failure={failure} evidence={4} fixes={3} hint={hint} />;
}

/** While the run goes: its title, its latest steps, a progress bar when there is one, and how to cancel (or that it is being cancelled). */
export function RunningStep({ title, steps, bar, width, cancelling }: { title: string; steps: string[]; bar: Omit<ProgressBarProps, 'width'> | null; width: number; cancelling: boolean }) {
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {steps.map((s, i) => (
        <Text key={`${i}-${s}`} color={theme.muted} wrap="truncate-end">
          {s}
        </Text>
      ))}
      {bar ? <ProgressBar {...bar} width={width} /> : null}
      {cancelling ? <Text color={theme.warn}>cancelling…</Text> : <Text color={theme.muted}>c, Esc or Ctrl-C: cancel</Text>}
    </Box>
  );
}

/**
 * The result: `headline` and `details` word a success, around the line that
 * says where the safety backup went; Enter or Esc go back to the list.
 */
export function DoneStep<R extends { ok: true; safetyBackup: string | null }>({ name, result, headline, details, onClose }: { name: string; result: R | BackupsFailure; headline: (ok: R) => React.ReactNode; details?: (ok: R) => React.ReactNode; onClose: (changed: boolean) => void }) {
  useKeys([{ command: `${name}-done`, keys: ['return', 'escape'], hint: 'back to the list', description: 'back to the list of backups' }], { [`${name}-done`]: () => onClose(true) }, { modal: true });
  if (!result.ok && result.code === 'cancelled') {
    return (
      <Box flexDirection="column">
        <Text color={theme.warn} wrap="wrap">
          Cancelled: {result.message}
        </Text>
        <Text color={theme.muted}>Enter or Esc: back to the list</Text>
      </Box>
    );
  }
  if (!result.ok) return <Failure failure={result} hint="Enter or Esc: back to the list" />;
  return (
    <Box flexDirection="column">
      {headline(result)}
      {result.safetyBackup ? <Text color={theme.muted}>the previous contents are in {result.safetyBackup}</Text> : null}
      {details ? details(result) : null}
      <Text color={theme.muted}>Enter or Esc: back to the list</Text>
    </Box>
  );
}
