/**
 * A statement's failure as the server reported it: message, SQLSTATE,
 * detail, hint, and where in the statement it went wrong, turned into the
 * line and column psql marks with a caret. PostgreSQL counts the position
 * in characters (code points) from 1; JavaScript strings count UTF-16 units.
 * Whatever repeats the statement shows it with its password literals masked.
 */
import stringWidth from 'string-width';
import { scrubSecrets } from '../redact/spans.js';
import { redactStatement } from '../redact/sql.js';

export interface ServerError {
  message: string;
  sqlstate?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** Offset in the statement text (UTF-16 units, 0-based) where the server points. */
  offset?: number;
}

export interface MarkedPosition {
  /** 1-based line within the statement. */
  line: number;
  lineText: string;
  /** Display columns before the marked character (wide characters count two). */
  column: number;
}

interface PgErrorLike {
  message?: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  where?: string;
  position?: string;
}

export function toServerError(error: unknown, statement: string): ServerError {
  const e = (error ?? {}) as PgErrorLike;
  const out: ServerError = { message: e.message ?? String(error) };
  if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) out.sqlstate = e.code;
  if (e.severity) out.severity = e.severity;
  if (e.detail) out.detail = e.detail;
  if (e.hint) out.hint = e.hint;
  if (e.where) out.where = e.where;
  const position = Number(e.position);
  if (Number.isInteger(position) && position > 0) out.offset = codePointToIndex(statement, position - 1);
  return out;
}

/** UTF-16 index of the `cp`-th code point (clamped to the end). */
export function codePointToIndex(text: string, cp: number): number {
  let index = 0;
  for (let seen = 0; seen < cp && index < text.length; seen++) {
    const code = text.codePointAt(index) as number;
    index += code > 0xffff ? 2 : 1;
  }
  return Math.min(index, text.length);
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

/**
 * The failure as it may be shown: the statement with its password literals
 * masked (the same redaction as DATABASE__ECHO and the history), the
 * position moved onto that text, and any masked secret scrubbed from the
 * server's own words (`syntax error at or near "..."`).
 */
export function redactFailure(error: ServerError, statement: string): { statement: string; error: ServerError } {
  const redacted = redactStatement(statement);
  if (redacted.secrets.length === 0) return { statement, error };
  const scrub = (text: string | undefined) => (text === undefined ? undefined : scrubSecrets(text, redacted.secrets));
  const shown: ServerError = { ...error, message: scrub(error.message) as string };
  for (const key of ['detail', 'hint', 'where'] as const) if (error[key] !== undefined) shown[key] = scrub(error[key]);
  if (error.offset !== undefined) shown.offset = redacted.mapOffset(error.offset);
  return { statement: redacted.text, error: shown };
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
