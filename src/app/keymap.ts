/**
 * Keybindings are data: a command, the keys that trigger it, a short label
 * for the hint line and a description for the `?` overlay. One dispatcher
 * (keys-context.tsx) matches input against them; no screen tests raw keys.
 */
import type { Key } from 'ink';

/** A key: a printable character ("q", "?"), "space", a named key ("escape", "up", "pagedown"), "ctrl+c", or "any". */
export type KeySpec = string;

export interface KeyBinding {
  command: string;
  keys: KeySpec[];
  /** Shown in the hint line; omit to show it only in the help overlay. */
  hint?: string;
  description: string;
}

export const GLOBAL_BINDINGS: KeyBinding[] = [
  { command: 'help', keys: ['?'], hint: 'help', description: 'show all keys' },
  { command: 'back', keys: ['escape'], hint: 'back', description: 'go back to the previous screen' },
  { command: 'quit', keys: ['q'], hint: 'quit', description: 'quit connector-db' },
  { command: 'interrupt', keys: ['ctrl+c'], description: 'cancel what runs, else quit' },
];

// Enter is "\r" in raw mode; a key typed before raw mode is on arrives through the
// terminal's cooked mode as "\n" (ICRNL). Both mean Enter.
const NAMED: Record<string, (key: Key, input: string) => boolean> = {
  escape: (k) => k.escape,
  return: (k, input) => k.return || input === '\n',
  enter: (k, input) => k.return || input === '\n',
  up: (k) => k.upArrow,
  down: (k) => k.downArrow,
  left: (k) => k.leftArrow,
  right: (k) => k.rightArrow,
  pageup: (k) => k.pageUp,
  pagedown: (k) => k.pageDown,
  home: (k) => k.home,
  end: (k) => k.end,
  tab: (k) => k.tab && !k.shift,
  'shift+tab': (k) => k.tab && k.shift,
  backspace: (k) => k.backspace,
  delete: (k) => k.delete,
};

export function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec === 'any') return true;
  if (spec.startsWith('ctrl+')) return key.ctrl && input === spec.slice(5);
  if (spec === 'space') return input === ' ' && !key.ctrl && !key.meta;
  const named = NAMED[spec];
  if (named) return named(key, input);
  return !key.ctrl && !key.meta && input === spec;
}

/** Is this a single printable key that a text field would want for itself? */
export function isPrintable(spec: KeySpec): boolean {
  return !spec.startsWith('ctrl+') && !(spec in NAMED);
}

/** How a key reads in hints and help. */
export function keyLabel(spec: KeySpec): string {
  const names: Record<string, string> = { escape: 'esc', return: 'enter', up: '↑', down: '↓', left: '←', right: '→', pageup: 'pgup', pagedown: 'pgdn', any: 'any key' };
  if (spec.startsWith('ctrl+')) return '^' + spec.slice(5).toUpperCase();
  return names[spec] ?? spec;
}
