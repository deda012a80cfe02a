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

const PLAIN: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };

/**
 * Ink hands a read of plain text over as one input, control characters
 * included: a name and its Enter typed ahead over a slow link, or pasted,
 * arrive as "name\r". Split such a chunk into the keys it holds, as Ink
 * would have reported them one by one: runs of text stay together (a paste
 * is one insert), and each Enter (\r, \n or \r\n), Tab, Backspace
 * (DEL or BS) and Ctrl+letter becomes its own key. Escape sequences are
 * already separate keys by the time they get here.
 */
export function splitChunk(input: string, key: Key): [string, Key][] {
  if (input.length < 2 || !/[\u0000-\u001f\u007f]/.test(input) || key.escape || key.meta || key.ctrl) return [[input, key]];
  const keys: [string, Key][] = [];
  let text = '';
  const flush = () => {
    if (text !== '') keys.push([text, { ...PLAIN, shift: text.length === 1 && /[A-Z]/.test(text) }]);
    text = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    const code = c.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) {
      text += c;
      continue;
    }
    flush();
    if (c === '\r' || c === '\n') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      keys.push(['\r', { ...PLAIN, return: true }]);
    } else if (c === '\t') keys.push(['\t', { ...PLAIN, tab: true }]);
    else if (code === 0x7f) keys.push(['', { ...PLAIN, delete: true }]);
    else if (c === '\b') keys.push(['', { ...PLAIN, backspace: true }]);
    else if (code >= 1 && code <= 26) keys.push([String.fromCharCode(code + 96), { ...PLAIN, ctrl: true }]);
    // Any other control character (NUL, FS...) is not a key anyone binds: dropped.
  }
  flush();
  return keys;
}

/** How a key reads in hints and help. */
export function keyLabel(spec: KeySpec): string {
  const names: Record<string, string> = { escape: 'esc', return: 'enter', up: '↑', down: '↓', left: '←', right: '→', pageup: 'pgup', pagedown: 'pgdn', any: 'any key' };
  if (spec.startsWith('ctrl+')) return '^' + spec.slice(5).toUpperCase();
  return names[spec] ?? spec;
}
