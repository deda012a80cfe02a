/**
 * PostgreSQL's lexical rules for what can hide a semicolon, in one place:
 * quoted strings ('' and E''), quoted identifiers, dollar quotes, -- and
 * nested /* *\/ comments. The migration splitter (migrations/statements.ts)
 * and the query console (query/sql-scan.ts) walk SQL text token by token
 * with `nextToken` and each decide, by their own rules, where a statement
 * ends. This is lexing only: no token is interpreted here.
 */

/**
 * What a token is; its text is `sql.slice(start, end)`.
 * - `space`: one white-space character.
 * - `comment`: `--` up to (not including) the end of the line, or a nested block comment.
 * - `quoted`: a quoted string ('' or E'', the E included), a quoted identifier, or
 *   a dollar-quoted string; an unclosed one runs to the end of the text.
 * - `word`: an identifier or key word: a letter or `_`, then letters, digits, `_`
 *   and `$` (so `a$$b$$` is one word, while `1$$b$$` is a number and a dollar
 *   quote: psql reads them so).
 * - `other`: a number or a parameter ($1), with any word glued to it, or any other
 *   single character: `;`, parentheses, operators.
 */
export type TokenKind = 'space' | 'comment' | 'quoted' | 'word' | 'other';

export interface Token {
  kind: TokenKind;
  /** Offset of the token in the text, in UTF-16 code units. */
  start: number;
  /** Offset just after the token (at most the text's length). */
  end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** The token that starts at offset `at` (which must be inside `sql`). */
export function nextToken(sql: string, at: number): Token {
  const c = sql[at] as string;
  const next = sql[at + 1];
  const token = (kind: TokenKind, end: number): Token => ({ kind, start: at, end: Math.min(end, sql.length) });
  if (c === '-' && next === '-') {
    const eol = sql.indexOf('\n', at);
    return token('comment', eol < 0 ? sql.length : eol);
  }
  if (c === '/' && next === '*') return token('comment', skipBlockComment(sql, at));
  if (/\s/.test(c)) return token('space', at + 1);
  if (c === "'") return token('quoted', skipQuoted(sql, at, "'", false));
  if (c === '"') return token('quoted', skipQuoted(sql, at, '"', false));
  if (c === '$') {
    // At a token's start (never inside a word: words take their $), a tag opens a dollar quote.
    const tag = DOLLAR_TAG.exec(sql.slice(at, at + 64));
    if (tag) {
      const close = sql.indexOf(tag[0], at + tag[0].length);
      return token('quoted', close < 0 ? sql.length : close + tag[0].length);
    }
    if (/[0-9]/.test(next ?? '')) return token('other', numberEnd(sql, at + 1)); // a parameter, $1
  }
  if (IDENT_START.test(c)) {
    // E'...' is one token that takes backslash escapes; a longer word ending in e is not.
    if ((c === 'e' || c === 'E') && next === "'") return token('quoted', skipQuoted(sql, at + 1, "'", true));
    return token('word', wordEnd(sql, at));
  }
  if (/[0-9]/.test(c)) return token('other', numberEnd(sql, at));
  return token('other', at + 1);
}

/** Where the word starting at `at` ends. */
function wordEnd(sql: string, at: number): number {
  let end = at + 1;
  while (end < sql.length && IDENT_CHAR.test(sql[end] as string)) end++;
  return end;
}

/**
 * Where the number starting at `at` ends: digits and dots, and a word glued to
 * them, which psql's lexer takes into the same ("junk") token, so the e of 1e'x'
 * opens no E'' string and the $$ of 1x$$ no dollar quote.
 */
function numberEnd(sql: string, at: number): number {
  let end = at;
  while (end < sql.length && /[0-9.]/.test(sql[end] as string)) end++;
  return end < sql.length && IDENT_START.test(sql[end] as string) ? wordEnd(sql, end) : end;
}

/** PostgreSQL's block comments nest. */
function skipBlockComment(sql: string, at: number): number {
  let level = 0;
  let i = at;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      level++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      level--;
      i += 2;
      if (level === 0) return i;
    } else i++;
  }
  return sql.length;
}

/** A doubled quote stands for itself; with backslash escapes (E''), `\'` does too. */
function skipQuoted(sql: string, at: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
