/**
 * The console's multi-line input, psql style: `db=>` on the first line,
 * `db->` on the next ones. A text-input component, so it reads keys with
 * Ink's useInput itself (its screen's key layer claims printable keys, so
 * typing "q" never quits). Enter is the parent's to decide (run or new
 * line); Up/Down move between lines, and past the first or last line walk
 * the history.
 */
import React, { useRef } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { theme } from '../app/theme.js';
import { editText, type EditorState } from './editor-state.js';

export interface SqlEditorProps {
  state: EditorState;
  /**
   * The latest state, read when a key arrives: keys can come faster than
   * React re-renders (a paste, tmux send-keys), so the handler must not rely
   * on the `state` it closed over.
   */
  current: () => EditorState;
  onChange: (state: EditorState) => void;
  onEnter: () => void;
  /** -1: older entry, +1: newer entry. */
  onHistory: (direction: -1 | 1) => void;
  active: boolean;
  /** Asked when a key arrives: false once a key of the same read has moved the focus away (Tab), before React draws. */
  stillActive?: () => boolean;
  prompt: string;
  continuation: string;
  width: number;
  maxLines: number;
}

export function SqlEditor({ state, current, onChange, onEnter, onHistory, active, stillActive, prompt, continuation, width, maxLines }: SqlEditorProps) {
  const { isRawModeSupported } = useStdin();
  // Read at key time: Ink switches useInput off only after the next commit, and a
  // key can arrive in between (a question has just opened, focus has just moved).
  const activeRef = useRef(active);
  activeRef.current = active;
  useInput(
    (input, key) => {
      if (!activeRef.current || (stillActive && !stillActive())) return;
      if (key.return) return onEnter();
      if (input.length > 1 && /[\r\n]/.test(input)) {
        // Several keys in one read (a paste, or fast typing over a slow link): each line
        // break is an Enter, exactly as if typed one by one.
        const parts = input.split(/\r\n|\r|\n/);
        parts.forEach((part, i) => {
          if (part !== '') onChange(editText(current(), 'insert', part) as EditorState);
          if (i < parts.length - 1) onEnter();
        });
        return;
      }
      const latest = current();
      if (key.upArrow || key.downArrow) {
        const moved = editText(latest, key.upArrow ? 'up' : 'down');
        if (moved === undefined) onHistory(key.upArrow ? -1 : 1);
        else onChange(moved);
        return;
      }
      const next = editKey(latest, input, key);
      if (next) onChange(next);
    },
    // Always listening, gated by activeRef: switching useInput on would wait for an effect.
    { isActive: isRawModeSupported === true },
  );

  const lines = state.text.split('\n');
  const { line: cursorLine, column } = cursorPosition(state);
  const first = Math.max(0, Math.min(cursorLine - maxLines + 1, lines.length - maxLines));
  const shown = lines.slice(first, first + maxLines);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((text, k) => {
        const n = first + k;
        const label = n === 0 ? prompt : continuation;
        if (n !== cursorLine || !active) {
          return (
            <Text key={n} wrap="truncate-start">
              <Text color={theme.accent}>{label}</Text>
              {text}
            </Text>
          );
        }
        const before = text.slice(0, column);
        const at = text.slice(column, column + 1) || ' ';
        const after = text.slice(column + 1);
        return (
          <Text key={n} wrap="truncate-start">
            <Text color={theme.accent}>{label}</Text>
            {before}
            <Text inverse>{at}</Text>
            {after}
          </Text>
        );
      })}
    </Box>
  );
}

function cursorPosition(state: EditorState): { line: number; column: number } {
  const before = state.text.slice(0, state.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: state.cursor - (before.lastIndexOf('\n') + 1) };
}

type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];

/** The editing keys; undefined when the key is not the editor's (tab, page keys, ctrl+c go to the screen). */
function editKey(state: EditorState, input: string, key: InkKey): EditorState | undefined {
  if (key.leftArrow) return editText(state, 'left');
  if (key.rightArrow) return editText(state, 'right');
  if (key.home) return editText(state, 'home');
  if (key.end) return editText(state, 'end');
  // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return editText(state, 'backspace');
  if (key.ctrl) {
    const action = ({ a: 'home', e: 'end', u: 'kill-before', k: 'kill-after', w: 'kill-word' } as const)[input as 'a'];
    return action ? editText(state, action) : undefined;
  }
  if (key.tab || key.escape || key.pageUp || key.pageDown || key.meta || input === '') return undefined;
  return editText(state, 'insert', input.replace(/\r\n?/g, '\n'));
}
