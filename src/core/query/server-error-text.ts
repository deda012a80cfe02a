/**
 * A server error as psql prints it: `ERROR:`, the statement's line with a
 * caret under the spot (wide characters count two columns), DETAIL and HINT.
 * Apart from server-error.ts because measuring display width loads
 * string-width, whose Intl.Segmenter costs ~20 ms: only a failure pays it.
 */
import stringWidth from 'string-width';
import { redactFailure, type ServerError } from './server-error.js';

export interface MarkedPosition {
  /** 1-based line within the statement. */
  line: number;
  lineText: string;
  /** Display columns before the marked character (wide characters count two). */
  column: number;
}

export function markPosition(text: string, offset: number): MarkedPosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const lineText = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  return { line: before.split('\n').length, lineText, column: stringWidth(text.slice(lineStart, offset)) };
}

/** psql's layout: `LINE 2: select foo` and a caret under the spot. */
export function positionLines(text: string, offset: number): string[] {
  const mark = markPosition(text, offset);
  const prefix = `LINE ${mark.line}: `;
  return [prefix + mark.lineText, ' '.repeat(prefix.length + mark.column) + '^'];
}

/** The lines psql prints for an error, without colour (password literals masked). */
export function describeServerError(failure: ServerError, original: string): string[] {
  const { error, statement } = redactFailure(failure, original);
  const lines = [`ERROR:  ${error.message}`];
  if (error.offset !== undefined) lines.push(...positionLines(statement, error.offset));
  if (error.detail) lines.push(`DETAIL:  ${error.detail}`);
  if (error.hint) lines.push(`HINT:  ${error.hint}`);
  return lines;
}
