/**
 * A statement's failure as the server reported it: message, SQLSTATE,
 * detail, hint, and where in the statement it went wrong, turned into the
 * line and column psql marks with a caret. PostgreSQL counts the position
 * in characters (code points) from 1; JavaScript strings count UTF-16 units.
 * Whatever repeats the statement shows it with its password literals masked.
 * The lines psql prints (with the caret) are in server-error-text.ts.
 */
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
