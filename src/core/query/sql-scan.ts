/**
 * Where statements end: the console needs to know, on every Enter, whether
 * the text typed so far ends a statement (a `;` outside quotes, comments,
 * dollar quotes and parentheses, as psql's lexer decides), and to cut the
 * input into statements and backslash commands. This is lexing only; what a
 * statement *does* is decided from the real parser's tree (classify.ts).
 */

export interface InputPiece {
  kind: 'sql' | 'meta';
  /** The statement without its terminating `;` (or the backslash command line), trimmed. */
  text: string;
  /** Offset of `text` in the input, in UTF-16 code units. */
  start: number;
}

export interface ScannedInput {
  pieces: InputPiece[];
  /** Text after the last terminator that is not only blanks and comments: an unfinished statement. */
  rest: InputPiece | undefined;
}

/** Cut `input` into terminated statements and backslash commands, plus an unfinished tail. */
export function scanInput(input: string): ScannedInput {
  const pieces: InputPiece[] = [];
  let pieceStart = 0;
  let i = 0;
  let depth = 0;
  let meaningful = false; // the current piece holds more than blanks and comments
  const n = input.length;

  const push = (end: number, next: number) => {
    const piece = trimmedPiece(input, pieceStart, end, 'sql');
    if (piece && meaningful) pieces.push(piece);
    pieceStart = next;
    meaningful = false;
    depth = 0;
  };

  while (i < n) {
    const c = input[i] as string;
    const next = input[i + 1];
    if (c === '\\' && !meaningful) {
      // A backslash command: psql's meta commands run to the end of the line.
      const eol = input.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      const meta = trimmedPiece(input, i, end, 'meta');
      if (meta) pieces.push(meta);
      i = end;
      pieceStart = end;
      continue;
    }
    if (c === '-' && next === '-') {
      const eol = input.indexOf('\n', i);
      i = eol === -1 ? n : eol;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(input, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    meaningful = true;
    if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(input[i - 1] as string) && !isIdentChar(input[i - 2]);
      i = skipQuoted(input, i, "'", escapes);
    } else if (c === '"') {
      i = skipQuoted(input, i, '"', false);
    } else if (c === '$' && !isIdentChar(input[i - 1])) {
      i = skipDollar(input, i);
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ';' && depth === 0) {
      push(i, i + 1);
      i++;
    } else {
      i++;
    }
  }
  const tail = meaningful ? trimmedPiece(input, pieceStart, n, 'sql') : undefined;
  return { pieces, rest: tail };
}

/** True when the input holds at least one statement or command and nothing unfinished after it. */
export function isCompleteInput(input: string): boolean {
  const scanned = scanInput(input);
  return scanned.pieces.length > 0 && scanned.rest === undefined;
}

/** Every statement of a script, the unterminated last one included (for `query "SQL"` and stdin). */
export function splitScript(input: string): InputPiece[] {
  const scanned = scanInput(input);
  return scanned.rest ? [...scanned.pieces, scanned.rest] : scanned.pieces;
}

function trimmedPiece(input: string, from: number, to: number, kind: InputPiece['kind']): InputPiece | undefined {
  let a = from;
  let b = to;
  while (a < b && /\s/.test(input[a] as string)) a++;
  while (b > a && /\s/.test(input[b - 1] as string)) b--;
  if (a === b) return undefined;
  return { kind, text: input.slice(a, b), start: a };
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_\u0080-\uFFFF]/.test(c);
}

function skipBlockComment(input: string, at: number): number {
  // PostgreSQL's block comments nest.
  let depth = 0;
  let i = at;
  while (i < input.length) {
    if (input[i] === '/' && input[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (input[i] === '*' && input[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return input.length;
}

function skipQuoted(input: string, at: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < input.length) {
    const c = input[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (input[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return input.length;
}

function skipDollar(input: string, at: number): number {
  const match = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/.exec(input.slice(at, at + 64));
  if (!match) return at + 1; // a positional parameter ($1) or a lone $
  const tag = match[0];
  const close = input.indexOf(tag, at + tag.length);
  return close === -1 ? input.length : close + tag.length;
}
