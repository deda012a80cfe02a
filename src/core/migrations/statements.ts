/**
 * Split a section of SQL into statements, so each runs as its own query and
 * a failure names the statement (and so the line) that failed: PostgreSQL
 * gives a position only for parse errors, not for "already exists" or a
 * violated constraint. A statement that can only run outside a transaction
 * (CREATE INDEX CONCURRENTLY) also has to be sent alone.
 *
 * What can hide a semicolon (quotes, dollar quotes, comments) is the shared
 * lexer's business (core/sql/scan.ts); this adds the one rule of its own: the
 * BEGIN ATOMIC ... END body of an SQL-standard function does not end at a
 * semicolon (as psql decides).
 */
import { nextToken } from '../sql/scan.js';

export interface Statement {
  /** The statement from its first significant character through its semicolon (if any). */
  text: string;
  /** Offset of `text` within the text given to splitStatements, plus `base`. */
  start: number;
}

export function splitStatements(sql: string, base = 0): Statement[] {
  const out: Statement[] = [];
  let begin = -1; // offset of the current statement's first significant character
  let words: string[] = []; // leading words of the current statement (to spot CREATE FUNCTION)
  let depth = 0; // BEGIN ATOMIC nesting
  const flush = (end: number) => {
    if (begin >= 0) out.push({ text: sql.slice(begin, end), start: base + begin });
    begin = -1;
    words = [];
    depth = 0;
  };
  for (let i = 0; i < sql.length; ) {
    const token = nextToken(sql, i);
    i = token.end;
    if (token.kind === 'space' || token.kind === 'comment') continue;
    if (begin < 0) begin = token.start;
    if (token.kind === 'word') {
      const word = sql.slice(token.start, token.end).toUpperCase();
      if (words.length < 6) words.push(word);
      if (isRoutine(words)) {
        if (word === 'BEGIN') depth++;
        else if (word === 'CASE' && depth > 0) depth++;
        else if (word === 'END' && depth > 0) depth--;
      }
    } else if (token.kind === 'other' && sql[token.start] === ';' && depth === 0) flush(token.end);
  }
  flush(sql.length);
  return out;
}

/** CREATE [OR REPLACE] FUNCTION|PROCEDURE: the only statements whose body may hold bare semicolons. */
function isRoutine(words: string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  const kind = words[1] === 'OR' ? words[3] : words[1];
  return kind === 'FUNCTION' || kind === 'PROCEDURE';
}
