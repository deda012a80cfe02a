/**
 * Split a section of SQL into statements, so each runs as its own query and
 * a failure names the statement (and so the line) that failed: PostgreSQL
 * gives a position only for parse errors, not for "already exists" or a
 * violated constraint. A statement that can only run outside a transaction
 * (CREATE INDEX CONCURRENTLY) also has to be sent alone.
 *
 * The lexer knows what can hide a semicolon: quoted strings ('' and E''),
 * quoted identifiers, dollar quotes, -- and nested /* *\/ comments, and the
 * BEGIN ATOMIC ... END body of an SQL-standard function (as psql does).
 */

export interface Statement {
  /** The statement from its first significant character through its semicolon (if any). */
  text: string;
  /** Offset of `text` within the text given to splitStatements, plus `base`. */
  start: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function splitStatements(sql: string, base = 0): Statement[] {
  const out: Statement[] = [];
  let begin = -1; // offset of the current statement's first significant character
  let words: string[] = []; // leading words of the current statement (to spot CREATE FUNCTION)
  let depth = 0; // BEGIN ATOMIC nesting
  let i = 0;
  const n = sql.length;
  const mark = () => {
    if (begin < 0) begin = i;
  };
  const flush = (end: number) => {
    if (begin >= 0) out.push({ text: sql.slice(begin, end), start: base + begin });
    begin = -1;
    words = [];
    depth = 0;
  };
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    mark();
    if (c === "'") {
      const escaped = i > 0 && /[eE]/.test(sql[i - 1] as string) && !IDENT_CHAR.test(sql[i - 2] ?? ' ');
      i = skipQuoted(sql, i, "'", escaped);
      continue;
    }
    if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
      continue;
    }
    if (c === '$' && !IDENT_CHAR.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        continue;
      }
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_CHAR.test(sql[j] as string)) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (words.length < 6) words.push(word);
      if (isRoutine(words)) {
        if (word === 'BEGIN') depth++;
        else if (word === 'CASE' && depth > 0) depth++;
        else if (word === 'END' && depth > 0) depth--;
      }
      i = j;
      continue;
    }
    if (c === ';' && depth === 0) {
      i++;
      flush(i);
      continue;
    }
    i++;
  }
  flush(n);
  return out;
}

/** CREATE [OR REPLACE] FUNCTION|PROCEDURE: the only statements whose body may hold bare semicolons. */
function isRoutine(words: string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  const kind = words[1] === 'OR' ? words[3] : words[1];
  return kind === 'FUNCTION' || kind === 'PROCEDURE';
}

function skipBlockComment(sql: string, i: number): number {
  let level = 0;
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
  return i;
}

function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
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
  return i;
}
