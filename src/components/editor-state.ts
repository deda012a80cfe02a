/**
 * The console input's text and cursor, and every edit as a pure function,
 * so editing is tested without a terminal.
 */

export interface EditorState {
  text: string;
  /** Cursor offset in `text` (UTF-16 units, always on a code point boundary). */
  cursor: number;
}

export type EditAction = 'left' | 'right' | 'home' | 'end' | 'up' | 'down' | 'backspace' | 'kill-before' | 'kill-after' | 'kill-word' | 'insert';

export const EMPTY_EDITOR: EditorState = { text: '', cursor: 0 };

export function editorWith(text: string): EditorState {
  return { text, cursor: text.length };
}

function lineBounds(text: string, cursor: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', cursor - 1) + 1;
  const nl = text.indexOf('\n', cursor);
  return { start, end: nl === -1 ? text.length : nl };
}

function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  const code = text.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
}

/** Apply one edit. For up/down, undefined means "no line there": the caller walks the history instead. */
export function editText(state: EditorState, action: EditAction, insert = ''): EditorState | undefined {
  const { text, cursor } = state;
  const { start, end } = lineBounds(text, cursor);
  switch (action) {
    case 'left':
      return { text, cursor: prevBoundary(text, cursor) };
    case 'right':
      return { text, cursor: nextBoundary(text, cursor) };
    case 'home':
      return { text, cursor: start };
    case 'end':
      return { text, cursor: end };
    case 'up': {
      if (start === 0) return undefined;
      const prev = lineBounds(text, start - 1);
      return { text, cursor: Math.min(prev.start + (cursor - start), prev.end) };
    }
    case 'down': {
      if (end === text.length) return undefined;
      const next = lineBounds(text, end + 1);
      return { text, cursor: Math.min(next.start + (cursor - start), next.end) };
    }
    case 'backspace': {
      if (cursor === 0) return state;
      const from = prevBoundary(text, cursor);
      return { text: text.slice(0, from) + text.slice(cursor), cursor: from };
    }
    case 'kill-before':
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    case 'kill-after':
      return { text: text.slice(0, cursor) + text.slice(end), cursor };
    case 'kill-word': {
      let i = cursor;
      while (i > start && /\s/.test(text[i - 1] as string)) i--;
      while (i > start && !/\s/.test(text[i - 1] as string)) i--;
      return { text: text.slice(0, i) + text.slice(cursor), cursor: i };
    }
    case 'insert':
      return { text: text.slice(0, cursor) + insert + text.slice(cursor), cursor: cursor + insert.length };
  }
}
