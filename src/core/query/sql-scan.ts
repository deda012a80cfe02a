/**
 * Where statements end: the console needs to know, on every Enter, whether
 * the text typed so far ends a statement (a `;` outside quotes, comments,
 * dollar quotes and parentheses, as psql's lexer decides), and to cut the
 * input into statements and backslash commands. This is lexing only; what a
 * statement *does* is decided from the real parser's tree (classify.ts);
 * what hides a `;` (quotes, dollar quotes, comments) is the shared lexer's
 * (core/sql/scan.ts), and parentheses and backslash commands are this file's.
 */
import { nextToken } from '../sql/scan.js';

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
    const token = nextToken(input, i);
    i = token.end;
    if (token.kind === 'space' || token.kind === 'comment') continue;
    meaningful = true;
    if (token.kind !== 'other') continue;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) push(token.start, token.end);
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
